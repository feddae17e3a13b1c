"""Taint analysis on realistic apps written from the frameworks' documentation, round six: FastAPI's
dependency styles (a class dependency by Depends() and Depends(Class), a dependency of a
dependency reading a header, nested Pydantic bodies with lists of models, Literal and
StringConstraints fields, Query / Path patterns, await request.form(), Response media types) and
a DRF serializer's validated_data by field class (Choice, Integer, Date, Boolean, UUID clean; a
CharField the request's), a generic view's self.kwargs and .extra(order_by=...).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'deps_app.py': r'''import os
import subprocess
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, StringConstraints

app = FastAPI()


class CommonQueryParams:
    def __init__(self, q: str | None = None, skip: int = 0, limit: int = 100):
        self.q = q
        self.skip = skip
        self.limit = limit


class Buyer(BaseModel):
    """Who placed the order."""

    display_name: str
    years: int = Field(ge=0)


class Item(BaseModel):
    sku: str
    count: int = 1
    gift: bool = False


class Order(BaseModel):
    model_config = {"extra": "forbid"}

    kind: Literal["a", "b"] = "a"
    buyer: Buyer
    items: list[Item] = []
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+$")] = "x"
    note: str = ""


def token_header(request: Request):
    return request.headers.get("x-token", "")


def current_user(token: Annotated[str, Depends(token_header)]):
    return {"name": token}


@app.get("/items")
def items(commons: Annotated[CommonQueryParams, Depends()]):
    os.system("grep " + commons.q)  # BST202
    os.system(f"head -n {commons.limit}")
    return {}


@app.get("/items2")
def items2(commons: CommonQueryParams = Depends(CommonQueryParams)):
    os.system("grep " + commons.q)  # BST202
    return {}


@app.get("/me")
def me(user: Annotated[dict, Depends(current_user)]):
    os.system("finger " + user["name"])  # BST202
    return user


@app.post("/orders")
def orders(order: Order):
    os.system("notify " + order.buyer.display_name)  # BST202
    os.system(f"age {order.buyer.years}")
    for item in order.items:
        os.system("reserve " + item.sku)  # BST202
        os.system(f"reserve-qty {item.count}")
    data = order.model_dump()
    os.system("note " + data["note"])  # BST202
    os.system("kind " + order.kind)
    os.system("code " + order.code)
    return {}


@app.get("/find")
def find(q: Annotated[str, Query(pattern=r"^[a-z]+$")], raw: str = ""):
    os.system("find / -name " + q)
    os.system("find / -name " + raw)  # BST202
    return {}


@app.get("/u/{name}")
def user(name: Annotated[str, Path(pattern=r"^\w+$")], other: str = Query(regex=r"^\d+$")):
    subprocess.run("id " + name, shell=True)
    subprocess.run("id " + other, shell=True)
    return {}


@app.post("/form")
async def form(request: Request):
    form = await request.form()
    subprocess.run("echo " + form["msg"], shell=True)  # BST202
    return HTMLResponse(content="<p>" + str(form["msg"]) + "</p>")  # BST203


@app.get("/raw")
def raw(q: str):
    return Response(content=f"<p>{q}</p>", media_type="text/html")  # BST203


@app.get("/rawtext")
def rawtext(q: str):
    return Response(content=f"<p>{q}</p>", media_type="text/plain")
''',
    'serializers_app.py': r'''import subprocess

from django.db import connection
from rest_framework import generics, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from books.models import Book


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=["a", "b"])
    count = serializers.IntegerField()
    label = serializers.CharField()
    code = serializers.RegexField(r"^[a-z]+$")
    when = serializers.DateField()
    ok = serializers.BooleanField()
    uid = serializers.UUIDField()


class BookList(generics.ListAPIView):
    def get_queryset(self):
        shelf = self.kwargs["shelf"]
        return Book.objects.raw(f"SELECT * FROM book WHERE shelf = '{shelf}'")  # BST204

    def list(self, request, *args, **kwargs):
        order = request.GET.get("o", "id")
        qs = self.get_queryset().extra(order_by=[order])  # BST204
        return Response([b.id for b in qs])


class TagViewSet(viewsets.ViewSet):
    def create(self, request):
        s = TagSerializer(data=request.data)
        if not s.is_valid():
            return Response(s.errors, status=400)
        d = s.validated_data
        subprocess.run("tag " + d["kind"], shell=True)
        subprocess.run(f"tag {d['count']}", shell=True)
        subprocess.run("tag " + d["label"], shell=True)  # BST202
        subprocess.run("tag " + d.get("label", ""), shell=True)  # BST202
        subprocess.run(f"tag {d['when']} {d['ok']} {d['uid']}", shell=True)
        return Response(s.data)

    def list(self, request):
        qp = request.query_params
        name = qp.get("name", "")
        names = qp.getlist("n")
        with connection.cursor() as cur:
            cur.execute("SELECT * FROM t WHERE name = '" + name + "'")  # BST204
            cur.execute("SELECT * FROM t WHERE name IN (%s)" % ",".join(names))  # BST204
            cur.execute("SELECT * FROM t WHERE name IN (%s)" % ",".join(["%s"] * len(names)), names)
        return Response([])


@api_view(["POST"])
def bulk(request):
    for row in request.data.get("rows", []):
        subprocess.run("load " + row["path"], shell=True)  # BST202
    return Response({})
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
