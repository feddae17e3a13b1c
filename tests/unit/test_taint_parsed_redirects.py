"""A redirect target whose parse has neither scheme nor host and that `//` does not lead (`p =
urlparse(target)`, `not p.scheme and not p.netloc and not target.startswith("//")`, Django's
`url_has_allowed_host_and_scheme` with no host allowed, written by hand) is a path of this site
where the redirect percent-encodes `\\`, tab and blanks (Django's `iri_to_uri`, Starlette's
`quote`): `/\\evil.com` goes out as `/%5Cevil.com`. Werkzeug (Flask) sends the backslash's
neighbour, a tab, as nothing, and Tornado the text as given, so the same test stays reported
there (redirect_encodings.py); so does a test missing one of the three parts (`///evil.com` has
no netloc, `http:evil.com` no netloc either)."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

DJANGO = '''\
from urllib.parse import urlparse, urlsplit

from django.http import HttpResponseRedirect
from django.shortcuts import redirect


def login(request):
    target = request.GET.get("next", "/")
    parts = urlparse(target)
    if not parts.scheme and not parts.netloc and not target.startswith("//"):
        return redirect(target)
    return redirect("/")


def logout(request):
    target = request.POST.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return HttpResponseRedirect("/")
    return HttpResponseRedirect(target)


def signup(request):
    target = request.GET.get("next", "/")
    parts = urlparse(target)
    if parts.scheme or parts.netloc:
        return redirect("/")
    return redirect(target)  # BST210


def profile(request):
    target = request.GET.get("next", "/")
    parts = urlparse(target)
    if not parts.netloc and not target.startswith("//"):
        return redirect(target)  # BST210
    return redirect("/")


def is_local(url):
    parts = urlparse(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def settings(request):
    target = request.GET.get("next", "/")
    if not is_local(target):
        return redirect("/")
    return redirect(target)


def rebound(request):
    target = request.GET.get("next", "/")
    parts = urlparse("/home")
    if not parts.scheme and not parts.netloc and not target.startswith("//"):
        return redirect(target)  # BST210
    return redirect("/")
'''

STARLETTE = '''\
from urllib.parse import urlparse

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/login")
def login(next: str = "/"):
    parts = urlparse(next)
    if not parts.scheme and not parts.netloc and not next.startswith("//"):
        return RedirectResponse(next)
    return RedirectResponse("/")


@app.get("/logout")
def logout(next: str = "/"):
    parts = urlparse(next)
    if not parts.scheme and not next.startswith("//"):
        return RedirectResponse(next)  # BST210
    return RedirectResponse("/")
'''

FLASK = '''\
from urllib.parse import urlparse

from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/login")
def login():
    target = request.args.get("next", "/")
    parts = urlparse(target)
    if not parts.scheme and not parts.netloc and not target.startswith("//"):
        return redirect(target)  # BST210
    return redirect("/")
'''

TORNADO = '''\
from urllib.parse import urlparse

import tornado.web


class LoginHandler(tornado.web.RequestHandler):
    def get(self):
        target = self.get_argument("next", "/")
        parts = urlparse(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            self.redirect(target)  # BST210
'''


@pytest.mark.parametrize("source", [DJANGO, STARLETTE, FLASK, TORNADO],
                         ids=["django", "starlette", "flask", "tornado"])
def test_a_parse_without_scheme_or_host_keeps_a_redirect_on_site_where_it_encodes(source: str) -> None:
    assert_marked(source)
