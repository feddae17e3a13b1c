"""Taint analysis on realistic apps written from the frameworks' documentation, round nine: an
intranet tools site in Flask written the way beginners write it (module-level connection and
cursor, `request.values`, SQL built with `+`, `os.popen`, `check_output(..., shell=True)`,
`render_template_string`, `pickle.loads(base64...)`, minidom and lxml, `urlopen`, `eval`); a Django
app of function views under `@require_http_methods` / `@require_GET` / `@require_POST` answering
with `JsonResponse`, `HttpResponseRedirect` and `QueryDict.urlencode()` query strings; and an
async service in Quart and Sanic reading JSON bodies (typed Sanic path parameters among them).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent. A global a view writes and another reads is an
accepted hole (TAINT.md 11) and is left out."""

# ruff: noqa: E501  (whole modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

INTRANET = {
    'intranet/app.py': r'''import base64
import os
import pickle
import sqlite3
import subprocess
import urllib.request
import xml.dom.minidom
from urllib.parse import urlparse

from flask import Flask, redirect, render_template_string, request, session
from lxml import etree

app = Flask(__name__)
app.secret_key = "change-me"

db = sqlite3.connect("intranet.db", check_same_thread=False)
cur = db.cursor()
hosts = ["build01", "build02"]


@app.route("/phonebook")
def phonebook():
    name = request.values.get("name", "")
    cur.execute("SELECT * FROM people WHERE name LIKE '%" + name + "%'")  # BST204
    rows = cur.fetchall()
    cur.execute("SELECT * FROM people WHERE name LIKE ?", ("%" + name + "%",))
    html = "<h1>Results for " + name + "</h1>"
    for r in rows:
        html += "<li>" + str(r[1]) + "</li>"
    return render_template_string(html)  # BST214


@app.route("/ping")
def ping():
    host = request.values["host"]
    out = os.popen("ping -c 1 " + host).read()  # BST202
    if host in hosts:
        out += os.popen("ping -c 1 " + host).read()
    return "<pre>" + out + "</pre>"  # BST203


@app.route("/dns")
def dns():
    domain = request.values.get("domain")
    result = subprocess.check_output("nslookup " + domain, shell=True)  # BST202
    safe = subprocess.check_output(["nslookup", domain])  # BST217
    subprocess.check_output(["nslookup", "--", domain])
    return render_template_string("<pre>{{ r }}</pre>", r=result + safe)


@app.route("/greet")
def greet():
    who = request.values.get("who", "guest")
    return render_template_string("Hello {{ who }}!", who=who)


@app.route("/prefs", methods=["POST"])
def prefs():
    blob = request.values["prefs"]
    data = pickle.loads(base64.b64decode(blob))  # BST209
    session["theme"] = str(data.get("theme"))  # BST208
    return "saved"


@app.route("/import", methods=["POST"])
def import_contacts():
    doc = xml.dom.minidom.parseString(request.data)
    names = [n.firstChild.data for n in doc.getElementsByTagName("name")]
    tree = etree.fromstring(request.data, etree.XMLParser(resolve_entities=True))  # BST211
    safe = etree.fromstring(request.data, etree.XMLParser(resolve_entities=False))
    return str(len(names) + len(tree) + len(safe))


@app.route("/fetch")
def fetch():
    url = request.values.get("url")
    body = urllib.request.urlopen(url).read()  # BST213
    fixed = urllib.request.urlopen("https://status.intranet.example/api").read()
    return body + fixed  # BST203


@app.route("/files")
def files():
    fname = request.values.get("f")
    with open("/srv/share/" + fname) as fh:  # BST201
        text = fh.read()
    with open(os.path.join("/srv/share", os.path.basename(fname))) as fh:
        text += fh.read()
    return text, 200, {"Content-Type": "text/plain"}


@app.route("/go")
def go():
    target = request.values.get("next", "/")
    if urlparse(target).netloc:
        return redirect("/")
    return redirect(target)  # BST210


@app.route("/out")
def out():
    return redirect(request.values.get("to"))  # BST210


@app.route("/calc")
def calc():
    expr = request.values.get("expr", "0")
    value = eval(expr)  # BST206
    return str(value)  # BST203


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=False)
''',
}

