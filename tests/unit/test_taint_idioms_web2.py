"""Taint analysis, a second sweep of the web categories (path traversal, XSS, open redirect, SSRF,
trust boundary) as Flask's, Django's, FastAPI's and aiohttp's documentation and real views write
them, each vulnerable line marked (taint_marked.py) beside its safe twin: the cases that found a
gap, kept so that it stays closed."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

# A resolved path's text tested against the base (`str(target).startswith(ROOT)`) is the same
# containment check as the path's own; the text of a path never normalized proves nothing.
PATH_TEXT = '''\
import os
from pathlib import Path

from fastapi import FastAPI, HTTPException
from flask import Flask, abort, request, send_file

app = FastAPI()
flask_app = Flask(__name__)
ROOT = "/srv/data"


@app.get("/dump/{name}")
def dump(name: str, body: str):
    Path(ROOT, name).write_text(body)  # BST201
    return {}


@app.get("/dump2/{name}")
def dump2(name: str, body: str):
    target = Path(ROOT, name).resolve()
    if not str(target).startswith(ROOT + "/"):
        raise HTTPException(404)
    target.write_text(body)
    return {}


@app.get("/dump3/{name}")
def dump3(name: str, body: str):
    target = Path(ROOT, name)
    if not str(target).startswith(ROOT + "/"):
        raise HTTPException(404)
    target.write_text(body)  # BST201
    return {}


@flask_app.route("/get")
def get():
    p = Path(ROOT, request.args["f"]).resolve()
    if not os.fspath(p).startswith(ROOT):
        abort(403)
    return send_file(p)


@flask_app.route("/get2")
def get2():
    p = Path(ROOT, request.args["f"]).resolve()
    if not str(p).endswith(".txt"):
        abort(403)
    return send_file(p)  # BST201
'''

@pytest.mark.parametrize("source", [PATH_TEXT], ids=["path-text"])
def test_marked_lines_are_the_findings(source: str) -> None:
    assert_marked(source)
