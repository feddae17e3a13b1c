"""Closures a factory returns (closures.py): the function a factory hands back runs on what the
factory's names held when it returned, the caller's arguments in them, not on the caller's own
locals: `prefixed("ls ")(q)`, `job = bound(q); job()`, `deferred(q)()` report inside the
closure; a factory given a constant, a closure quoting its argument, a caller whose own
local shares the captured name (`cmd`) and the rows a closure sorts (`key=by(field)`: code, not
data of the call) do not. A line that must report ends with its rule."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

FACTORIES = '''\
import os
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)
ROWS = [{"name": "a", "size": 1}]


def prefixed(prefix):
    def run(arg):
        os.system(prefix + arg)  # BST202
    return run


def bound(cmd):
    def run():
        subprocess.run(cmd, shell=True)  # BST202
    return run


def deferred(cmd):
    return lambda: os.system(cmd)  # BST202


def fixed(cmd):
    return lambda: os.system(cmd)


def quoted(prefix):
    return lambda arg: os.system(prefix + shlex.quote(arg))


def by(field):
    return lambda row: row[field]


@app.route("/list")
def listing():
    prefixed("ls ")(request.args["q"])
    return "ok"


@app.route("/job")
def job():
    task = bound(request.args["cmd"])
    task()
    return "ok"


@app.route("/later")
def later():
    deferred(request.form["cmd"])()
    return "ok"


@app.route("/uptime")
def uptime():
    cmd = request.args["cmd"]
    if cmd:
        fixed("uptime")()
    return "ok"


@app.route("/quoted")
def quoted_listing():
    quoted("ls ")(request.args["q"])
    return "ok"


@app.route("/rows")
def rows():
    ordered = sorted(ROWS, key=by(request.args["sort"]))
    return "<p>" + str(ordered) + "</p>"
'''

APPS = {"closure_factories.py": FACTORIES}


def test_a_returned_closure_runs_on_what_its_factory_captured(tmp_path):
    """The analyser reports the marked lines alone, and `bastion check` does too."""
    for source in APPS.values():
        assert_marked(source)
    assert_checked_apps(APPS, tmp_path)
