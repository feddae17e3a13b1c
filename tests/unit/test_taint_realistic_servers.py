"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
one module each of Quart, Sanic, Falcon, Bottle and Pyramid handlers (route parameters, forms and
JSON bodies, class views and resources, redirects, files, templates).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'quart_app.py': r'''import asyncio
import logging
import os

import aiofiles
import httpx
from quart import Quart, abort, jsonify, redirect, render_template_string, request, send_file, session

app = Quart(__name__)
log = logging.getLogger(__name__)
FILES = "/srv/files"


@app.route("/note/<name>")
async def note(name):
    async with aiofiles.open(os.path.join(FILES, name)) as fh:  # BST201
        return await fh.read()


@app.route("/note2/<name>")
async def note_safe(name):
    async with aiofiles.open(os.path.join(FILES, os.path.basename(name))) as fh:
        return await fh.read()


@app.post("/run")
async def run():
    form = await request.form
    proc = await asyncio.create_subprocess_shell("git log --oneline " + form["ref"])  # BST202
    await proc.wait()
    return jsonify(code=proc.returncode)


@app.post("/hook")
async def hook():
    data = await request.get_json()
    async with httpx.AsyncClient() as client:
        r = await client.post(data["callback"], json={"ok": True})  # BST213
    return jsonify(status=r.status_code)


@app.get("/welcome")
async def welcome():
    who = request.args.get("who", "")
    return await render_template_string("Welcome " + who)  # BST214


@app.get("/welcome2")
async def welcome_safe():
    return await render_template_string("Welcome {{ who }}", who=request.args.get("who", ""))


@app.get("/back")
async def back():
    return redirect(request.args["return_to"])  # BST210


@app.get("/fetch")
async def fetch():
    return await send_file(request.args["path"])  # BST201


@app.post("/lang")
async def lang():
    form = await request.form
    session["lang"] = form.get("lang", "en")  # BST208
    log.info("lang changed to %s", form.get("lang"))  # BST207
    return f"<p>Language: {form.get('lang')}</p>"  # BST203
''',
    'sanic_app.py': r'''import os
import subprocess

import aiohttp
from sanic import Sanic, response
from sanic.views import HTTPMethodView

app = Sanic("files")
ROOT = "/srv/sanic"


@app.get("/show")
async def show(request):
    name = request.args.get("name", "")
    return response.html(f"<h1>{name}</h1>")  # BST203


@app.get("/show2")
async def show_safe(request):
    name = request.args.get("name", "")
    return response.text(f"{name}")


@app.get("/file/<fname>")
async def file(request, fname):
    return await response.file(os.path.join(ROOT, fname))  # BST201


@app.post("/exec")
async def do_exec(request):
    cmd = request.json.get("cmd")
    out = subprocess.getoutput(cmd)  # BST202
    return response.json({"out": out})


@app.get("/proxy")
async def proxy(request):
    async with aiohttp.ClientSession() as s:
        async with s.get(request.args.get("u")) as r:  # BST213
            return response.text(await r.text())


class ItemView(HTTPMethodView):
    async def get(self, request, item_id):
        fmt = request.args.get("fmt", "json")
        expr = request.args.get("filter", "True")
        keep = eval(expr)  # BST206
        return response.json({"id": item_id, "fmt": fmt, "keep": bool(keep)})

    async def post(self, request, item_id):
        return response.redirect(request.form.get("next", "/"))  # BST210


app.add_route(ItemView.as_view(), "/items/<item_id>")
''',
    'falcon_app.py': r'''import json
import logging
import sqlite3
import subprocess

import falcon

log = logging.getLogger("api")


class UserResource:
    def __init__(self, db_path):
        self.db = sqlite3.connect(db_path)

    def on_get(self, req, resp, user_id):
        sort = req.get_param("sort") or "name"
        cur = self.db.execute(f"SELECT * FROM users WHERE id = {user_id} ORDER BY {sort}")  # BST204
        resp.media = {"rows": cur.fetchall()}

    def on_post(self, req, resp, user_id):
        body = req.get_media()
        self.db.execute("UPDATE users SET name = ? WHERE id = ?", (body["name"], user_id))
        log.info("renamed user " + body["name"])  # BST207
        resp.status = falcon.HTTP_204


class ToolsResource:
    def on_get(self, req, resp):
        target = req.get_param("target", required=True)
        resp.text = subprocess.check_output(f"traceroute {target}", shell=True).decode()  # BST202

    def on_post(self, req, resp):
        raise falcon.HTTPFound(req.get_param("to"))  # BST210


app = falcon.App()
app.add_route("/users/{user_id}", UserResource("users.db"))
tools = ToolsResource()
app.add_route("/tools", tools)
''',
    'bottle_app.py': r'''import os
import sqlite3

from bottle import abort, redirect, request, response, route, run, static_file, template

DB = sqlite3.connect("bottle.db")


@route("/static/<filepath:path>")
def server_static(filepath):
    return static_file(filepath, root="/srv/static")


@route("/raw")
def raw():
    return open(os.path.join("/srv/static", request.query.name)).read()  # BST201


@route("/hello/<name>")
def hello(name):
    return template("<b>Hello " + name + "</b>")  # BST214


@route("/hello2/<name>")
def hello_safe(name):
    return template("<b>Hello {{name}}</b>", name=name)


@route("/q")
def q():
    city = request.query.get("city", "")
    rows = DB.execute("SELECT * FROM shops WHERE city = '" + city + "'").fetchall()  # BST204
    return {"rows": rows}


@route("/login", method="POST")
def login():
    response.set_cookie("account", request.forms.get("username"), secret="s3cr3t")
    redirect(request.forms.get("next") or "/")  # BST210


@route("/echo")
def echo():
    return "<pre>%s</pre>" % request.query.msg  # BST203


if __name__ == "__main__":
    run(host="localhost", port=8080)
''',
    'pyramid_app.py': r'''import logging
import subprocess

import requests
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPFound
from pyramid.response import FileResponse, Response
from pyramid.view import view_config

log = logging.getLogger(__name__)


@view_config(route_name="home", renderer="string")
def home(request):
    return "<h1>" + request.params.get("title", "") + "</h1>"


@view_config(route_name="page")
def page(request):
    return Response("<h1>" + request.params.get("title", "") + "</h1>")  # BST203


@view_config(route_name="doc")
def doc(request):
    name = request.matchdict["name"]
    return FileResponse("/srv/docs/" + name, request=request)  # BST201


@view_config(route_name="go")
def go(request):
    return HTTPFound(location=request.GET.get("u", "/"))  # BST210


@view_config(route_name="status", renderer="json")
def status(request):
    svc = request.json_body.get("service")
    out = subprocess.run("systemctl status " + svc, shell=True, capture_output=True)  # BST202
    return {"rc": out.returncode}


@view_config(route_name="avatar", renderer="json")
def avatar(request):
    url = request.POST.get("avatar_url")
    img = requests.get(url, timeout=5).content  # BST213
    log.info("avatar for %s", request.authenticated_userid)
    return {"size": len(img)}


def main():
    with Configurator() as config:
        config.add_route("home", "/")
        config.add_route("page", "/page")
        config.add_route("doc", "/doc/{name}")
        config.add_route("go", "/go")
        config.add_route("status", "/status")
        config.add_route("avatar", "/avatar")
        config.scan()
        return config.make_wsgi_app()
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
