"""Taint analysis on realistic apps written from the libraries' and frameworks' documentation,
round ten: the categories the held-out benchmark scored zero on (issue 12). An intranet
directory service in Flask whose views hand request data to a module of ldap3 and python-ldap
wrappers (filters built with `+`, `format` and `%`, a `filterstr=` keyword, a paged search, a
bind DN; `escape_filter_chars` / `filter_format` twins, an `isalnum` guard), and a Pyramid
formula and plugin service (`eval` with emptied builtins, `compile`, `types.FunctionType`,
`importlib.import_module`, `__import__`, a plugin loaded from a file the request names;
`ast.literal_eval`, an AST walker and allow-list twins) keeping settings and a history in the
session, in place too (`session["history"].insert(0, q)`). The document importer of this round
is test_taint_realistic_importer.py.

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent. A flow through a helper module is reported at the
view's call, as every cross-module flow is."""

# ruff: noqa: E501  (whole modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

DIRECTORY = {
    'dirsvc/app.py': r'''from flask import Flask

from directory.views import bp


def create_app():
    app = Flask(__name__)
    app.secret_key = "dev"
    app.register_blueprint(bp, url_prefix="/dir")
    return app
''',
    'dirsvc/directory/__init__.py': r'''''',
    'dirsvc/directory/ldapdir.py': r'''"""Thin wrappers the views call: the filter is built here, from what the view hands in."""
import ldap
import ldap.filter
from ldap3 import ALL, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

BASE = "ou=people,dc=corp,dc=example"
server = Server("ldap://ldap.corp.example", get_info=ALL)


def connect():
    return Connection(server, "cn=reader,dc=corp,dc=example", "secret", auto_bind=True)


def find_people(term):
    conn = connect()
    conn.search(search_base=BASE, search_filter="(|(cn=*" + term + "*)(mail=*" + term + "*))", search_scope=SUBTREE, attributes=["cn", "mail"])
    return [e.entry_to_json() for e in conn.entries]


def find_people_safely(term):
    conn = connect()
    term = escape_filter_chars(term)
    conn.search(search_base=BASE, search_filter="(|(cn=*" + term + "*)(mail=*" + term + "*))", search_scope=SUBTREE, attributes=["cn", "mail"])
    return [e.entry_to_json() for e in conn.entries]


def group_members(group):
    conn = connect()
    flt = "(&(objectClass=groupOfNames)(cn={}))".format(group)
    conn.search(BASE, flt, attributes=["member"])
    return conn.entries


def legacy_lookup(uid):
    l = ldap.initialize("ldap://ldap.corp.example")
    l.simple_bind_s("cn=reader,dc=corp,dc=example", "secret")
    return l.search_s(BASE, ldap.SCOPE_SUBTREE, filterstr="(uid=%s)" % uid)


def legacy_lookup_safely(uid):
    l = ldap.initialize("ldap://ldap.corp.example")
    l.simple_bind_s("cn=reader,dc=corp,dc=example", "secret")
    return l.search_s(BASE, ldap.SCOPE_SUBTREE, filterstr=ldap.filter.filter_format("(uid=%s)", [uid]))


def check_password(uid, password):
    l = ldap.initialize("ldap://ldap.corp.example")
    try:
        l.simple_bind_s("uid=%s,%s" % (uid, BASE), password)
        return True
    except ldap.INVALID_CREDENTIALS:
        return False


def pages(manager_dn):
    conn = connect()
    return list(conn.extend.standard.paged_search(BASE, "(manager=" + manager_dn + ")", attributes=["cn"]))
''',
    'dirsvc/directory/views.py': r'''import logging

from flask import Blueprint, abort, jsonify, redirect, request, session, url_for

from . import ldapdir

bp = Blueprint("directory", __name__)
log = logging.getLogger(__name__)
ROLES = {"viewer", "editor"}


@bp.route("/people")
def people():
    return jsonify(ldapdir.find_people(request.args.get("q", "")))  # BST205


@bp.route("/people/safe")
def people_safe():
    return jsonify(ldapdir.find_people_safely(request.args.get("q", "")))


@bp.route("/groups/<group>")
def group(group):
    return jsonify([str(e) for e in ldapdir.group_members(group)])  # BST205


@bp.route("/legacy/<uid>")
def legacy(uid):
    if not uid.isalnum():
        abort(400)
    return jsonify(ldapdir.legacy_lookup(uid))


@bp.route("/legacy2")
def legacy2():
    return jsonify(ldapdir.legacy_lookup(request.args["uid"]))  # BST205


@bp.route("/legacy3")
def legacy3():
    return jsonify(ldapdir.legacy_lookup_safely(request.args["uid"]))


@bp.route("/reports")
def reports():
    return jsonify(ldapdir.pages(request.args["manager"]))  # BST205


@bp.post("/login")
def login():
    uid = request.form["uid"]
    if ldapdir.check_password(uid, request.form["password"]):  # BST205
        session["uid"] = uid  # BST208
        role = request.form.get("role", "viewer")
        if role in ROLES:
            session["role"] = role
        log.info("login ok for %s", uid)  # BST207
        session.setdefault("recent", []).append(request.form.get("from", ""))  # BST208
        return redirect(url_for("directory.people"))
    return redirect(request.args.get("next", "/"))  # BST210
''',
}

