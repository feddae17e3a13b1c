"""A guard on an item read straight from an immutable request mapping (`request.args["n"]`,
`request.GET.get("n", "")`) narrows that item, as it narrows a name: a re-read under the same
constant key gives the same value. Each app marks the lines that must report; the twins are a
different key or mapping, a guard negated without an early exit, a guard in one branch only, a
mutable copy or a QueryDict made mutable, and Django's `META`, a plain dict."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

FLASK = '''\
import os
import re

from flask import Flask, request

app = Flask(__name__)
ALLOWED = ("1", "5", "10")


@app.get("/a")
def subscript_guard():
    if request.args["n"].isdigit():
        os.system("sleep " + request.args["n"])
        os.system("sleep " + request.args.get("n"))
        os.system("echo " + request.args["m"])  # BST202
    os.system("sleep " + request.args["n"])  # BST202
    return "ok"


@app.get("/b")
def get_guard_early_exit():
    if not request.args.get("n", "").isdigit():
        return "bad", 400
    os.system("sleep " + request.args.get("n", "1"))
    os.system("sleep " + request.args["n"])
    os.system("sleep " + request.form["n"])  # BST202
    os.system("sleep " + request.args.get("n", request.args["m"]))  # BST202
    return "ok"


@app.get("/c")
def negated_without_exit():
    if not request.args["n"].isdigit():
        print("not a number")
    os.system("sleep " + request.args["n"])  # BST202
    return "ok"


@app.get("/d")
def allowlist_and_pattern():
    if request.args["n"] in ALLOWED:
        os.system("sleep " + request.args["n"])
    if re.fullmatch(r"[0-9]+", request.headers["X-N"]):
        os.system("sleep " + request.headers["X-N"])
    os.system("sleep " + request.headers["X-N"])  # BST202
    return "ok"


@app.get("/e")
def checked_in_one_branch():
    if request.args.get("fast"):
        if not request.args["n"].isdigit():
            return "bad", 400
    os.system("sleep " + request.args["n"])  # BST202
    return "ok"


@app.get("/f")
def local_dict():
    d = {"k": request.args["k"], "o": request.args["o"]}
    if d["k"] in ALLOWED:
        os.system("sleep " + d["k"])
        os.system("sleep " + d["o"])  # BST202
    if re.fullmatch(r"[a-z]+", d["o"]):
        os.system("echo " + d["o"])
    os.system("echo " + d["o"])  # BST202
    return "ok"
'''

DJANGO = '''\
import os
import re

from django.http import HttpResponse


def view(request):
    if request.GET.get("n", "").isdigit():
        os.system("sleep " + request.GET.get("n", ""))
        os.system("sleep " + request.GET["n"])
        os.system("sleep " + request.POST["n"])  # BST202
    return HttpResponse("ok")


def mutable_copy(request):
    if not request.GET["n"].isdigit():
        return HttpResponse("bad", status=400)
    os.system("sleep " + request.GET["n"])
    q = request.GET.copy()
    q["n"] = request.POST["m"]
    os.system("sleep " + q["n"])  # BST202
    request.GET = q
    os.system("sleep " + request.GET["n"])  # BST202
    return HttpResponse("ok")


def made_mutable(request):
    if not re.fullmatch(r"[0-9]+", request.GET["n"]):
        return HttpResponse("bad", status=400)
    request.GET._mutable = True
    request.GET["n"] = request.POST["m"]
    os.system("sleep " + request.GET["n"])  # BST202
    return HttpResponse("ok")


def rebound(request, other):
    if not request.GET["n"].isdigit():
        return HttpResponse("bad", status=400)
    request = other.request
    os.system("sleep " + request.GET["n"])  # BST202
    return HttpResponse("ok")


def meta(request):
    if request.META["HTTP_X_N"].isdigit():
        request.META["HTTP_X_N"] = request.GET["m"]
        os.system("sleep " + request.META["HTTP_X_N"])  # BST202
    return HttpResponse("ok")
'''

DRF = '''\
import os

from rest_framework.response import Response
from rest_framework.views import APIView


class Sleep(APIView):
    def get(self, request):
        if not request.query_params.get("n", "").isdigit():
            return Response(status=400)
        os.system("sleep " + request.query_params["n"])
        os.system("sleep " + request.query_params["m"])  # BST202
        os.system("sleep " + request.data["n"])  # BST202
        return Response("ok")


def made_mutable(request):
    if not request.query_params["n"].isdigit():
        return Response(status=400)
    request.query_params._mutable = True
    request.query_params["n"] = request.data["m"]
    os.system("sleep " + request.query_params["n"])  # BST202
    return Response("ok")
'''

# Starlette's query_params and headers are immutable multi-dicts; path_params and cookies are
# plain dicts, and `await request.form()` is a call, not a mapping held by the request.
FASTAPI = '''\
import os

from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/a")
async def query(request: Request):
    if request.query_params.get("n", "").isdigit():
        os.system("sleep " + request.query_params["n"])
    if request.headers["x-n"].isdigit():
        os.system("sleep " + request.headers.get("x-n"))
    os.system("sleep " + request.query_params["n"])  # BST202
    return "ok"


@app.get("/b")
async def plain_dicts(request: Request):
    if request.cookies["n"].isdigit():
        os.system("sleep " + request.cookies["n"])  # BST202
    if request.path_params["n"].isdigit():
        os.system("sleep " + request.path_params["n"])  # BST202
    if (await request.form())["n"].isdigit():
        os.system("sleep " + (await request.form())["n"])  # BST202
    return "ok"
'''

# aiohttp's query and headers are read-only multidict proxies; match_info is a dict subclass.
AIOHTTP = '''\
import os

from aiohttp import web


async def handler(request: web.Request):
    if not request.query.get("n", "").isdigit():
        raise web.HTTPBadRequest()
    os.system("sleep " + request.query["n"])
    if request.headers["X-N"].isdigit():
        os.system("sleep " + request.headers["X-N"])
    if request.match_info["n"].isdigit():
        os.system("sleep " + request.match_info["n"])  # BST202
    return web.Response(text="ok")


class Sleep(web.View):
    async def get(self):
        if self.request.query["n"].isdigit():
            os.system("sleep " + self.request.query["n"])
        os.system("sleep " + self.request.query["n"])  # BST202
        return web.Response(text="ok")
'''

# Quart's args is Werkzeug's ImmutableMultiDict; its headers are a mutable Headers.
QUART = '''\
import os

from quart import Quart, request

app = Quart(__name__)


@app.route("/a")
async def sleep():
    if request.args.get("n", "").isdigit():
        os.system("sleep " + request.args["n"])
    if request.headers["X-N"].isdigit():
        os.system("sleep " + request.headers["X-N"])  # BST202
    return "ok"
'''

APPS = {"flask": FLASK, "django": DJANGO, "drf": DRF, "fastapi": FASTAPI, "aiohttp": AIOHTTP,
        "quart": QUART}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_marked_lines_are_exactly_those_reported(name):
    assert_marked(APPS[name])
