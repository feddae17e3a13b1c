"""Taint analysis through `bastion check`: percent-encoding cleans only what the characters it
leaves as they are cannot break, so `quote(q, safe="<>'")` / `quote_plus(q, safe="<>")` /
`urlencode(..., safe="<>")` in a page are cross-site scripting while `quote(q)`, `quote(q,
safe="/:")` and a `safe` of letters are not; no `safe` makes a redirect target of a request's URL
(`//host` stays a host), and a `safe` not constant cleans nothing (marked lines:
taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
from urllib.parse import quote, quote_plus, urlencode

from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/link")
def link():
    q = request.args.get("q", "")
    page = "<a href='/x?q=" + quote(q) + "&r=" + quote(q, safe="/:") + "'>"
    page += "<b>" + quote_plus(q, safe="abc") + "</b>"
    return page + "<i>" + quote(q, "<>'") + "</i>"  # BST203


@app.route("/plus")
def plus():
    q = request.args.get("q", "")
    return "<p>" + quote_plus(q, safe="<>") + "</p>"  # BST203


@app.route("/form")
def form():
    q = request.args.get("q", "")
    return "<p>" + urlencode({"q": q}, False, "<>") + "</p>"  # BST203


@app.route("/chosen")
def chosen():
    q = request.args.get("q", "")
    return "<p>" + quote(q, safe=request.args.get("keep", "")) + "</p>"  # BST203


@app.route("/next")
def after():
    return redirect(quote(request.args.get("next", "/"), safe="/:"))  # BST210
'''


def test_quote_cleans_what_its_kept_characters_cannot_break(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)
