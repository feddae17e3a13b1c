"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
a Quart blueprint (websocket, uploads, a storage helper), a Sanic blueprint (asyncpg, Jinja, an
exec'd script), Pyramid class-based views (view_defaults, the request kept by __init__) and a
Bottle app instance (a token decorator, ldap3, lxml, urllib, typed responses).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'quart_bp.py': r'''import logging
import os
import subprocess

from quart import Blueprint, Response, current_app, redirect, request, session, websocket

bp = Blueprint("files", __name__)
log = logging.getLogger(__name__)


def storage_path(name):
    return os.path.join(current_app.config["STORAGE"], name)


@bp.route("/files/<path:name>", methods=["DELETE"])
async def delete(name):
    os.remove(storage_path(name))  # BST201
    return "", 204


@bp.route("/files", methods=["POST"])
async def upload():
    files = await request.files
    f = files["file"]
    await f.save(storage_path(f.filename))  # BST201
    return "", 201


@bp.websocket("/ws")
async def ws():
    while True:
        msg = await websocket.receive()
        out = subprocess.getoutput(msg)  # BST202
        await websocket.send(out)


@bp.route("/login", methods=["POST"])
async def login():
    form = await request.form
    session["role"] = form.get("role", "user")  # BST208
    return redirect(form.get("next", "/"))  # BST210


@bp.route("/raw")
async def raw():
    return Response("<b>" + request.args.get("x", "") + "</b>", mimetype="text/html")  # BST203
''',
    'sanic_bp.py': r'''import asyncio
import logging

import asyncpg
from jinja2 import Environment, Template
from sanic import Blueprint, Request, response

bp = Blueprint("reports", url_prefix="/reports")
log = logging.getLogger("reports")
env = Environment(autoescape=True)


@bp.get("/<name>")
async def report(request: Request, name: str):
    conn = await asyncpg.connect("postgresql://localhost/reports")
    rows = await conn.fetch("SELECT * FROM reports WHERE name = '" + name + "'")  # BST204
    rows2 = await conn.fetch("SELECT * FROM reports WHERE name = $1", name)
    return response.json({"n": len(rows) + len(rows2)})


@bp.post("/render")
async def render(request: Request):
    body = request.json or {}
    tpl = Template(body.get("template", ""))  # BST214
    tpl2 = env.get_template("report.html")
    return response.html(tpl.render() + tpl2.render(title=body.get("title")))  # BST203


@bp.post("/run")
async def run(request: Request):
    script = request.form.get("script")
    proc = await asyncio.create_subprocess_exec("bash", "-c", script)  # BST202
    await proc.wait()
    log.info("ran %s", request.form.get("script"))  # BST207
    return response.empty()


@bp.get("/go")
async def go(request: Request):
    return response.redirect(request.headers.get("referer", "/"))  # BST210
''',
    'pyramid_views.py': r'''import logging
import os
import subprocess

from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config, view_defaults

log = logging.getLogger(__name__)
REPORTS = "/srv/reports"


@view_defaults(route_name="report")
class ReportViews:
    def __init__(self, request):
        self.request = request
        self.name = request.matchdict.get("name", "")

    @view_config(request_method="GET")
    def show(self):
        path = os.path.join(REPORTS, self.name)
        with open(path) as fh:  # BST201
            return Response(fh.read(), content_type="text/plain")

    @view_config(request_method="POST")
    def rebuild(self):
        opts = self.request.POST.get("opts", "")
        subprocess.run("make -C /srv/reports " + opts, shell=True)  # BST202
        return HTTPFound(location=self.request.route_url("report", name=self.name))

    @view_config(request_method="DELETE")
    def delete(self):
        if self.name not in os.listdir(REPORTS):
            raise HTTPNotFound()
        os.remove(os.path.join(REPORTS, self.name))
        log.info("deleted report %s", self.request.params.get("reason"))  # BST207
        return Response("deleted")


@view_config(route_name="echo")
def echo(request):
    resp = Response()
    resp.text = "<p>" + request.params.get("m", "") + "</p>"  # BST203
    return resp


@view_config(route_name="next")
def nxt(request):
    return HTTPFound(request.params["came_from"])  # BST210
''',
    'bottle_api.py': r'''import json
import logging
import subprocess
import urllib.request
from functools import wraps
from xml.dom import minidom

import ldap3
from bottle import Bottle, HTTPResponse, request, response, template
from lxml import etree

api = Bottle()
log = logging.getLogger("api")
SERVER = ldap3.Server("ldap://ldap.example.com")


def json_body():
    return json.loads(request.body.read() or b"{}")


def require_token(fn):
    @wraps(fn)
    def inner(*args, **kwargs):
        if request.get_header("X-Token") != "secret":
            return HTTPResponse(status=401)
        return fn(*args, **kwargs)
    return inner


@api.get("/users/<uid>")
@require_token
def user(uid):
    conn = ldap3.Connection(SERVER, auto_bind=True)
    conn.search("dc=example,dc=com", f"(&(objectClass=person)(uid={uid}))")  # BST205
    return {"entries": len(conn.entries)}


@api.get("/users2/<uid>")
@require_token
def user_safe(uid):
    from ldap3.utils.conv import escape_filter_chars
    conn = ldap3.Connection(SERVER, auto_bind=True)
    conn.search("dc=example,dc=com", f"(uid={escape_filter_chars(uid)})")
    return {"entries": len(conn.entries)}


@api.post("/convert")
def convert():
    body = json_body()
    fmt = body.get("format", "png")
    subprocess.Popen("convert input.svg output." + fmt, shell=True)  # BST202
    return {"ok": True}


@api.post("/import")
def import_doc():
    doc = minidom.parseString(request.body.read())
    parser = etree.XMLParser(load_dtd=True, resolve_entities=True)
    tree = etree.parse(request.files.get("doc").file, parser)  # BST211
    return {"nodes": len(doc.childNodes) + len(tree.getroot())}


@api.get("/find")
def find():
    tree = etree.parse("/srv/catalog.xml")
    sku = request.query.sku
    return {"hits": len(tree.xpath("//item[sku='" + sku + "']"))}  # BST212


@api.get("/mirror")
def mirror():
    with urllib.request.urlopen(request.query.src) as r:  # BST213
        return r.read()


@api.get("/card")
def card():
    tpl = request.query.get("tpl", "{{name}}")
    return template(tpl, name="x")  # BST214


@api.get("/page")
def page():
    response.content_type = "text/html"
    return "<div>" + request.query.get("msg", "") + "</div>"  # BST203


@api.get("/plain")
def plain():
    response.content_type = "text/plain"
    return request.query.get("msg", "")


@api.post("/audit")
def audit():
    actions = {"login": "user logged in", "logout": "user logged out"}
    log.info(actions.get(request.forms.get("action"), "unknown"))
    log.info("audit: %s", request.forms.get("action"))  # BST207
    return {}
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
