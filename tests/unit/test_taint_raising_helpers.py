"""The frameworks' helpers that raise the HTTP error of a status never return, so a value tested
against an allow-list before them is one of its constants after: Quart's `abort` (Werkzeug's),
Sanic's `sanic.exceptions.abort`, as a `raise` of Sanic's `BadRequest` or Falcon's
`falcon.HTTPBadRequest` already was. Each app's unchecked twin stays reported."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

QUART = r'''import sqlite3

from quart import Quart, abort, request

app = Quart(__name__)
SORT_COLUMNS = {"title", "created"}


@app.route("/notes")
async def notes():
    order = request.args.get("order", "created")
    if order not in SORT_COLUMNS:
        abort(400)
    rows = sqlite3.connect("notes.db").execute("SELECT id, title FROM note ORDER BY " + order)
    return {"notes": rows.fetchall()}


@app.route("/notes/unchecked")
async def notes_unchecked():
    order = request.args.get("order", "created")
    rows = sqlite3.connect("notes.db").execute("SELECT id, title FROM note ORDER BY " + order)  # BST204
    return {"notes": rows.fetchall()}
'''

SANIC = r'''import sqlite3

from sanic import Sanic
from sanic.exceptions import BadRequest, abort
from sanic.response import json

app = Sanic("notes")
SORT_COLUMNS = {"title", "created"}


@app.get("/notes")
async def notes(request):
    order = request.args.get("order", "created")
    if order not in SORT_COLUMNS:
        abort(400, "unknown column")
    rows = sqlite3.connect("notes.db").execute("SELECT id, title FROM note ORDER BY " + order)
    return json(rows.fetchall())


@app.get("/notes/raised")
async def notes_raised(request):
    order = request.args.get("order", "created")
    if order not in SORT_COLUMNS:
        raise BadRequest("unknown column")
    rows = sqlite3.connect("notes.db").execute("SELECT id, title FROM note ORDER BY " + order)
    return json(rows.fetchall())


@app.get("/notes/unchecked")
async def notes_unchecked(request):
    order = request.args.get("order", "created")
    rows = sqlite3.connect("notes.db").execute("SELECT id, title FROM note ORDER BY " + order)  # BST204
    return json(rows.fetchall())
'''

FALCON = r'''import sqlite3

import falcon

SORT_COLUMNS = {"title", "created"}


class Notes:
    def on_get(self, req, resp):
        order = req.get_param("order") or "created"
        if order not in SORT_COLUMNS:
            raise falcon.HTTPBadRequest(title="unknown column")
        rows = sqlite3.connect("notes.db").execute("SELECT id, title FROM note ORDER BY " + order)
        resp.media = rows.fetchall()

    def on_post(self, req, resp):
        order = req.get_param("order") or "created"
        rows = sqlite3.connect("notes.db").execute("SELECT id, title FROM note ORDER BY " + order)  # BST204
        resp.media = rows.fetchall()


app = falcon.App()
app.add_route("/notes", Notes())
'''


@pytest.mark.parametrize("source", [QUART, SANIC, FALCON], ids=["quart", "sanic", "falcon"])
def test_a_check_before_a_raising_helper_narrows(source):
    assert_marked(source)
