"""Taint analysis on a realistic Twisted app: a feed reader's Klein routes (`request.args`
read through a helper of the module, a search store of another module) and the older
`twisted.web.resource.Resource` pages beside them. What a render method returns is the page
Twisted sends (text/html unless the method types the response otherwise, with
`request.setHeader(b"content-type", ...)`, as a Klein route may); `request.redirect(url)` and
`redirectTo(url, request)` send the browser where the URL says; treq fetches the URL it is given.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is
a safe twin (escaped, a list of arguments after `--`, a known mirror, a parameterized query, a
constant redirect, a JSON or plain-text response) and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps, assert_marked

APPS = {
    'feeds.py': r'''import html
import logging
import os
import subprocess

import treq
from klein import Klein
from twisted.internet import defer

from store import FeedStore

app = Klein()
log = logging.getLogger("feeds")
store = FeedStore("/var/lib/feeds/feeds.db")
CACHE_DIR = "/var/cache/feeds"
KNOWN_MIRRORS = {"primary": "https://feeds.example.com", "backup": "https://mirror.example.com"}


def arg(request, name, default=b""):
    return request.args.get(name.encode(), [default])[0].decode("utf-8")


@app.route("/search")
def search(request):
    term = arg(request, "q")
    rows = store.search(term)  # BST204
    items = "".join(f"<li>{html.escape(row[1])}</li>" for row in rows)
    return f"<h2>Results for {term}</h2><ul>{items}</ul>"  # BST203


@app.route("/search/safe")
def search_safe(request):
    term = arg(request, "q")
    return f"<h2>Results for {html.escape(term)}</h2>"


@app.route("/search.txt")
def search_text(request):
    term = arg(request, "q")
    request.setHeader(b"Content-Type", b"text/plain; charset=utf-8")
    return f"Results for {term}\n"


@app.route("/fetch", methods=["POST"])
@defer.inlineCallbacks
def fetch(request):
    url = arg(request, "url")
    response = yield treq.get(url)  # BST213
    body = yield response.text()
    defer.returnValue(str(len(body)))


@app.route("/fetch/mirror", methods=["POST"])
@defer.inlineCallbacks
def fetch_mirror(request):
    base = KNOWN_MIRRORS.get(arg(request, "mirror"), KNOWN_MIRRORS["primary"])
    response = yield treq.get(base + "/index.xml")
    body = yield response.text()
    defer.returnValue(str(len(body)))


@app.route("/cache/<name>")
def cached(request, name):
    with open(os.path.join(CACHE_DIR, name), "rb") as fh:  # BST201
        return fh.read()


@app.route("/cache/safe/<name>")
def cached_safe(request, name):
    with open(os.path.join(CACHE_DIR, os.path.basename(name)), "rb") as fh:
        return fh.read()


@app.route("/validate")
def validate(request):
    feed = arg(request, "feed")
    log.info("validating %s", feed)  # BST207
    done = subprocess.run(f"xmllint --noout {feed}", shell=True, capture_output=True)  # BST202
    return done.stdout


@app.route("/validate/safe")
def validate_safe(request):
    feed = arg(request, "feed")
    done = subprocess.run(["xmllint", "--noout", "--", feed], capture_output=True)
    return done.stdout


@app.route("/go")
def go(request):
    target = arg(request, "to")
    request.redirect(target.encode())  # BST210
    return b""


@app.route("/go/home")
def go_home(request):
    request.redirect(b"/")
    return b""
''',
    'store.py': r'''import sqlite3


class FeedStore:
    def __init__(self, path):
        self.conn = sqlite3.connect(path)

    def search(self, term):
        cur = self.conn.execute(
            "SELECT id, title FROM items WHERE title LIKE '%" + term + "%'")
        return cur.fetchall()

    def search_safe(self, term):
        cur = self.conn.execute("SELECT id, title FROM items WHERE title LIKE ?", (f"%{term}%",))
        return cur.fetchall()
''',
    'legacy.py': r'''import html
import json

from twisted.web import resource, server
from twisted.web.util import redirectTo


class Greeting(resource.Resource):
    isLeaf = True

    def render_GET(self, request):
        name = request.args.get(b"name", [b"world"])[0].decode()
        request.setHeader(b"content-type", b"text/html; charset=utf-8")
        return ("<p>Hello " + name + "</p>").encode()  # BST203

    def render_POST(self, request):
        name = request.args.get(b"name", [b"world"])[0].decode()
        request.setHeader(b"content-type", b"text/html; charset=utf-8")
        return ("<p>Hello " + html.escape(name) + "</p>").encode()


class GreetingApi(resource.Resource):
    isLeaf = True

    def render_GET(self, request):
        name = request.args.get(b"name", [b"world"])[0].decode()
        request.setHeader(b"Content-Type", b"application/json")
        return json.dumps({"hello": name}).encode()

    def render_POST(self, request):
        name = request.content.read().decode()
        request.setHeader(b"content-type", b"text/plain; charset=utf-8")
        return b"Hello " + name.encode()


class Jump(resource.Resource):
    isLeaf = True

    def render_GET(self, request):
        return redirectTo(request.args[b"next"][0], request)  # BST210


site = server.Site(Greeting())
''',
}


@pytest.mark.parametrize("name", ["legacy.py"])
def test_twisted_resources_report_their_marked_lines(name):
    assert_marked(APPS[name])


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
