"""Taint analysis on realistic apps written from the frameworks' documentation, round six: a FastAPI
project (an APIRouter, Depends() dependencies in another module returning a query, a header, a
cookie and the raw body, Pydantic bodies, BackgroundTasks, Form / File uploads, Jinja2Templates
with a |safe print) and a Django REST framework API (a ModelViewSet's get_queryset with .extra()
and RawSQL, perform_create's validated_data, @action, APIView, @api_view).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'shop/__init__.py': r'''''',
    'shop/deps.py': r'''from typing import Annotated

from fastapi import Cookie, Header, Query, Request


async def search_term(q: str = Query("")):
    return q


def client_agent(user_agent: Annotated[str | None, Header()] = None):
    return user_agent or ""


def session_token(session: Annotated[str | None, Cookie()] = None):
    return session


def pagination(page: int = 1, size: int = 20):
    return {"offset": (page - 1) * size, "limit": size}


async def raw_body(request: Request):
    return (await request.body()).decode()
''',
    'shop/main.py': r'''from fastapi import FastAPI

from .routers import items

app = FastAPI()
app.include_router(items.router)
''',
    'shop/routers/__init__.py': r'''''',
    'shop/routers/items.py': r'''import logging
import os
import sqlite3
import subprocess
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Header, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from ..deps import client_agent, pagination, raw_body, search_term, session_token

router = APIRouter(prefix="/items", tags=["items"])
templates = Jinja2Templates(directory="templates")
log = logging.getLogger(__name__)
UPLOADS = "/srv/uploads"


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float
    quantity: int


class Export(BaseModel):
    fmt: str
    target: str


def db():
    return sqlite3.connect("shop.db")


@router.get("/search")
async def search(q: Annotated[str, Depends(search_term)], page: Annotated[dict, Depends(pagination)]):
    cur = db().cursor()
    cur.execute(f"SELECT * FROM items WHERE name LIKE '%{q}%'")  # BST204
    cur.execute("SELECT * FROM items WHERE name LIKE ?", (f"%{q}%",))
    cur.execute(f"SELECT * FROM items LIMIT {page['limit']} OFFSET {page['offset']}")
    return cur.fetchall()


@router.post("/")
async def create(item: Item):
    conn = db()
    conn.execute("INSERT INTO items VALUES ('%s', %d)" % (item.name, item.quantity))  # BST204
    conn.execute(f"UPDATE stock SET n = n + {item.quantity}")
    conn.execute("INSERT INTO items VALUES (?, ?)", (item.name, item.quantity))
    log.info("created %s", item.name)  # BST207
    return item


def write_report(name: str, body: str):
    with open(os.path.join(UPLOADS, name), "w") as fh:  # BST201
        fh.write(body)


def notify(address: str):
    subprocess.run(f"mail -s done {address}", shell=True)  # BST202


@router.post("/report")
async def report(name: Annotated[str, Form()], body: Annotated[str, Form()],
                 email: Annotated[str, Form()], tasks: BackgroundTasks):
    tasks.add_task(write_report, name, body)
    tasks.add_task(notify, email)
    tasks.add_task(write_report, os.path.basename(name), body)
    return {"queued": True}


@router.post("/upload")
async def upload(file: Annotated[UploadFile, File()]):
    dest = os.path.join(UPLOADS, file.filename)
    with open(dest, "wb") as fh:  # BST201
        fh.write(await file.read())
    with open(os.path.join(UPLOADS, os.path.basename(file.filename)), "wb") as fh:
        fh.write(await file.read())
    return {"saved": file.filename}


@router.get("/agent", response_class=HTMLResponse)
async def agent(ua: Annotated[str, Depends(client_agent)]):
    return f"<p>Your browser: {ua}</p>"  # BST203


@router.get("/whoami")
async def whoami(token: Annotated[str | None, Depends(session_token)], x_forwarded_for: str = Header("")):
    os.system("whois " + x_forwarded_for)  # BST202
    log.warning("token %r from %s", token, x_forwarded_for)  # BST207
    return {"token": token}


@router.get("/page/{slug}", response_class=HTMLResponse)
async def page(request: Request, slug: str):
    note = request.query_params.get("note")
    return templates.TemplateResponse(request, "page.html", {"slug": slug, "note": note})  # BST203


@router.get("/go")
async def go(next: str):
    return RedirectResponse(next)  # BST210


@router.get("/go-home")
async def go_home(next: str):
    if next not in ("/", "/items"):
        next = "/"
    return RedirectResponse(next)


@router.post("/export")
async def export(spec: Export):
    subprocess.run(["tar", "czf", spec.target, "/srv/data"])  # BST217
    subprocess.call("convert data." + spec.fmt, shell=True)  # BST202
    return {"ok": True}


@router.post("/hook")
async def hook(body: Annotated[str, Depends(raw_body)]):
    return eval(body)  # BST206


@router.get("/stats")
async def stats(page: Annotated[dict, Depends(pagination)], qty: int = 0):
    os.system(f"stats --limit {page['limit']} --min {qty}")
    return {}
''',
    'shop/templates/page.html': r'''<h1>{{ slug }}</h1>
<div>{{ note|safe }}</div>
''',
    'api/__init__.py': r'''''',
    'api/models.py': r'''from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
    shelf = models.CharField(max_length=20)
''',
    'api/views.py': r'''import logging
import subprocess

from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.shortcuts import redirect
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Book

log = logging.getLogger(__name__)


class BookSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    pages = serializers.IntegerField()
    shelf = serializers.CharField()


class BookViewSet(viewsets.ModelViewSet):
    serializer_class = BookSerializer

    def get_queryset(self):
        author = self.request.query_params.get("author")
        order = self.request.query_params.get("order", "title")
        qs = Book.objects.all()
        if author:
            qs = qs.extra(where=[f"author = '{author}'"])  # BST204
            qs = qs.extra(where=["author = %s"], params=[author])
        qs = qs.annotate(score=RawSQL("SELECT rank FROM ranks WHERE o = '" + order + "'", ()))  # BST204
        return qs.annotate(score2=RawSQL("SELECT rank FROM ranks WHERE o = %s", (order,)))

    def perform_create(self, serializer):
        data = serializer.validated_data
        with connection.cursor() as cur:
            cur.execute("INSERT INTO audit VALUES ('%s')" % data["title"])  # BST204
            cur.execute("INSERT INTO audit_pages VALUES (%s)" % data["pages"])
            cur.execute("INSERT INTO audit VALUES (%s)", [data["title"]])
        serializer.save()

    @action(detail=False, methods=["get"])
    def raw(self, request):
        shelf = request.query_params.get("shelf", "")
        books = Book.objects.raw("SELECT * FROM app_book WHERE shelf = '%s'" % shelf)  # BST204
        safe = Book.objects.raw("SELECT * FROM app_book WHERE shelf = %s", [shelf])
        return Response([b.title for b in books] + [b.title for b in safe])

    @action(detail=True, methods=["post"])
    def shelve(self, request, pk=None):
        shelf = request.data.get("shelf")
        subprocess.run("shelve-tool " + shelf, shell=True)  # BST202
        subprocess.run(["shelve-tool", "--", shelf])
        return Response(status=status.HTTP_204_NO_CONTENT)


class SearchView(APIView):
    def get(self, request, format=None):
        term = request.query_params.get("q", "")
        log.info("search " + term)  # BST207
        return HttpResponse("<h2>Results for " + term + "</h2>")  # BST203

    def post(self, request):
        ser = BookSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        title = ser.validated_data["title"]
        pages = ser.validated_data["pages"]
        subprocess.run(f"index --pages {pages}", shell=True)
        subprocess.run(f"index --title {title}", shell=True)  # BST202
        return Response(ser.data)


@api_view(["GET"])
def go(request):
    return redirect(request.query_params["next"])  # BST210


@api_view(["GET", "POST"])
def calc(request):
    if request.method == "POST":
        expr = request.data["expr"]
        return Response({"result": eval(expr)})  # BST206
    return Response({"result": eval("1 + 1")})


@api_view(["POST"])
def run_report(request):
    name = request.data.get("name", "")
    if not name.isalnum():
        return Response(status=400)
    subprocess.run("report " + name, shell=True)
    return Response({"ok": True})
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
