"""Taint analysis through `bastion check`: a redirect target proven a path of this site by tests in
separate conditions (`if not url.startswith("/"): return ...`, `if url.startswith("//"): return
...`, `if "\\\\" in url: return ...`) is as safe as by the three in one condition; with one test
missing (a browser reads `/\\evil.example` as `//evil.example`), or one that holds on some paths
only, it stays an open redirect. So do the tests proving a file name one component
(`if "/" in name: abort(400)` then `if name.startswith("."): abort(400)`), a test missing
leaving path traversal (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
from flask import Flask, abort, redirect, request

app = Flask(__name__)


@app.route("/r1")
def r1():
    url = request.args.get("next", "/")
    if not url.startswith("/"):
        return redirect("/")
    if url.startswith("//"):
        return redirect("/")
    if "\\\\" in url:
        return redirect("/")
    return redirect(url)


@app.route("/r2")
def r2():
    url = request.args.get("next", "/")
    if not url.startswith("/") or url.startswith("//"):
        return redirect("/")
    if "\\\\" in url:
        return redirect("/")
    return redirect(url)


@app.route("/r3", methods=["POST"])
def r3():
    target = request.form["next"]
    if "\\\\" in target:
        abort(400)
    if target.startswith("/"):
        return redirect(target)  # BST210
    abort(400)


@app.route("/r4")
def r4():
    url = request.args.get("next", "/")
    if request.args.get("x"):
        if not url.startswith("/"):
            return redirect("/")
    if url.startswith("//") or "\\\\" in url:
        return redirect("/")
    return redirect(url)  # BST210
'''


def test_site_path_tests_in_separate_conditions_combine(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)


FILES = '''\
import os

from flask import Flask, abort, request

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/one")
def one():
    name = request.args.get("name", "")
    if "/" in name:
        abort(400)
    if name.startswith("."):
        abort(400)
    return open(os.path.join(BASE, name)).read()


@app.route("/slash_only")
def slash_only():
    name = request.args.get("name", "")
    if "/" in name:
        abort(400)
    return open(os.path.join(BASE, name)).read()  # BST201


@app.route("/dot_only", methods=["POST"])
def dot_only():
    target = request.form["name"]
    if not target.startswith("."):
        return open(BASE + "/" + target).read()  # BST201
    abort(400)
'''


def test_component_tests_in_separate_conditions_combine(tmp_path):
    assert_checked_apps({"files.py": FILES}, tmp_path)
