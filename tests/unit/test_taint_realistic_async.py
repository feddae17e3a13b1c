"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
FastAPI and aiohttp: dependencies, Pydantic bodies, path / query / header / cookie / form / file
parameters, background tasks, async clients and subprocesses.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'api.py': r'''import asyncio
import logging
import os
import shlex
import subprocess
from pathlib import Path
from typing import Annotated, Optional

import httpx
import jinja2
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

app = FastAPI()
log = logging.getLogger("api")
REPORTS = Path("/var/reports")
env = jinja2.Environment(autoescape=True)


class Report(BaseModel):
    name: str
    fmt: str = "pdf"
    recipients: list[str] = []


class Webhook(BaseModel):
    url: str
    event: str


def get_db():
    db = Session()
    try:
        yield db
    finally:
        db.close()


def current_user(x_user: Annotated[str, Header()]) -> str:
    return x_user


@app.get("/reports/{name}")
async def get_report(name: str):
    return FileResponse(REPORTS / name)  # BST201


@app.get("/reports2/{name}")
async def get_report_safe(name: str):
    p = (REPORTS / name).resolve()
    if not p.is_relative_to(REPORTS):
        raise HTTPException(404)
    return FileResponse(p)


@app.post("/render")
async def render(report: Report):
    proc = await asyncio.create_subprocess_shell(f"pandoc -o out.{report.fmt} {report.name}")  # BST202
    proc2 = await asyncio.create_subprocess_exec("pandoc", "-o", "out." + report.fmt, report.name)  # BST217
    await proc.wait()
    await proc2.wait()
    return {"ok": True}


@app.post("/render2")
def render2(report: Report):
    cmd = "pandoc %s" % shlex.quote(report.name)
    subprocess.run(cmd, shell=True)
    return {"ok": True}


@app.get("/users")
def users(q: str = Query(""), db: Session = Depends(get_db)):
    rows = db.execute(text(f"SELECT * FROM users WHERE name = '{q}'")).all()  # BST204
    rows2 = db.execute(text("SELECT * FROM users WHERE name = :q"), {"q": q}).all()
    return {"rows": len(rows) + len(rows2)}


@app.get("/hi", response_class=HTMLResponse)
async def hi(name: str = "world"):
    return HTMLResponse(content=f"<b>Hi {name}</b>")  # BST203


@app.get("/hi2", response_class=HTMLResponse)
async def hi2(name: str = "world"):
    return env.from_string("<b>Hi {{ n }}</b>").render(n=name)


@app.get("/tpl", response_class=HTMLResponse)
async def tpl(t: str):
    template = jinja2.Template(t)  # BST214
    return template.render()  # BST203


@app.post("/hooks")
async def hooks(hook: Webhook, user: str = Depends(current_user)):
    log.info(f"hook registered by {user} for {hook.event}")  # BST207
    async with httpx.AsyncClient() as client:
        await client.post(hook.url, json={"event": hook.event})  # BST213
        await client.post("https://hooks.example.com/in", json={"url": hook.url})
    return {"ok": True}


@app.get("/login/callback")
async def callback(request: Request, next: Optional[str] = None):
    if next and next.startswith("/") and not next.startswith("//"):
        # Starlette quotes `\\` and tab: `/\\evil.com` goes out as `/%5Cevil.com`
        return RedirectResponse(next)
    return RedirectResponse(request.query_params.get("return_to", "/"))  # BST210


@app.post("/eval")
async def evaluate(request: Request):
    body = await request.json()
    fields = [f.strip() for f in body["fields"].split(",")]
    compiled = [compile(f, "<expr>", "eval") for f in fields]  # BST206
    return {"n": len(compiled)}


@app.get("/settings")
async def app_settings(request: Request):
    key = request.query_params.get("key")
    request.session["key"] = key  # BST208
    return {"ok": True}
''',
    'handlers_aiohttp.py': r'''import logging
import os
import subprocess

import aiohttp
from aiohttp import web
from defusedxml import ElementTree as SafeET
from xml.dom import pulldom
import xml.sax
import lxml.etree

routes = web.RouteTableDef()
log = logging.getLogger(__name__)
STATIC = "/srv/static"


class Config:
    table = "events"
    tool = "/usr/bin/convert"


@routes.get("/static/{name}")
async def static(request):
    name = request.match_info["name"]
    return web.FileResponse(os.path.join(STATIC, name))  # BST201


@routes.get("/static2/{name}")
async def static_safe(request):
    name = request.match_info["name"]
    if "/" in name or ".." in name:
        raise web.HTTPBadRequest()
    return web.FileResponse(os.path.join(STATIC, name))


@routes.post("/events")
async def events(request):
    data = await request.post()
    kind = data.get("kind")
    pool = request.app["db"]
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM %s WHERE kind = '%s'" % (Config.table, kind))  # BST204
        await conn.execute(f"DELETE FROM {Config.table} WHERE kind = $1", kind)
    return web.json_response({"ok": True})


@routes.get("/whois")
async def whois(request):
    domain = request.query.get("domain", "")
    proc = subprocess.Popen("whois " + domain, shell=True, stdout=subprocess.PIPE)  # BST202
    proc2 = subprocess.Popen([Config.tool, "whois", domain], stdout=subprocess.PIPE)  # BST217
    return web.Response(text=str(proc.pid + proc2.pid))


@routes.get("/echo")
async def echo(request):
    msg = request.query["msg"]
    return web.Response(text="<p>" + msg + "</p>", content_type="text/html")  # BST203


@routes.get("/echo2")
async def echo2(request):
    msg = request.query["msg"]
    return web.Response(text="<p>" + msg + "</p>", content_type="text/plain")


@routes.get("/fetch")
async def fetch(request):
    url = request.query["url"]
    async with aiohttp.ClientSession() as s:
        async with s.get(url) as r:  # BST213
            body = await r.text()
    log.debug("fetched %s", url)  # BST207
    return web.Response(text=body)


@routes.post("/xml")
async def xml_upload(request):
    raw = await request.read()
    tree = SafeET.fromstring(raw)
    parser = lxml.etree.XMLParser(no_network=False, resolve_entities=True)
    tree2 = lxml.etree.fromstring(raw, parser=parser)  # BST211
    return web.Response(text=tree.tag + tree2.tag)


@routes.get("/jump")
async def jump(request):
    to = request.query.get("to", "/")
    raise web.HTTPFound(to)  # BST210


@routes.get("/jump2")
async def jump2(request):
    pages = {"home": "/", "docs": "/docs"}
    raise web.HTTPFound(pages.get(request.query.get("to"), "/"))


@routes.post("/note")
async def note(request):
    body = await request.json()
    log.error("note failed: " + body.get("text", ""))  # BST207
    return web.json_response({})
''',
    'fastapi2.py': r'''import os
import pickle
import subprocess
from typing import Annotated

import requests
import yaml
from fastapi import APIRouter, BackgroundTasks, Body, Cookie, Depends, File, Form, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, HttpUrl
from sqlalchemy import text
from starlette.requests import Request

router = APIRouter(prefix="/v2")
STORE = "/srv/store"


class Item(BaseModel):
    name: str
    tags: list[str] = []
    callback: HttpUrl | None = None


def common(q: str | None = None, skip: int = 0):
    return {"q": q, "skip": skip}


def run_job(cmd: str):
    subprocess.run(cmd, shell=True)  # BST202


@router.post("/jobs")
async def jobs(item: Item, tasks: BackgroundTasks):
    tasks.add_task(run_job, "process " + item.name)
    return {"queued": True}


@router.post("/files")
async def files(upload: UploadFile = File(...)):
    dest = os.path.join(STORE, upload.filename)
    with open(dest, "wb") as out:  # BST201
        out.write(await upload.read())
    return {"ok": True}


@router.post("/files2")
async def files2(upload: UploadFile = File(...)):
    dest = os.path.join(STORE, os.path.basename(upload.filename))
    with open(dest, "wb") as out:
        out.write(await upload.read())
    return {"ok": True}


@router.post("/state")
async def state(blob: Annotated[bytes, File()]):
    obj = pickle.loads(blob)  # BST209
    return {"t": str(type(obj))}


@router.post("/config")
async def config(raw: str = Body(..., media_type="text/plain")):
    cfg = yaml.unsafe_load(raw)  # BST209
    return {"cfg": cfg}


@router.get("/items")
async def items(request: Request, commons: dict = Depends(common)):
    db = request.app.state.db
    q = commons["q"]
    rows = await db.fetch_all(text("SELECT * FROM items WHERE name = '%s'" % q))  # BST204
    return {"rows": rows}


@router.get("/theme", response_class=HTMLResponse)
async def theme(theme: Annotated[str | None, Cookie()] = None):
    return f"<body class='{theme}'></body>"  # BST203


@router.post("/login")
async def login(username: Annotated[str, Form()], next_url: Annotated[str, Form()] = "/"):
    return RedirectResponse(next_url, status_code=303)  # BST210


@router.post("/notify")
async def notify(item: Item):
    if item.callback:
        requests.post(str(item.callback), json={"n": item.name}, timeout=3)  # BST213
    return {}


@router.get("/u/{user_id}/avatar")
async def avatar(request: Request):
    uid = request.path_params["user_id"]
    return {"path": open(f"{STORE}/avatars/{uid}.png", "rb").read()}  # BST201


@router.get("/tags")
async def tags(item_tags: str):
    tag_sql = " OR ".join([f"tag = '{t}'" for t in item_tags.split(",")])
    return {"sql": text("SELECT * FROM t WHERE " + tag_sql)}  # BST204
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
