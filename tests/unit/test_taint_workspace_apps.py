"""Two small apps split into modules the way real projects are, checked by a real `bastion check
--format json` over the package: a Flask app (views.py calling services.py calling storage.py and
db.py: a service building a path, SQL or URL from its parameter, a helper returning request data,
an allow-list validator, a class and a module-level instance of another module) and a Django app
(views.py using utils.py helpers and forms.py). Each line marked `# VULN BSTnnn` is reported with
that rule; each `# SAFE` twin, and every unmarked line of the views, is silent."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARK = re.compile(r"# (?:VULN (BST\d+)|SAFE)$")
FLASK = {
    "app/__init__.py": "",
    "app/db.py": '''\
import sqlite3


class Repository:
    def __init__(self):
        self.conn = sqlite3.connect("app.db")

    def find(self, sql):
        return self.conn.execute(sql).fetchall()

    def find_user(self, name):
        return self.conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()


repo = Repository()
''',
    "app/services.py": '''\
import subprocess

import requests
from flask import request

from app.db import repo
from app.storage import Storage

ALLOWED_HOSTS = {"api.example.com", "cdn.example.com"}


def current_user_name():
    return request.args["u"]


def report_path(name):
    return "/srv/reports/" + name


def user_query(name):
    return "SELECT * FROM users WHERE name = '%s'" % name


def validate_host(host):
    if host not in ALLOWED_HOSTS:
        raise ValueError("host not allowed")
    return host


def fetch(host):
    return requests.get("https://" + host + "/status", timeout=5).text


def archive(name):
    subprocess.run("tar czf /tmp/out.tgz " + name, shell=True)


def lookup(name):
    return repo.find(user_query(name))


def lookup_safe(name):
    return repo.find_user(name)


def read_doc(name):
    return Storage("/srv/docs").read(name)
''',
    "app/storage.py": '''\
import os


class Storage:
    def __init__(self, root):
        self.root = root

    def read(self, name, encoding="utf-8"):
        path = os.path.join(self.root, name)
        with open(path, encoding=encoding) as handle:
            return handle.read()


def safe_join(base, name):
    full = os.path.realpath(os.path.join(base, name))
    if not full.startswith(os.path.realpath(base) + os.sep):
        raise ValueError("outside base")
    return full
''',
    "app/views.py": '''\
from flask import Flask, request

from app import services
from app.db import repo
from app.services import current_user_name, report_path, validate_host
from app.storage import Storage, safe_join

app = Flask(__name__)


@app.route("/report")
def report():
    name = request.args.get("name", "")
    return open(report_path(name)).read()  # VULN BST201


@app.route("/report-safe")
def report_safe():
    name = request.args.get("name", "")
    return open(safe_join("/srv/reports", name)).read()  # SAFE


@app.route("/me")
def me():
    return repo.find(services.user_query(current_user_name()))  # VULN BST204


@app.route("/me-safe")
def me_safe():
    return repo.find_user(current_user_name())  # SAFE


@app.route("/lookup")
def lookup():
    return str(services.lookup(request.args["u"]))  # VULN BST204


@app.route("/lookup-safe")
def lookup_safe():
    return str(services.lookup_safe(request.args["u"]))  # SAFE


@app.route("/status")
def status():
    return services.fetch(request.args["host"])  # VULN BST213


@app.route("/status-safe")
def status_safe():
    return services.fetch(validate_host(request.args["host"]))  # SAFE


@app.route("/doc")
def doc():
    return Storage("/srv/docs").read(request.args["name"])  # VULN BST201


@app.route("/doc2")
def doc2():
    return services.read_doc(request.args["name"])  # VULN BST201


@app.route("/doc-safe")
def doc_safe():
    return Storage("/srv/docs").read("index.txt")  # SAFE


@app.route("/archive")
def archive():
    services.archive(request.form["name"])  # VULN BST202
    return "ok"
''',
}
DJANGO = {
    "blog/__init__.py": "",
    "blog/forms.py": '''\
from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(max_length=100)
    order = forms.ChoiceField(choices=[("title", "title"), ("date", "date")])
''',
    "blog/utils.py": '''\
import os
import subprocess
from urllib.parse import urlparse

from django.utils.http import url_has_allowed_host_and_scheme

ALLOWED = {"example.com"}
MEDIA_ROOT = "/srv/media"


def query_param(request, key):
    return request.GET.get(key, "")


def media_path(name):
    return os.path.join(MEDIA_ROOT, name)


def safe_media_path(name):
    full = os.path.realpath(os.path.join(MEDIA_ROOT, name))
    if not full.startswith(MEDIA_ROOT + os.sep):
        raise ValueError("outside media root")
    return full


def is_safe_next(url):
    return url_has_allowed_host_and_scheme(url, allowed_hosts=ALLOWED)


def validate_host(url):
    host = urlparse(url).netloc
    if host not in ALLOWED:
        raise ValueError("bad host")
    return url


def convert(name):
    subprocess.call(["convert", name, "out.png"])


def convert_shell(name):
    os.system("convert " + name + " out.png")
''',
    "blog/views.py": '''\
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from . import utils
from .forms import SearchForm
from .utils import is_safe_next, media_path, query_param, safe_media_path


def download(request):
    name = query_param(request, "f")
    with open(media_path(name), "rb") as fh:  # VULN BST201
        return HttpResponse(fh.read())


def download_safe(request):
    name = query_param(request, "f")
    with open(safe_media_path(name), "rb") as fh:  # SAFE
        return HttpResponse(fh.read())


def go(request):
    nxt = request.GET.get("next", "/")
    return HttpResponseRedirect(nxt)  # VULN BST210


def go_safe(request):
    nxt = request.GET.get("next", "/")
    if not is_safe_next(nxt):
        nxt = "/"
    return redirect(nxt)  # SAFE


def go_safe2(request):
    nxt = utils.validate_host(request.GET["next"])
    return redirect(nxt)  # SAFE


def search(request):
    form = SearchForm(request.GET)
    if form.is_valid():
        with connection.cursor() as cur:
            cur.execute("SELECT * FROM post WHERE title LIKE '" + form.cleaned_data["q"] + "'")  # VULN BST204
            return HttpResponse(str(cur.fetchall()))
    return HttpResponse("bad")


def search_safe(request):
    form = SearchForm(request.GET)
    if form.is_valid():
        with connection.cursor() as cur:
            cur.execute("SELECT * FROM post ORDER BY " + form.cleaned_data["order"])  # SAFE
            return HttpResponse(str(cur.fetchall()))
    return HttpResponse("bad")


def thumb(request):
    utils.convert_shell(request.POST["name"])  # VULN BST202
    return HttpResponse("ok")


def thumb_safe(request):
    utils.convert(request.POST["name"])  # VULN BST217
    return HttpResponse("ok")


def go_safe3(request):
    nxt = utils.validate_host(request.GET["next"])
    return HttpResponseRedirect(nxt)  # SAFE


def go_bad(request):
    nxt = utils.media_path(request.GET["next"])
    return redirect(nxt)  # VULN BST210
''',
}


def _check(app: Path) -> dict[tuple[str, int], set[str]]:
    env = {**os.environ, "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "bastion", "check", "--no-cache", "--format", "json", "."],
                          capture_output=True, text=True, encoding="utf-8", cwd=app, env=env, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    found: dict[tuple[str, int], set[str]] = {}
    for result in json.loads(done.stdout)["results"]:
        if result["rule_id"].startswith("BST2"):
            found.setdefault((Path(result["path"]).as_posix(), result["line"]), set()).add(result["rule_id"])
    return found


@pytest.mark.parametrize("files", [FLASK, DJANGO], ids=["flask", "django"])
def test_marked_lines_across_modules(tmp_path, files):
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    found = _check(tmp_path)
    wrong = []
    for path, text in files.items():
        for line, source in enumerate(text.splitlines(), 1):
            mark = MARK.search(source)
            rules = found.pop((path, line), set())
            if mark is None or mark.group(1) is None:
                if rules:
                    wrong.append((path, line, "reported", sorted(rules)))
            elif mark.group(1) not in rules:
                wrong.append((path, line, "missed", mark.group(1)))
    assert not wrong and not found, (wrong, found)
    assert sum(text.count("# VULN") for text in files.values()) >= 5
