"""A redirect to a query string `urlencode` writes (issue 12): percent-encoding leaves no `:`,
`/` nor `\\` of what the request wrote (`quote_plus` with `safe=""`), so no scheme nor host can
start the URL, and the browser stays on the site (`redirect(urlencode({"next": nxt}))`, after
`"?"` or a path). Told to keep `/` or `:` as they are (`safe="/:"`), or with the request's text
before it, it still reports."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_marked

FLASK = '''\
from urllib.parse import urlencode

from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/login")
def login():
    return redirect(urlencode({"next": request.args["next"]}))


@app.route("/keyed")
def keyed():
    return redirect(urlencode({request.args["k"]: "1"}))


@app.route("/query")
def query():
    return redirect("?" + urlencode({"next": request.args["next"]}))


@app.route("/kept")
def kept():
    return redirect(urlencode({"next": request.args["next"]}, safe="/:"))  # BST210


@app.route("/after")
def after():
    return redirect(request.args["base"] + urlencode({"next": "/"}))  # BST210
'''

DJANGO = '''\
from django.http import HttpResponseRedirect
from django.utils.http import urlencode


def login(request):
    return HttpResponseRedirect(urlencode({"next": request.GET.get("next", "/")}))


def again(request):
    params = request.GET.copy()
    params.pop("page", None)
    return HttpResponseRedirect(params.urlencode())


def kept(request):
    return HttpResponseRedirect(request.GET.urlencode(safe="/:"))  # BST210


def raw(request):
    return HttpResponseRedirect(request.GET["next"])  # BST210
'''


def test_a_flask_redirect_to_an_encoded_query_stays_on_the_site():
    assert_marked(FLASK)


def test_a_django_redirect_to_an_encoded_query_stays_on_the_site():
    assert_marked(DJANGO)