DJANGO_TOOLS = {
    'djapp/__init__.py': r'''''',
    'djapp/tools/__init__.py': r'''''',
    'djapp/tools/views.py': r'''import json
import logging
import os
import subprocess

from django.conf import settings
from django.db import connection
from django.http import (Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect,
                         JsonResponse, QueryDict)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

logger = logging.getLogger(__name__)
REPORTS = settings.BASE_DIR / "reports"


@require_http_methods(["GET", "POST"])
def search(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title FROM tools_doc WHERE title LIKE '%%%s%%'" % term)  # BST204
        rows = cursor.fetchall()
        cursor.execute("SELECT id, title FROM tools_doc WHERE title LIKE %s", ["%" + term + "%"])
    return JsonResponse({"q": term, "rows": rows})


@require_GET
def lookup(request):
    term = request.GET.get("q", "")
    return HttpResponse("<p>No match for " + term + "</p>")  # BST203


@require_GET
def lookup_escaped(request):
    term = request.GET.get("q", "")
    return HttpResponse(format_html("<p>No match for {}</p>", term))


@require_POST
def rename(request):
    payload = json.loads(request.body)
    old, new = payload["old"], payload["new"]
    os.rename(os.path.join(REPORTS, old), os.path.join(REPORTS, new))  # BST201
    logger.info("renamed %s to %s", old, new)  # BST207
    logger.info("renamed %r to %r", old, new)
    return JsonResponse({"ok": True})


@require_POST
def archive(request):
    name = request.POST["name"]
    subprocess.run("tar czf /tmp/out.tgz " + name, shell=True, cwd=REPORTS)  # BST202
    subprocess.run(["tar", "czf", "/tmp/out.tgz", "--", name], cwd=REPORTS)
    return HttpResponseRedirect(reverse("tools:done"))


@require_http_methods(["GET"])
def next_page(request):
    target = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(request.GET["fallback"])  # BST210


@require_GET
def filtered(request):
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return HttpResponseRedirect("/tools/list/?" + query)


@require_GET
def login_redirect(request):
    nxt = request.GET.get("next", "")
    return redirect("/accounts/login/?" + urlencode({"next": nxt}))


@require_GET
def resume(request):
    return redirect("?" + urlencode({"step": request.GET.get("step", "1")}))


@require_GET
def share(request):
    q = QueryDict(mutable=True)
    q["title"] = request.GET.get("title", "")
    return HttpResponseRedirect(reverse("tools:list") + "?" + q.urlencode())


@require_GET
def detail(request, slug):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM tools_doc WHERE slug = '{slug}'")  # BST204
        row = cursor.fetchone()
    if row is None:
        raise Http404("no such doc " + escape(slug))
    return render(request, "tools/detail.html", {"body": row[0], "slug": slug})


@require_http_methods(["POST"])
def run_check(request):
    host = request.POST.get("host", "")
    if not host.replace(".", "").isalnum():
        return HttpResponseBadRequest("bad host")
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True)
    return JsonResponse({"out": out.decode()})


@require_GET
def export(request):
    fmt = request.GET.get("format", "csv")
    path = os.path.join(REPORTS, "latest." + fmt)
    with open(path) as fh:  # BST201
        data = fh.read()
    return HttpResponse(data, content_type="text/plain")
''',
    'djapp/tools/urls.py': r'''from django.urls import path

from . import views

app_name = "tools"
urlpatterns = [
    path("search/", views.search),
    path("lookup/", views.lookup),
    path("rename/", views.rename),
    path("archive/", views.archive, name="done"),
    path("next/", views.next_page),
    path("doc/<str:slug>/", views.detail),
    path("check/", views.run_check),
]
''',
}

ASYNC_SERVICE = {
    'asvc/quart_app.py': r'''import asyncio
import logging
import os
import sqlite3

import httpx
from quart import Quart, jsonify, redirect, render_template_string, request

app = Quart(__name__)
log = logging.getLogger("asvc")
UPLOADS = "/srv/asvc/uploads"


@app.post("/notes")
async def add_note():
    data = await request.get_json()
    title = data["title"]
    db = sqlite3.connect("notes.db")
    db.execute("INSERT INTO notes (title) VALUES ('%s')" % title)  # BST204
    db.execute("INSERT INTO notes (title) VALUES (?)", (title,))
    log.warning("note added: %s", title)  # BST207
    return jsonify({"title": title})


@app.post("/render")
async def render_note():
    body = await request.json
    return await render_template_string("<h1>" + body["heading"] + "</h1>")  # BST214


@app.post("/render/safe")
async def render_note_safe():
    body = await request.json
    return await render_template_string("<h1>{{ h }}</h1>", h=body["heading"])


@app.post("/convert")
async def convert():
    form = await request.form
    name = form["file"]
    proc = await asyncio.create_subprocess_shell("convert " + name + " out.png")  # BST202
    await proc.wait()
    proc = await asyncio.create_subprocess_exec("convert", "--", name, "out.png")
    await proc.wait()
    return "ok"


@app.post("/webhook/test")
async def webhook_test():
    payload = await request.get_json()
    async with httpx.AsyncClient() as client:
        resp = await client.post(payload["url"], json={"ping": True})  # BST213
        await client.post("https://hooks.example.com/ping", json={"url": payload["url"]})
    return jsonify({"status": resp.status_code})


@app.get("/download")
async def download():
    name = request.args.get("name", "")
    with open(os.path.join(UPLOADS, name), "rb") as fh:  # BST201
        return fh.read()


@app.get("/after")
async def after():
    return redirect(request.args["next"])  # BST210
''',
    'asvc/sanic_app.py': r'''import subprocess

import yaml
from sanic import Sanic, response
from sanic.response import html, json, text

app = Sanic("asvc")


@app.post("/config")
async def load_config(request):
    cfg = yaml.load(request.body, Loader=yaml.Loader)  # BST209
    safe = yaml.safe_load(request.body)
    return json({"keys": list(cfg) + list(safe)})


@app.post("/jobs")
async def create_job(request):
    spec = request.json
    subprocess.Popen("worker --name " + spec["name"], shell=True)  # BST202
    subprocess.Popen(["worker", "--retries", str(int(spec["retries"]))])
    return json({"queued": spec["name"]})


@app.get("/hello/<name>")
async def hello(request, name):
    return html("<p>Hello " + name + "</p>")  # BST203


@app.get("/hello_text/<name>")
async def hello_text(request, name):
    return text("Hello " + name)


@app.get("/item/<item_id:int>")
async def item(request, item_id: int):
    subprocess.run(f"show-item {item_id}", shell=True)
    return response.json({"id": item_id})


@app.get("/go")
async def go(request):
    return response.redirect(request.args.get("to"))  # BST210
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
@pytest.mark.parametrize("apps", [INTRANET, DJANGO_TOOLS, ASYNC_SERVICE], ids=["intranet", "django", "async"])
def test_check_reports_the_marked_lines_with_their_cwe(apps, tmp_path):
    assert_checked_apps(apps, tmp_path)
