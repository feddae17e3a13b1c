"""A `".." in name` test refused (issue 12) proves a name safe appended to a base (`BASE + name`,
`f"{BASE}/{name}"`), where it cannot climb out; not used whole as the path (`send_file(name)`,
`open(name)`), where `/etc/passwd` has no `..`, nor joined (`os.path.join`), where an absolute
name replaces the base. With the absolute test too (`name.startswith("/")`, `os.path.isabs`)
it is safe everywhere. Cases written from Flask's send_file and os.path documentation."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

DOTDOT = '''\
import os

from flask import Flask, abort, request, send_file

BASE = "/srv/files/"
app = Flask(__name__)


@app.get("/1")
def whole():
    name = request.args["name"]
    if ".." in name:
        abort(400)
    return send_file(name)  # BST201


@app.route("/2")
def whole_open():
    name = request.args["name"]
    if ".." in name:
        abort(400)
    with open(name) as f:  # BST201
        return f.read()


@app.route("/3")
def appended():
    name = request.args["name"]
    if ".." in name:
        abort(400)
    return send_file(BASE + name)


@app.route("/4")
def formatted():
    name = request.args["name"]
    if ".." in name:
        abort(400)
    return send_file(f"{BASE}/{name}")


@app.route("/5")
def joined():
    name = request.args["name"]
    if ".." in name:
        abort(400)
    return send_file(os.path.join(BASE, name))  # BST201


@app.route("/6")
def joined_relative():
    name = request.args["name"]
    if ".." in name or os.path.isabs(name):
        abort(400)
    return send_file(os.path.join(BASE, name))


@app.route("/7")
def whole_relative():
    name = request.args["name"]
    if ".." in name or name.startswith("/"):
        abort(400)
    return send_file(name)


@app.route("/8")
def suffixed():
    name = request.args["name"]
    if ".." in name:
        abort(400)
    return send_file(name + ".txt")  # BST201
'''


def test_marked_lines_are_the_findings():
    assert_marked(DOTDOT)


def test_bastion_check(tmp_path):
    assert_checked_apps({"app.py": DOTDOT}, tmp_path)
