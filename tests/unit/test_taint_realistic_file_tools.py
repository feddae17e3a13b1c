"""Taint analysis on realistic apps written from the frameworks' documentation, round seven: a Tornado
file manager (request.files, get_body_arguments, request.arguments, render_string, a websocket
console, a bypassable relative-redirect check), a Starlette URL preview and notes service (plain
function routes, await request.form() / json() / body(), an httpx.URL host allowlist, cookies,
TemplateResponse) and a Bottle admin tool (ldap3, compiled XPath, Jinja from_string, {{!raw}}
template prints, a hand-made HTTPResponse redirect).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'tornado_files.py': r'''"""A Tornado file manager: uploads, listings, previews and a websocket console."""
import json
import logging
import os
import shlex
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import tornado.escape
import tornado.web
import tornado.websocket
from lxml import etree

ROOT = "/srv/files"
log = logging.getLogger("files")
db = sqlite3.connect("files.db")


class UploadHandler(tornado.web.RequestHandler):
    def post(self):
        for info in self.request.files["file"]:
            dest = os.path.join(ROOT, info["filename"])
            with open(dest, "wb") as out:  # BST201
                out.write(info["body"])
            safe = os.path.join(ROOT, os.path.basename(info["filename"]))
            with open(safe, "wb") as out:
                out.write(info["body"])
        self.finish({"ok": True})


class ListHandler(tornado.web.RequestHandler):
    def get(self, folder):
        names = os.listdir(os.path.join(ROOT, folder))  # BST201
        items = "".join("<li>%s</li>" % n for n in names)
        self.write("<ul>%s</ul>" % items)  # a listing holds the server's names, not the request's text
        self.write("<h2>%s</h2>" % folder)  # BST203
        self.write("<h2>%s</h2>" % tornado.escape.xhtml_escape(folder))


class RenameHandler(tornado.web.RequestHandler):
    def post(self):
        data = json.loads(self.request.body)
        src, dst = data["src"], data["dst"]
        os.rename(os.path.join(ROOT, src), os.path.join(ROOT, dst))  # BST201
        subprocess.run("mv %s %s" % (src, dst), shell=True, cwd=ROOT)  # BST202
        subprocess.run("mv %s %s" % (shlex.quote(src), shlex.quote(dst)), shell=True, cwd=ROOT)
        self.write({"ok": True})


class TagHandler(tornado.web.RequestHandler):
    def post(self):
        tags = self.get_body_arguments("tag")
        path = self.get_body_argument("path")
        for tag in tags:
            db.execute("INSERT INTO tags VALUES ('%s', '%s')" % (path, tag))  # BST204
            db.execute("INSERT INTO tags VALUES (?, ?)", (path, tag))
        log.info("tagged " + path)  # BST207
        self.write({"n": len(tags)})


class SearchHandler(tornado.web.RequestHandler):
    def get(self):
        q = self.get_query_argument("q", "")
        page = self.render_string("search.html", q=q)
        self.write(page)
        tree = ET.parse(os.path.join(ROOT, "index.xml"))
        hits = tree.findall(".//file[@name='%s']" % q)  # BST212
        self.write({"hits": len(hits)})
        root = etree.parse(os.path.join(ROOT, "index.xml"))
        hits2 = root.xpath("//file[@name=$n]", n=q)
        self.write({"hits2": len(hits2)})


class PreviewHandler(tornado.web.RequestHandler):
    def get(self):
        raw = self.request.arguments.get("name", [b""])[0].decode()
        self.set_header("Content-Type", "text/html")
        self.finish("<pre>%s</pre>" % raw)  # BST203


class DownloadHandler(tornado.web.RequestHandler):
    def get(self):
        name = self.get_argument("name")
        self.set_header("Content-Disposition", "attachment")
        with open(ROOT + "/" + name, "rb") as fh:  # BST201
            self.write(fh.read())
        self.set_header("Location", self.get_argument("after", "/"))  # BST210


class ConsoleSocket(tornado.websocket.WebSocketHandler):
    def on_message(self, message):
        cmd = json.loads(message)
        if cmd.get("op") == "du":
            out = subprocess.check_output("du -sh " + cmd["path"], shell=True)  # BST202
            self.write_message(out)
        elif cmd.get("op") == "eval":
            self.write_message(str(eval(cmd["expr"])))  # BST206


class LoginHandler(tornado.web.RequestHandler):
    def post(self):
        user = self.get_body_argument("user")
        row = db.execute("SELECT id FROM users WHERE name = '" + user + "'").fetchone()  # BST204
        row2 = db.execute("SELECT id FROM users WHERE name = ?", (user,)).fetchone()
        self.set_secure_cookie("user", user)
        nxt = self.get_argument("next", "/")
        if not nxt.startswith("/") or nxt.startswith("//"):
            nxt = "/"
        # a browser reads "/\\evil.example" as "//evil.example"
        self.redirect(nxt)  # BST210
        self.redirect(self.get_body_argument("back"))  # BST210
        return row, row2


def make_app():
    return tornado.web.Application([
        (r"/upload", UploadHandler),
        (r"/list/(.*)", ListHandler),
        (r"/rename", RenameHandler),
        (r"/tag", TagHandler),
        (r"/search", SearchHandler),
        (r"/preview", PreviewHandler),
        (r"/download", DownloadHandler),
        (r"/console", ConsoleSocket),
        (r"/login", LoginHandler),
    ], template_path="templates", cookie_secret="x")
''',
    'starlette_preview.py': r'''"""A Starlette URL preview and notes service, routes as plain functions."""
import logging
import os
import pickle
import subprocess
from base64 import b64decode

import httpx
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

log = logging.getLogger("preview")
templates = Jinja2Templates(directory="templates")
NOTES = "/srv/notes"
ALLOWED = {"example.com", "docs.example.com"}


async def preview(request: Request):
    url = request.query_params["url"]
    async with httpx.AsyncClient() as client:
        r = await client.get(url)  # BST213
    title = r.text.split("<title>")[-1].split("</title>")[0]
    return HTMLResponse(f"<h1>{title}</h1><a href='{url}'>open</a>")  # BST203


async def preview_safe(request: Request):
    url = httpx.URL(request.query_params["url"])
    if url.host not in ALLOWED:
        return PlainTextResponse("blocked", status_code=400)
    async with httpx.AsyncClient() as client:
        r = await client.get(url)
    return PlainTextResponse(r.text[:200])


async def save_note(request: Request):
    form = await request.form()
    name = form["name"]
    with open(os.path.join(NOTES, name), "w") as fh:  # BST201
        fh.write(form["text"])
    log.warning("note saved: %s" % name)  # BST207
    return RedirectResponse(form.get("next", "/"), status_code=303)  # BST210


async def save_note_safe(request: Request):
    form = await request.form()
    name = os.path.basename(form["name"])
    with open(os.path.join(NOTES, name), "w") as fh:
        fh.write(form["text"])
    return RedirectResponse(request.url_for("list_notes"), status_code=303)


async def import_notes(request: Request):
    body = await request.body()
    notes = yaml.load(body, Loader=yaml.FullLoader)  # BST209
    notes2 = yaml.safe_load(body)
    return JSONResponse({"n": len(notes) + len(notes2)})


async def restore(request: Request):
    state = request.cookies.get("state", "")
    data = pickle.loads(b64decode(state))  # BST209
    return JSONResponse({"n": len(data)})


async def convert(request: Request):
    payload = await request.json()
    fmt = payload.get("fmt", "pdf")
    subprocess.run(f"pandoc {NOTES}/{payload['name']} -o /tmp/out.{fmt}", shell=True)  # BST202
    return JSONResponse({"ok": True})


async def show(request: Request):
    name = request.path_params["name"]
    return templates.TemplateResponse(request, "note.html", {"name": name})


async def raw_note(request: Request):
    name = request.path_params["name"]
    text = open(f"{NOTES}/{name}").read()  # BST201
    return Response(f"<h1>{name}</h1><pre>{text}</pre>", media_type="text/html")  # BST203


async def raw_note_text(request: Request):
    name = request.path_params["name"]
    if ".." in name or name.startswith("/"):
        return PlainTextResponse("bad", status_code=400)
    return Response(open(f"{NOTES}/{name}").read(), media_type="text/plain")


async def calc(request: Request):
    expr = request.query_params.get("expr", "0")
    return PlainTextResponse(str(eval(expr)))  # BST206


app = Starlette(routes=[
    Route("/preview", preview),
    Route("/preview2", preview_safe),
    Route("/notes", save_note, methods=["POST"]),
    Route("/notes2", save_note_safe, methods=["POST"]),
    Route("/import", import_notes, methods=["POST"]),
    Route("/restore", restore),
    Route("/convert", convert, methods=["POST"]),
    Route("/n/{name}", show),
    Route("/raw/{name}", raw_note),
    Route("/raw2/{name}", raw_note_text),
    Route("/calc", calc),
])
''',
    'bottle_admin.py': r'''"""A Bottle admin tool of a training lab: lookups, a report page, a calculator."""
import json
import logging
import os
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import jinja2
from bottle import Bottle, HTTPResponse, abort, redirect, request, response, static_file, template
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars
from lxml import etree

app = Bottle()
log = logging.getLogger("admin")
env = jinja2.Environment(autoescape=True)
REPORTS = "/srv/reports"
CONN = Connection(Server("ldap://ldap.example.com"), auto_bind=True)
BOOKS = etree.parse("/srv/books.xml")
FIND_BOOK = etree.XPath("//book[author=$a]")


@app.get("/people")
def people():
    name = request.query.get("name", "")
    CONN.search("dc=example,dc=com", f"(cn={name})")  # BST205
    CONN.search("dc=example,dc=com", "(cn=%s)" % escape_filter_chars(name))
    return {"n": len(CONN.entries)}


@app.get("/books")
def books():
    author = request.query.author
    found = BOOKS.xpath("//book[author='%s']/title/text()" % author)  # BST212
    found2 = FIND_BOOK(BOOKS, a=author)
    return {"titles": [str(t) for t in found], "n": len(found2)}


@app.post("/render")
def render():
    src = request.forms.get("tpl", "")
    out = env.from_string(src).render()  # BST214
    out2 = env.from_string("<p>{{ s }}</p>").render(s=src)
    return out2 + out


@app.get("/report/<name>")
def report(name):
    return static_file(name, root=REPORTS)


@app.get("/report2")
def report2():
    name = request.query.name
    with open(os.path.join(REPORTS, name)) as fh:  # BST201
        return fh.read()


@app.get("/calc")
def calc():
    expr = request.query.get("expr", "0")
    log.info(f"calc {expr}")  # BST207
    response.content_type = "text/plain"
    return str(eval(expr, {"__builtins__": {}}))  # BST206


@app.get("/hello")
def hello():
    name = request.query.get("name", "")
    html = template("<b>{{name}}</b>", name=name)
    html2 = template("<b>{{!name}}</b>", name=name)
    return html + html2  # BST203


@app.get("/hello2")
def hello2():
    return "<b>%s</b>" % request.query.get("name", "")  # BST203


@app.post("/login")
def login():
    user = request.forms.user
    db = sqlite3.connect("lab.db")
    row = db.execute("SELECT role FROM users WHERE name = '%s'" % user).fetchone()  # BST204
    role = request.get_cookie("role", "user")
    response.set_cookie("role", role)
    if request.forms.get("next"):
        redirect(request.forms.get("next"))  # BST210
    return {"role": row[0] if row else None}


@app.post("/backup")
def backup():
    data = json.loads(request.body.read())
    subprocess.run(f"tar czf /backups/{data['name']}.tgz /srv", shell=True)  # BST202
    subprocess.run(["tar", "czf", "/backups/%s.tgz" % data["name"], "/srv"])
    raise HTTPResponse(status=302, headers={"Location": data.get("after", "/")})  # BST210


@app.get("/proxy")
def proxy():
    import urllib.request
    url = request.query.url
    return urllib.request.urlopen(url).read()  # BST213
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
