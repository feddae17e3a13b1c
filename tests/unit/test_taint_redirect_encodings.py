"""Two checks of a redirect target leave text through that a browser takes for another host:
`if not urlparse(target).netloc:` holds for `///evil.com` (a browser skips the extra slashes) and
`/\\evil.com` (it reads `\\` as `/`), and `startswith("/") and not startswith("//")` for the latter
and for `/\\t/evil.com` (a tab is dropped). Each is a proof only where the framework's redirect
percent-encodes what it misses, as its source does (redirect_encodings.py): Django, Starlette and
Sanic encode `\\`, tab and blanks but keep slashes, and an empty netloc with `//` refused still
lets `http:evil.com` through (a browser on an https page goes to evil.com);
Bottle joins the target onto the request's URL, which keeps `http:evil.com`; Werkzeug 3 (Flask)
sends `\\t////evil.com` and `/\\t/evil.com` as `//evil.com`, aiohttp (yarl) `////evil.com` as given;
Tornado, Falcon, Pyramid and Quart send the text as given. Per framework, a vulnerable view beside its safe
twin, as each one's documentation writes a redirect."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

FLASK = '''\
from urllib.parse import urlparse

from flask import Flask, abort, redirect, request

app = Flask(__name__)
ALLOWED_HOSTS = {"accounts.example.com"}


@app.route("/login")
def login():
    target = request.args.get("next", "/")
    if not urlparse(target).netloc:
        return redirect(target)  # BST210
    return redirect("/")


@app.route("/sso")
def sso():
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.netloc and parsed.netloc not in ALLOWED_HOSTS:
        abort(400)
    return redirect(target)  # BST210


@app.route("/logout")
def logout():
    target = request.args.get("next", "/")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)  # BST210
    return redirect("/")
'''

DJANGO = '''\
from urllib.parse import urlparse

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect


def login(request):
    target = request.GET.get("next", "/")
    if not urlparse(target).netloc:
        return redirect(target)  # BST210
    return redirect("/")


def signup(request):
    target = request.GET.get("next", "/")
    if not urlparse(target).netloc and not target.startswith("//"):
        return redirect(target)  # BST210
    return redirect("/")


def logout(request):
    target = request.GET.get("next", "/")
    if target.startswith("/") and not target.startswith("//"):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect("/")


def moved(request):
    target = request.GET.get("next", "/")
    response = HttpResponse(status=302)
    if not urlparse(target).netloc:
        response["Location"] = target  # BST210
    return response
'''

STARLETTE = '''\
from urllib.parse import urlparse

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/login")
async def login(next: str = "/"):
    if not urlparse(next).netloc:
        return RedirectResponse(next)  # BST210
    return RedirectResponse("/")


@app.get("/signup")
async def signup(next: str = "/"):
    if urlparse(next).netloc or next.startswith("//"):
        next = "/"
    return RedirectResponse(next)  # BST210


@app.get("/logout")
async def logout(next: str = "/"):
    if next.startswith("/") and not next.startswith("//"):
        return RedirectResponse(next)
    return RedirectResponse("/")


@app.get("/away")
async def away(next: str = "/"):
    return RedirectResponse(next)  # BST210
'''

AIOHTTP = '''\
from urllib.parse import urlparse

from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/login")
async def login(request):
    target = request.query.get("next", "/")
    if not urlparse(target).netloc:
        raise web.HTTPFound(target)  # BST210
    raise web.HTTPFound("/")


@routes.get("/logout")
async def logout(request):
    target = request.query.get("next", "/")
    if target.startswith("/") and not target.startswith("//"):
        raise web.HTTPFound(target)  # BST210
    raise web.HTTPFound("/")
'''

SANIC = '''\
from urllib.parse import urlparse

from sanic import Blueprint, response

auth = Blueprint("auth", url_prefix="/auth")


@auth.get("/login")
async def login(request):
    next_url = request.args.get("next", "/")
    if urlparse(next_url).netloc:
        next_url = "/"
    return response.redirect(next_url)  # BST210


@auth.get("/logout")
async def logout(request):
    next_url = request.args.get("next", "/")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    return response.redirect(next_url)


@auth.get("/away")
async def away(request):
    return response.redirect(request.args.get("next", "/"))  # BST210
'''

BOTTLE = '''\
from urllib.parse import urlparse

from bottle import redirect, request, route


@route("/login")
def login():
    target = request.query.get("next", "/")
    if not urlparse(target).netloc:  # `http:evil.com`: urljoin keeps it, off an https page
        redirect(target)  # BST210
    redirect("/")


@route("/logout")
def logout():
    target = request.query.get("next", "/")
    if target.startswith("/") and not target.startswith("//"):
        redirect(target)  # BST210
    redirect("/")
'''

TORNADO = '''\
from urllib.parse import urlparse

import tornado.web


class LoginHandler(tornado.web.RequestHandler):
    def get(self):
        target = self.get_argument("next", "/")
        if not urlparse(target).netloc:
            self.redirect(target)  # BST210
            return
        self.redirect("/")


class LogoutHandler(tornado.web.RequestHandler):
    def get(self):
        target = self.get_argument("next", "/")
        if target.startswith("/") and not target.startswith("//") and "\\\\" not in target:
            self.redirect(target)
            return
        self.redirect("/")
'''

FALCON = '''\
from urllib.parse import urlparse

import falcon

PAGES = {"/", "/account", "/orders"}


class LoginResource:
    def on_get(self, req, resp):
        target = req.get_param("next", default="/")
        if not urlparse(target).netloc:
            raise falcon.HTTPFound(target)  # BST210
        raise falcon.HTTPFound("/")


class LogoutResource:
    def on_get(self, req, resp):
        target = req.get_param("next", default="/")
        if target in PAGES:
            raise falcon.HTTPFound(target)
        raise falcon.HTTPFound("/")
'''

PYRAMID = '''\
from urllib.parse import urlparse

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

PAGES = {"/", "/account", "/orders"}


@view_config(route_name="login")
def login(request):
    target = request.params.get("next", "/")
    if not urlparse(target).netloc:
        return HTTPFound(location=target)  # BST210
    return HTTPFound(location="/")


@view_config(route_name="logout")
def logout(request):
    target = request.params.get("next", "/")
    if target in PAGES:
        return HTTPFound(location=target)
    return HTTPFound(location="/")
'''

QUART = '''\
from urllib.parse import urlparse

from quart import Quart, redirect, request

app = Quart(__name__)
PAGES = {"/", "/account", "/orders"}


@app.route("/login")
async def login():
    target = request.args.get("next", "/")
    if not urlparse(target).netloc:
        return redirect(target)  # BST210
    return redirect("/")


@app.route("/logout")
async def logout():
    target = request.args.get("next", "/")
    if target in PAGES:
        return redirect(target)
    return redirect("/")
'''


@pytest.mark.parametrize("source", [FLASK, DJANGO, STARLETTE, AIOHTTP, SANIC, BOTTLE, TORNADO,
                                    FALCON, PYRAMID, QUART],
                         ids=["flask", "django", "starlette", "aiohttp", "sanic", "bottle", "tornado",
                              "falcon", "pyramid", "quart"])
def test_a_check_is_a_proof_where_the_redirect_encodes_what_it_misses(source: str) -> None:
    assert_marked(source)

