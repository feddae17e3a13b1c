"""Taint analysis on a realistic app: a decorator of the module that injects request data as a
keyword argument of the function it wraps (a login decorator handing the view its user, the
everyday form of webargs' `@use_args`); a decorator storing a constant hands it nothing.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'app.py': r'''import sqlite3
import subprocess
from functools import wraps

from flask import Flask, request

app = Flask(__name__)


def with_user(f):
    @wraps(f)
    def inner(*args, **kwargs):
        kwargs["user"] = request.headers.get("X-User", "anon")
        return f(*args, **kwargs)
    return inner


def with_guest(view):
    @wraps(view)
    def wrapper(*args, **kw):
        kw["user"] = "guest"
        return view(*args, **kw)
    return wrapper


def use_query(f):
    @wraps(f)
    def inner(*args, **kwargs):
        kwargs["q"] = request.args.get("q", "")
        return f(*args, **kwargs)
    return inner


@app.get("/me")
@with_user
def me(user):
    rows = sqlite3.connect("app.db").execute(f"SELECT * FROM users WHERE name = '{user}'")  # BST204
    return str(rows.fetchall())


@app.get("/guest")
@with_guest
def guest(user):
    rows = sqlite3.connect("app.db").execute(f"SELECT * FROM users WHERE name = '{user}'")
    return str(rows.fetchall())


@app.get("/search")
@use_query
def search(q, limit=10):
    subprocess.run(f"grep -r {q} /srv/data | head -{limit}", shell=True)  # BST202
    return "ok"


@use_query
def export(q):
    subprocess.run("tar czf /tmp/out.tgz " + q, shell=True)  # BST202
'''
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)


EDITED = '''import subprocess
from functools import wraps

from flask import request


def use_query(f):
    @wraps(f)
    def inner(*args, **kwargs):
        kwargs["q"] = {stored}
        return f(*args, **kwargs)
    return inner


@use_query
def export(q):
    subprocess.run("tar czf /tmp/out.tgz " + q, shell=True)
'''


def test_an_edit_of_the_decorator_alone_reaches_the_function_analysed_before():
    """The functions are cached (as in the editor): an edit of the decorator's stored keyword
    alone changes what the decorated function reports, both ways."""
    from bastion.analyzers.taint.analyzer import TaintAnalyzer

    analyzer = TaintAnalyzer()
    tainted = EDITED.format(stored='request.args["q"]')
    constant = EDITED.format(stored='"all"')
    for _ in range(2):
        assert [f.rule_id for f in analyzer.analyse_file(tainted, "tool.py")] == ["BST202"]
        assert analyzer.analyse_file(constant, "tool.py") == []
