"""Taint analysis through `bastion check`: a read by keywords alone is no container's read
(`dict.get` takes none): Django's `User.objects.get(username=name)` returns the row the name
selects, so its `email` is the database's, not the request's, and a shell line built of it is
silent (reported at high confidence on main, the filter value carried as a dict's default); a
request's own mapping read so (`request.args.to_dict(flat=True)`, `get(key=...)`) and a
MultiDict's `default=` stay the request's (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
import os

from django.contrib.auth.models import User
from django.http import HttpResponse


def notify(request):
    name = request.GET["user"]
    user = User.objects.get(username=name)
    os.system("notify-send " + user.email)
    os.system("notify-send " + User.objects.get(pk=request.GET["id"]).email)
    return HttpResponse("ok")
'''

APP = '''\
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/run")
def run():
    os.system(request.args.to_dict(flat=True)["cmd"])  # BST202
    os.system(request.args.get(key="cmd"))  # BST202
    os.system(request.args.get("missing", default=request.form["cmd"]))  # BST202
    return "ok"
'''


def test_a_row_selected_by_request_data_is_not_the_request(tmp_path):
    assert_checked_apps({"views.py": VIEWS, "app.py": APP}, tmp_path)