FORMULAS = {
    'plugins/formulas.py': r'''"""A Pyramid spreadsheet-like service: formulas, plugins, per-user settings in the session."""
import ast
import importlib
import importlib.util
import math
import operator
import types

from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPBadRequest, HTTPFound
from pyramid.response import Response
from pyramid.view import view_config, view_defaults

PLUGINS = {"csv": "exporters.csv_exporter", "xlsx": "exporters.xlsx_exporter"}
SAFE_NAMES = {"pi": math.pi, "e": math.e, "sqrt": math.sqrt}
OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
THEMES = ("light", "dark")


def safe_eval(node):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in OPS:
        return OPS[type(node.op)](safe_eval(node.left), safe_eval(node.right))
    raise ValueError("unsupported")


@view_config(route_name="calc", renderer="json")
def calc(request):
    formula = request.params["formula"]
    return {"value": eval(formula, {"__builtins__": None}, SAFE_NAMES)}  # BST206


@view_config(route_name="calc_safe", renderer="json")
def calc_safe(request):
    tree = ast.parse(request.params["formula"], mode="eval")
    return {"value": safe_eval(tree.body)}


@view_config(route_name="literal", renderer="json")
def literal(request):
    return {"value": ast.literal_eval(request.params["value"])}


@view_config(route_name="export", renderer="json")
def export(request):
    fmt = request.matchdict["fmt"]
    if fmt not in PLUGINS:
        raise HTTPBadRequest()
    module = importlib.import_module(PLUGINS[fmt])
    return {"exported": module.export()}


@view_config(route_name="export_any", renderer="json")
def export_any(request):
    module = importlib.import_module(request.matchdict["module"])  # BST206
    return {"exported": module.export()}


@view_config(route_name="hook", renderer="json")
def hook(request):
    name = request.json_body["hook"]
    mod = __import__(name, fromlist=["run"])  # BST206
    return {"ok": mod.run()}


@view_config(route_name="plugin", request_method="POST", renderer="json")
def run_plugin(request):
    name = request.POST["plugin"]
    spec = importlib.util.spec_from_file_location("plugin", f"/srv/plugins/{name}.py")  # BST206
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {"result": module.run()}


@view_config(route_name="plugin_listed", request_method="POST", renderer="json")
def run_listed_plugin(request):
    name = request.POST["plugin"]
    if name not in PLUGINS:
        raise HTTPBadRequest()
    spec = importlib.util.spec_from_file_location(name, f"/srv/plugins/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    request.session.setdefault("used", []).append(name)
    return {"result": module.run()}


@view_config(route_name="macro", request_method="POST", renderer="json")
def macro(request):
    source = request.POST["source"]
    code = compile(source, "<macro>", "exec")  # BST206
    ns = {}
    exec(code, ns)
    return {"names": sorted(ns)}


@view_config(route_name="lambda", renderer="json")
def make_lambda(request):
    body = request.GET.get("body", "x")
    fn = types.FunctionType(compile("lambda x: " + body, "<f>", "eval").co_consts[0], {})  # BST206
    return {"value": fn(2)}


@view_defaults(route_name="prefs", renderer="json")
class Prefs:
    """The user's settings and recent queries, kept in the session."""

    def __init__(self, request):
        self.request = request
        self.recent = 10

    @view_config(request_method="POST")
    def save(self):
        theme = self.request.POST.get("theme", "light")
        if theme in THEMES:
            self.request.session["theme"] = theme
        self.request.session["nickname"] = self.request.POST["nickname"]  # BST208
        self.request.session["history"].insert(0, self.request.POST.get("query", ""))  # BST208
        self.request.session["history"].insert(0, len(self.request.POST.get("query", "")))
        del self.request.session["history"][self.recent:]
        return {"ok": True}

    @view_config(request_method="GET")
    def show(self):
        return {"theme": self.request.session.get("theme")}


@view_config(route_name="switch")
def switch(request):
    request.session.update(account=request.params["account"])  # BST208
    request.session["count"] = int(request.params.get("count", "0"))
    return HTTPFound(location=request.route_url("calc"))


@view_config(route_name="page")
def page(request):
    title = request.params.get("title", "")
    return Response("<h1>" + title + "</h1>")  # BST203


def main():
    with Configurator() as config:
        config.include("pyramid_beaker")
        config.add_route("calc", "/calc")
        config.scan()
        return config.make_wsgi_app()
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
@pytest.mark.parametrize("apps", [DIRECTORY, FORMULAS], ids=["directory", "formulas"])
def test_check_reports_the_marked_lines_with_their_cwe(apps, tmp_path):
    assert_checked_apps(apps, tmp_path)
