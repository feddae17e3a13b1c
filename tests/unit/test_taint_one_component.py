"""Taint analysis: a name tested for a separator and a leading dot together (`"/" in name or
name.startswith(".")`, the request refused when it holds) is one component, neither `.` nor `..`:
appended or joined to a directory it stays there (path_guards.one_component). Either test alone
proves less: `..` has no separator, `a/../..` no leading dot; `"."` tested elsewhere than the start
proves nothing.
Each line that must report ends with its rule (taint_marked.py); every other line stays silent."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = r'''import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
FILES = "/srv/files"


@app.post("/delete")
def delete():
    name = request.form["name"]
    if "/" in name or name.startswith("."):
        abort(400)
    os.remove(FILES + "/" + name)
    return send_file(os.path.join(FILES, name))


@app.post("/delete/and")
def delete_and():
    name = request.form["name"]
    if "/" not in name and not name.startswith("."):
        os.remove(os.path.join(FILES, name))
    return "", 204


@app.post("/delete/slash")
def delete_slash():
    name = request.form["name"]
    if "/" in name:
        abort(400)
    os.remove(FILES + "/" + name)  # BST201
    return "", 204


@app.post("/delete/dot")
def delete_dot():
    name, other = request.form["name"], request.form["other"]
    if name.startswith("."):
        return "", 400
    os.remove(f"{FILES}/{name}")  # BST201
    if "/" in other or name.startswith("."):
        return "", 400
    os.unlink(f"{FILES}/{name}")  # BST201
    if "/" in name and name.startswith("."):
        return "", 400
    os.rmdir(f"{FILES}/{name}")  # BST201
    return "", 204
'''


def test_a_name_without_separator_nor_leading_dot_is_one_component():
    assert_marked(APP)
