"""Taint analysis through `bastion check`: request data passed through the standard library's
containers and records (`collections.OrderedDict`, `ChainMap`, `dataclasses.asdict`),
a match's groups (`re.search(...).group(1)`), `str.translate`, `bytearray`, `normcase`,
`email.utils.parseaddr`, Werkzeug's `MultiDict`, Django's `QueryDict(request.body)`, a CGI
form's `getfirst` is reported at high
confidence, each a documented step that carries its data (medium on main: each was an unknown
call); a name-based UUID (`uuid5`) is a digest and silent, as `uuid4` and `hashlib` are, and an
`OrderedDict(k=v)` is followed slot by slot as `dict(k=v)` is (marked
lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, checked

APP = '''\
import cgi
import collections
import dataclasses
import email.utils
import os
import re
import uuid

from flask import Flask, request
from werkzeug.datastructures import MultiDict

app = Flask(__name__)


@dataclasses.dataclass
class Job:
    cmd: str


@app.route("/run")
def run():
    q = request.args["q"]
    os.system(collections.OrderedDict(cmd=q)["cmd"])  # BST202
    os.system(collections.OrderedDict(program="ls", cmd=q)["program"])
    os.system(collections.ChainMap({"cmd": q})["cmd"])  # BST202
    os.system(dataclasses.asdict(Job(q))["cmd"])  # BST202
    os.system(re.search(r"cmd=(.*)", q).group(1))  # BST202
    os.system(q.translate({ord(";"): " "}))  # BST202
    os.system(bytearray(q, "utf-8").decode())  # BST202
    os.system(os.path.normcase(q))  # BST202
    os.system(email.utils.parseaddr(q)[1])  # BST202
    os.system(MultiDict(request.args).get("q"))  # BST202
    os.system(max([q, "ls"]))  # BST202
    os.system("ls " + uuid.uuid5(uuid.NAMESPACE_DNS, q).hex)
    os.system("ls " + str(uuid.uuid3(uuid.NAMESPACE_URL, q)))
    return "ok"


def cgi_main():
    form = cgi.FieldStorage()
    os.system(form.getfirst("cmd"))  # BST202
'''

DJANGO = '''\
import os

from django.http import HttpResponse, QueryDict


def run(request):
    os.system(QueryDict(request.body).get("cmd"))  # BST202
    return HttpResponse("ok")
'''


def test_documented_steps_keep_high_confidence(tmp_path):
    apps = {"steps.py": APP, "views.py": DJANGO}
    assert_checked_apps(apps, tmp_path)
    assert {r["confidence"] for r in checked(apps, tmp_path)} == {"high"}
