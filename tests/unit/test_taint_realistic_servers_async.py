"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
Tornado handlers (a base handler's helpers and prepare(), initialize() arguments, cookies, headers)
and Starlette apps (Route tables, Mount, HTTPEndpoint classes, a thread fed by a request).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'tornado_app.py': r'''import logging
import os
import subprocess

import tornado.httpclient
import tornado.ioloop
import tornado.template
import tornado.web
from tornado.escape import xhtml_escape

log = logging.getLogger("tornado.app")


class BaseHandler(tornado.web.RequestHandler):
    def current_term(self):
        return self.get_argument("q", "")


class SearchHandler(BaseHandler):
    def get(self):
        term = self.current_term()
        self.write("<p>You searched for " + term + "</p>")  # BST203
        self.write("<p>You searched for " + xhtml_escape(term) + "</p>")


class FileHandler(tornado.web.RequestHandler):
    def get(self, name):
        with open(os.path.join("/srv/data", name)) as fh:  # BST201
            self.write(fh.read())


class PingHandler(tornado.web.RequestHandler):
    def post(self):
        host = self.get_body_argument("host")
        log.info("ping %s", host)  # BST207
        self.write({"out": subprocess.getoutput("ping -c1 " + host)})  # BST202


class FetchHandler(tornado.web.RequestHandler):
    async def get(self):
        client = tornado.httpclient.AsyncHTTPClient()
        resp = await client.fetch(self.get_query_argument("url"))  # BST213
        self.set_header("Content-Type", "text/plain")
        self.write(resp.body)


class GoHandler(tornado.web.RequestHandler):
    def get(self):
        self.redirect(self.get_argument("next", "/"))  # BST210


class TplHandler(tornado.web.RequestHandler):
    def get(self):
        tpl = tornado.template.Template(self.get_argument("t"))  # BST214
        self.write(tpl.generate())  # BST203


def make_app():
    return tornado.web.Application([
        (r"/search", SearchHandler),
        (r"/file/(.*)", FileHandler),
        (r"/ping", PingHandler),
        (r"/fetch", FetchHandler),
        (r"/go", GoHandler),
        (r"/tpl", TplHandler),
    ])
''',
    'tornado_api.py': r'''import json
import pickle
import sqlite3
import subprocess

import tornado.web
import yaml


class JsonHandler(tornado.web.RequestHandler):
    def prepare(self):
        self.body = json.loads(self.request.body or b"{}")


class RecordHandler(JsonHandler):
    def initialize(self, db):
        self.db = db

    def get(self, table):
        key = self.get_query_argument("key")
        cur = self.db.execute("SELECT * FROM %s WHERE key = '%s'" % (table, key))  # BST204
        self.write({"rows": cur.fetchall()})

    def post(self, table):
        self.db.execute("INSERT INTO records(k, v) VALUES (?, ?)", (self.body["k"], self.body["v"]))
        self.db.execute(f"INSERT INTO records(k, v) VALUES ('{self.body['k']}', 1)")  # BST204
        self.write({"ok": True})


class StateHandler(tornado.web.RequestHandler):
    def get(self):
        raw = self.get_cookie("state", "")
        state = pickle.loads(bytes.fromhex(raw))  # BST209
        self.write({"n": len(state)})

    def post(self):
        cfg = yaml.unsafe_load(self.request.body)  # BST209
        self.write({"n": len(cfg)})


class AdminHandler(tornado.web.RequestHandler):
    ACTIONS = {"uptime": ["uptime"], "disk": ["df", "-h"]}

    def get(self, action):
        out = subprocess.check_output(self.ACTIONS[action])
        self.set_header("Content-Type", "text/plain")
        self.write(out)

    def post(self, action):
        args = self.get_arguments("arg")
        out = subprocess.check_output(" ".join(["/usr/local/bin/" + action] + args), shell=True)  # BST202
        self.write(out)


class HeaderHandler(tornado.web.RequestHandler):
    def get(self):
        lang = self.request.headers.get("Accept-Language", "en")
        self.write("<html lang='%s'></html>" % lang)  # BST203


def make_app():
    db = sqlite3.connect(":memory:")
    return tornado.web.Application([
        (r"/records/(\w+)", RecordHandler, dict(db=db)),
        (r"/state", StateHandler),
        (r"/admin/(\w+)", AdminHandler),
        (r"/hdr", HeaderHandler),
    ])
''',
    'starlette_app.py': r'''import logging
import os
import shlex
import subprocess
import threading
from queue import Queue

import httpx
from starlette.applications import Starlette
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route

log = logging.getLogger("jobs")
JOBS: Queue = Queue()
OUT = "/srv/out"


def worker():
    while True:
        job = JOBS.get()
        subprocess.run(job["cmd"], shell=True)
        JOBS.task_done()


def convert(src, fmt):
    subprocess.run(f"pandoc {src} -o {OUT}/result.{fmt}", shell=True)  # BST202


def convert_safe(src, fmt):
    subprocess.run(["pandoc", src, "-o", f"{OUT}/result.{fmt}"])  # BST217


async def homepage(request):
    name = request.query_params.get("name", "world")
    return HTMLResponse(f"<h1>Hello, {name}</h1>")  # BST203


async def homepage_plain(request):
    name = request.query_params.get("name", "world")
    return PlainTextResponse(f"Hello, {name}")


async def download(request):
    fname = request.path_params["fname"]
    return FileResponse(os.path.join(OUT, fname))  # BST201


async def start_job(request):
    form = await request.form()
    t = threading.Thread(target=convert, args=(form["src"], form["fmt"]))
    t.start()
    threading.Thread(target=convert_safe, args=(form["src"], form["fmt"])).start()
    log.info(f"job queued by {request.client.host} for {form['src']}")  # BST207
    return JSONResponse({"queued": True})


async def webhook(request):
    body = await request.json()
    async with httpx.AsyncClient() as client:
        await client.get(body["url"])  # BST213
    return JSONResponse({})


async def logout(request):
    return RedirectResponse(request.query_params.get("next", "/"))  # BST210


async def grep(request):
    pattern = request.query_params["p"]
    out = subprocess.check_output("grep -r " + shlex.quote(pattern) + " /srv/docs", shell=True)
    return PlainTextResponse(out)


routes = [
    Route("/", homepage),
    Route("/plain", homepage_plain),
    Route("/grep", grep),
    Route("/logout", logout),
    Mount("/files", routes=[Route("/{fname}", download)]),
    Route("/jobs", start_job, methods=["POST"]),
    Route("/hook", webhook, methods=["POST"]),
]
app = Starlette(routes=routes)
''',
    'starlette_api.py': r'''import base64
import logging
import pickle
import subprocess

import httpx
from starlette.applications import Starlette
from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

log = logging.getLogger("api")


class Items(HTTPEndpoint):
    async def get(self, request):
        q = request.query_params.get("q", "")
        return HTMLResponse("<ul><li>" + q + "</li></ul>")  # BST203

    async def post(self, request):
        data = await request.body()
        obj = pickle.loads(base64.b64decode(data))  # BST209
        return JSONResponse({"type": type(obj).__name__})


async def tail(request: Request):
    lines = request.query_params.get("n", "10")
    out = subprocess.run(f"tail -n {lines} /var/log/app.log", shell=True, capture_output=True)  # BST202
    return Response(out.stdout, media_type="text/plain")


async def tail_safe(request: Request):
    lines = int(request.query_params.get("n", "10"))
    out = subprocess.run(f"tail -n {lines} /var/log/app.log", shell=True, capture_output=True)
    return Response(out.stdout, media_type="text/plain")


async def link_preview(request: Request):
    url = request.headers.get("x-preview-url")
    r = httpx.get(url)  # BST213
    return JSONResponse({"len": len(r.text)})


async def theme(request: Request):
    color = request.cookies.get("color", "blue")
    log.warning("theme %s", color)  # BST207
    return HTMLResponse(f"<body style='color:{color}'></body>")  # BST203


app = Starlette(routes=[Route("/items", Items), Route("/tail", tail), Route("/tail2", tail_safe),
                        Route("/preview", link_preview), Route("/theme", theme)])
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
