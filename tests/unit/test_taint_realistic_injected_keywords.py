"""Taint analysis on a realistic app: a decorator of the module that injects request data as a
keyword argument of the function it wraps (a login decorator handing the view its user, the
everyday form of webargs' `@use_args`); a decorator storing a constant hands it nothing. The
libraries' own decorators as their documentation writes them: webargs' `@use_args({...},
location="query")` hands the view the parsed data as its next positional argument (after Django's
`request`, before Flask's route parameters) or as `arg_name`, `@use_kwargs` (webargs',
flask-apispec's) the schema's fields as keywords; a parameter outside the schema's keys, and a
`use_args` of the app's own, are not the request's.
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
''',
    'parsed.py': r'''import shlex
import subprocess

from flask import Flask
from flask.views import MethodView
from flask_apispec import use_kwargs as doc_kwargs
from marshmallow import Schema, fields
from webargs.flaskparser import parser, use_args, use_kwargs

from helpers import use_args as own_args

app = Flask(__name__)


class HostSchema(Schema):
    host = fields.Str(required=True)


@app.route("/ping/<int:count>")
@use_args({"host": fields.Str(required=True)}, location="query")
def ping(args, count):
    return subprocess.check_output(f"ping -c {count} " + args["host"], shell=True)  # BST202


@app.route("/trace")
@use_kwargs({"host": fields.Str()}, location="query")
def trace(host, hops=30):
    subprocess.run(f"traceroute -m {hops} example.org", shell=True)
    subprocess.run("traceroute " + shlex.quote(host), shell=True)
    return subprocess.check_output(f"traceroute -m {hops} " + host, shell=True)  # BST202


@app.route("/dig")
@parser.use_args({"name": fields.Str()}, location="query", arg_name="query")
def dig(query):
    return subprocess.check_output("dig " + query["name"], shell=True)  # BST202


@app.route("/whois")
@doc_kwargs(HostSchema)
def whois(host):
    return subprocess.check_output("whois " + host, shell=True)  # BST202


@app.route("/local")
@own_args("host")
def local(host):
    return subprocess.check_output("host " + host, shell=True)


class Lookup(MethodView):
    @use_args(HostSchema(), location="json")
    def post(self, body):
        return subprocess.check_output("nslookup " + body["host"], shell=True)  # BST202


app.add_url_rule("/lookup", view_func=Lookup.as_view("lookup"))
''',
    'django_views.py': r'''import subprocess

from django.http import HttpResponse
from webargs import fields
from webargs.djangoparser import use_args


@use_args({"host": fields.Str()}, location="query")
def ping(request, args):
    out = subprocess.check_output("ping -c 1 " + args["host"], shell=True)  # BST202
    return HttpResponse(out, content_type="text/plain")
''',
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
