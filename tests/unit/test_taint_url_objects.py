"""Taint analysis: a parsed URL whose host is tested against an allowlist is fetched on that host
(guards.py, url_hosts.parsed_local): `url = httpx.URL(text)`, `if url.host not in ALLOWED: return`,
then `client.get(url)` fetches the parsed object itself, which the test proves as it proves the
text parsed. What a field proves stays the field's: a `hostname` or `host` checks what a client
fetches, not where a browser is sent.
Each line that must report ends with its rule (taint_marked.py); every other line stays silent."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = r'''from urllib.parse import urlparse

import httpx
import requests
from flask import Flask, abort, redirect, request

app = Flask(__name__)
ALLOWED = {"example.com", "docs.example.com"}


@app.get("/preview")
def preview():
    url = httpx.URL(request.args["url"])
    if url.host not in ALLOWED:
        abort(400)
    httpx.get(url)
    return "ok"


@app.get("/preview/open")
def preview_open():
    url = httpx.URL(request.args["url"])
    if url.host in ALLOWED:
        app.logger.info("known host")
    httpx.get(url)  # BST213
    return "ok"


@app.get("/fetch")
def fetch():
    parts = urlparse(request.args["url"])
    if parts.hostname not in ALLOWED:
        abort(400)
    requests.get(parts.geturl(), timeout=5)
    return redirect(parts.geturl())  # BST210


@app.get("/go")
def go():
    parts = urlparse(request.args["next"])
    if parts.netloc not in ALLOWED:
        abort(400)
    return redirect(parts.geturl())
'''


def test_a_parsed_url_tested_by_its_host_is_fetched_on_it():
    assert_marked(APP)
