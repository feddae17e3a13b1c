"""A name normalized on its own (`name = os.path.normpath(x)`) then refused when it starts with
`..` (issue 12): normpath folds every inner `..`, so one that does not start so has none, and
appended to a base it stays under it; refused when absolute too, it is safe joined or used
whole. The whole path normalized (`normpath(join(BASE, x))`) tested so, and a name tested only
for its start used whole, stay reported. Cases written from the os.path documentation."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

NORMALIZED = '''\
import os

from flask import Flask, abort, request, send_file

ROOT = "/srv/files/"
app = Flask(__name__)


@app.get("/appended")
def appended():
    name = os.path.normpath(request.args["name"])
    if name.startswith(".."):
        abort(400)
    return send_file(ROOT + name)


@app.get("/joined")
def joined():
    name = os.path.normpath(request.args["name"])
    if name.startswith("..") or os.path.isabs(name):
        abort(400)
    return send_file(os.path.join(ROOT, name))


@app.get("/start-only")
def start_only():
    name = os.path.normpath(request.args["name"])
    if name.startswith(".."):
        abort(400)
    return send_file(os.path.join(ROOT, name))  # BST201


@app.get("/whole")
def whole():
    path = os.path.normpath(os.path.join(ROOT, request.args["name"]))
    if path.startswith(".."):
        abort(400)
    return send_file(path)  # BST201


@app.get("/raw")
def raw():
    name = request.args["name"]
    if name.startswith(".."):
        abort(400)
    return send_file(ROOT + name)  # BST201
'''


def test_marked_lines_are_the_findings():
    assert_marked(NORMALIZED)


def test_bastion_check(tmp_path):
    assert_checked_apps({"app.py": NORMALIZED}, tmp_path)
