"""Taint analysis: request idioms as Django REST framework's, FastAPI's and Starlette's
documentation and tutorials show them, each vulnerable line marked (taint_marked.py) beside a
safe twin (constant, validated, sanitized, parameterized), checked through the analyzer, the
editor's engine and `bastion check --format json` (rule and CWE). A validated field (a
serializer's IntegerField / UUIDField / ChoiceField, a pydantic model's int / UUID / Literal /
Enum field, also as `Annotated[Model, Query()]` query parameters or an optional body) is
clean; text stays the request's. A `Depends()` class dependency, also declared in
`Annotated`, holds its `__init__`'s request parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import checked, editor_found, marked_and_found

CWE = {"BST201": 22, "BST202": 78, "BST203": 79, "BST204": 89, "BST210": 601, "BST213": 918,
       "BST214": 1336, "BST217": 88}

DRF = '''\
import os
import shlex
import subprocess
from urllib.parse import urlparse

import requests
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import FileResponse
from django.shortcuts import redirect
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Book

ALLOWED = {"api.example.com"}


class BookSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    pages = serializers.IntegerField()
    ident = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["novel", "essay"])


class BookSearch(APIView):
    def get(self, request, format=None):
        q = request.query_params.get("q", "")
        Book.objects.raw("SELECT * FROM book WHERE title = %s", [q])
        Book.objects.raw(f"SELECT * FROM book WHERE title = '{q}'")  # BST204
        return Response({"ok": True})

    def post(self, request):
        name = request.data["name"]
        with connection.cursor() as cursor:
            cursor.execute("UPDATE book SET title = %s", [name])
            cursor.execute("UPDATE book SET title = '%s'" % name)  # BST204
        return Response({"ok": True})


class BookDetail(APIView):
    def get(self, request, pk):
        open(os.path.join("/srv/books", os.path.basename(pk)))
        return FileResponse(open(os.path.join("/srv/books", pk), "rb"))  # BST201

    def delete(self, request, *args, **kwargs):
        subprocess.run(["rm", "/srv/books/" + os.path.basename(kwargs["pk"])])
        subprocess.run("rm /srv/books/" + kwargs["pk"], shell=True)  # BST202
        return Response(status=204)


class BookList(GenericAPIView):
    serializer_class = BookSerializer

    def get_queryset(self):
        author = self.kwargs["author"]
        Book.objects.extra(where=["author = %s"], params=[author])
        return Book.objects.extra(where=[f"author = '{author}'"])  # BST204

    def get(self, request, *args, **kwargs):
        order = self.request.query_params.get("order", "title")
        Book.objects.annotate(v=RawSQL("SELECT 1 FROM t WHERE o = %s", (order,)))
        Book.objects.annotate(v=RawSQL("SELECT %s" % order, ()))  # BST204
        return Response([])


class BookViewSet(viewsets.ModelViewSet):
    serializer_class = BookSerializer
    queryset = Book.objects.all()

    def perform_create(self, serializer):
        data = serializer.validated_data
        os.system("touch /srv/books/%d" % data["pages"])
        os.system("touch /srv/books/" + str(data["ident"]))
        os.system("touch /srv/books/" + data["kind"])
        os.system("touch /srv/books/" + data["title"])  # BST202
        serializer.save()

    @action(detail=True, methods=["post"])
    def mirror(self, request, pk=None):
        url = request.data.get("url")
        if urlparse(url).netloc in ALLOWED:
            requests.get(url)
        requests.get(url)  # BST213
        return Response({"pk": pk})

    @action(detail=False)
    def fetch(self, request):
        url = self.request.query_params["url"]
        requests.get("https://api.example.com/books/" + url)
        requests.post(url)  # BST213
        return Response([])


@api_view(["GET"])
def go(request):
    nxt = request.query_params.get("next", "/")
    if urlparse(nxt).netloc in ALLOWED:
        return redirect(nxt)
    return redirect(nxt)  # BST210


@api_view(["POST"])
def convert(request, name):
    subprocess.run(["convert", name, "out.png"])  # BST217
    subprocess.run("convert %s out.png" % shlex.quote(name), shell=True)
    subprocess.run("convert %s out.png" % name, shell=True)  # BST202
    return Response({"ok": True})


@api_view(["POST"])
def create_book(request):
    ser = BookSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    pages = ser.validated_data["pages"]
    title = ser.validated_data["title"]
    Book.objects.raw("SELECT * FROM book WHERE pages = %d" % pages)
    Book.objects.raw("SELECT * FROM book WHERE title = '%s'" % title)  # BST204
    return Response(ser.data)
'''

FASTAPI = '''\
import enum
import os
import shlex
import subprocess
from typing import Literal
from urllib.parse import urlparse
from uuid import UUID

import httpx
from fastapi import APIRouter, BackgroundTasks, Body, Depends, FastAPI, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from jinja2 import Template
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

app = FastAPI()
router = APIRouter(prefix="/items")
ALLOWED = {"api.example.com"}


class Color(str, enum.Enum):
    red = "red"
    blue = "blue"


class Item(BaseModel):
    name: str
    count: int
    ident: UUID
    size: Literal["s", "m", "l"]
    color: Color


def get_db():
    yield Session()


def current_user(token: str = Query()):
    return token


@app.get("/files/{name}")
def read_file(name: str):
    FileResponse(os.path.join("/srv/static", os.path.basename(name)))
    return FileResponse(os.path.join("/srv/static", name))  # BST201


@app.get("/go")
def go(url: str = Query(...)):
    if urlparse(url).netloc in ALLOWED:
        return RedirectResponse(url)
    return RedirectResponse(url)  # BST210


@app.get("/hello/{name}", response_class=HTMLResponse)
def hello(name: str = Path(...), n: int = 0):
    HTMLResponse(f"<h1>{n}</h1>")
    return HTMLResponse(f"<h1>Hello {name}</h1>")  # BST203


@app.post("/items")
def create(item: Item, db: Session = Depends(get_db)):
    db.execute(text(f"SELECT * FROM items WHERE count = {item.count}"))
    db.execute(text(f"SELECT * FROM items WHERE id = '{item.ident}'"))
    db.execute(text(f"SELECT * FROM items WHERE size = '{item.size}'"))
    db.execute(text(f"SELECT * FROM items WHERE color = '{item.color}'"))
    db.execute(text("SELECT * FROM items WHERE name = :n"), {"n": item.name})
    db.execute(text(f"SELECT * FROM items WHERE name = '{item.name}'"))  # BST204
    return {"ok": True}


@app.post("/run")
def run(cmd: str = Body(..., embed=True)):
    subprocess.run(["echo", cmd])  # BST217
    subprocess.run("echo " + shlex.quote(cmd), shell=True)
    subprocess.run("echo " + cmd, shell=True)  # BST202
    return {}


@app.get("/me")
def me(user: str = Depends(current_user)):
    os.system("echo " + shlex.quote(user))
    os.system("echo " + user)  # BST202
    return {}


@app.post("/raw")
async def raw(request: Request):
    body = await request.json()
    q = request.query_params.get("q", "")
    p = request.path_params.get("p", "")
    h = request.headers.get("x-name", "")
    subprocess.run(["grep", q])  # BST217
    subprocess.run("grep " + q, shell=True)  # BST202
    open("/srv/" + os.path.basename(p))
    open("/srv/" + p)  # BST201
    HTMLResponse("<p>" + h + "</p>")  # BST203
    Template("{{ x }}").render(x=body["t"])
    return Template(body["t"]).render()  # BST214


@app.post("/upload")
async def upload(file: UploadFile):
    with open(os.path.join("/srv/up", os.path.basename(file.filename)), "wb") as fh:
        fh.write(await file.read())
    with open(os.path.join("/srv/up", file.filename), "wb") as fh:  # BST201
        fh.write(await file.read())
    return {}


def write_log(message: str):
    with open("log.txt", mode="a") as log:
        log.write(message)


def run_job(cmd: str):
    subprocess.run(cmd, shell=True)  # BST202


@app.post("/notify/{email}")
def notify(email: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(write_log, email)
    background_tasks.add_task(run_job, "echo constant")
    background_tasks.add_task(run_job, email)
    return {}


@router.get("/{item_id}")
async def fetch(item_id: str, limit: int = 10):
    async with httpx.AsyncClient() as client:
        await client.get(f"https://api.example.com/items/{item_id}")
        await client.get(f"http://{limit}.example.com/")
        return (await client.get(item_id)).json()  # BST213


app.include_router(router)
'''

FASTAPI_ANNOTATED = '''\
import os
import subprocess
from enum import Enum
from typing import Annotated, List, Optional
from uuid import UUID

from fastapi import APIRouter, Cookie, Depends, FastAPI, File, Form, Header, Query, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from starlette.endpoints import HTTPEndpoint
from starlette.responses import FileResponse
from starlette.routing import Mount, Route

app = FastAPI()
router = APIRouter()


class ModelName(str, Enum):
    alexnet = "alexnet"
    resnet = "resnet"


class Filter(BaseModel):
    q: Optional[str] = None
    limit: int = Field(100, gt=0)


class CommonQuery:
    def __init__(self, q: str | None = None, skip: int = 0):
        self.q = q
        self.skip = skip


@router.get("/models/{model_name}")
async def get_model(model_name: ModelName, raw: str):
    os.system("load " + model_name.value)
    os.system("load " + raw)  # BST202
    return {}


@router.get("/search")
def search(q: Annotated[str | None, Query(max_length=50)] = None,
           page: Annotated[int, Query(ge=1)] = 1, tags: List[str] = Query([])):
    subprocess.run(f"search --page {page}", shell=True)
    subprocess.run(f"search {q}", shell=True)  # BST202
    for tag in tags:
        subprocess.run(f"tag {tag}", shell=True)  # BST202
    return {}


@router.post("/login")
def login(username: Annotated[str, Form()], remember: Annotated[bool, Form()] = False):
    HTMLResponse(f"<p>{remember}</p>")
    return HTMLResponse(f"<p>Welcome {username}</p>")  # BST203


@router.get("/ua")
def ua(user_agent: Annotated[str | None, Header()] = None, ads_id: Annotated[str | None, Cookie()] = None):
    PlainTextResponse(f"<p>{user_agent}</p>")
    return HTMLResponse(f"<p>{ads_id}</p>")  # BST203


@router.get("/list")
def listing(commons: Annotated[CommonQuery, Depends()], f: Annotated[Filter, Query()], db=None):
    db.execute(text(f"SELECT * FROM t LIMIT {commons.skip}"))
    db.execute(text(f"SELECT * FROM t WHERE q = '{commons.q}'"))  # BST204
    db.execute(text(f"SELECT * FROM t LIMIT {f.limit}"))
    db.execute(text(f"SELECT * FROM t WHERE q = '{f.q}'"))  # BST204
    return {}


@router.post("/filters")
async def save_filter(f: Optional[Filter] = None, g: Filter | None = None):
    os.system(f"head -n {f.limit} saved.txt")
    os.system("grep " + f.q)  # BST202
    HTMLResponse("<b>%d</b>" % g.limit)
    return HTMLResponse("<b>%s</b>" % g.q)  # BST203


@router.post("/files/")
async def create_file(file: Annotated[bytes, File()], upload: UploadFile = File(...)):
    open("/srv/" + os.path.basename(upload.filename), "wb").write(file)
    open("/srv/" + upload.filename, "wb").write(file)  # BST201
    return {}


@router.get("/item/{item_id}")
def item(item_id: UUID, name: str):
    open(f"/srv/items/{item_id}.json")
    return open(f"/srv/items/{name}.json").read()  # BST201


class Profile(HTTPEndpoint):
    async def get(self, request):
        name = request.path_params["name"]
        FileResponse("/srv/p/default.png")
        return FileResponse("/srv/p/" + name)  # BST201


app.include_router(router, prefix="/api")
routes = [Mount("/p", routes=[Route("/{name}", Profile)])]
'''

STARLETTE = '''\
import os
import subprocess

from starlette.applications import Starlette
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.routing import Route


async def homepage(request):
    name = request.query_params.get("name", "")
    HTMLResponse("<h1>Hello</h1>")
    return HTMLResponse(f"<h1>Hello {name}</h1>")  # BST203


async def user(request):
    username = request.path_params["username"]
    subprocess.run(["id", username])  # BST217
    subprocess.run("id " + username, shell=True)  # BST202
    return FileResponse("/srv/u/" + username)  # BST201


async def go(request):
    form = await request.form()
    RedirectResponse("/home")
    return RedirectResponse(form["next"])  # BST210


app = Starlette(routes=[
    Route("/", homepage),
    Route("/user/{username}", user),
    Route("/go", go, methods=["POST"]),
])
'''


APPS = {"drf_app.py": DRF, "fastapi_app.py": FASTAPI, "fastapi_annotated.py": FASTAPI_ANNOTATED,
        "starlette_app.py": STARLETTE}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_analyzer_and_the_editor_report_exactly_the_marked_lines(name):
    expected, found = marked_and_found(APPS[name])
    assert expected
    assert found == expected
    assert editor_found(APPS[name], name) == expected


def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    found = {(Path(r["path"]).name, r["line"], r["rule_id"], r["cwe"])
             for r in checked(APPS, tmp_path)}
    expected = {(name, line + 1, rule, CWE[rule]) for name, source in APPS.items()
                for line, rule in marked_and_found(source)[0]}
    assert found == expected
