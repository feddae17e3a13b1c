"""Taint analysis on a realistic Bottle app with the libraries Bottle's documentation pairs it
with: Beaker's session from the WSGI environ (`request.environ["beaker.session"]`, through a
helper of the module), which later requests trust (CWE-501); Mako templates, a template made of
request data (SSTI) beside a constant one whose `h` filter escapes; peewee's raw SQL; jsonpickle.
`abort(400)` and `redirect(...)` raise, so a value checked against an allow-list before them is
one of its constants after. Each line `bastion check` must report ends with its rule
(taint_marked.py); every other line is a safe twin (an allow-listed theme, a parameterized
`raw`, `json.loads`, `static_file`) and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps, assert_marked

APPS = {
    'notes.py': r'''import json
import os

import bottle
import jsonpickle
from beaker.middleware import SessionMiddleware
from bottle import abort, redirect, request, response
from mako.lookup import TemplateLookup
from mako.template import Template

from storage import Note, db

views = TemplateLookup(directories=["views"], default_filters=["h"])
app = bottle.Bottle()
ALLOWED_THEMES = {"light", "dark"}
SORT_COLUMNS = ("created", "title", "owner")


def session():
    return request.environ["beaker.session"]


@app.post("/login")
def login():
    user = request.forms.get("user")
    s = session()
    s["user"] = user  # BST208
    s.save()
    redirect("/")


@app.post("/theme")
def theme():
    chosen = request.forms.get("theme")
    if chosen not in ALLOWED_THEMES:
        abort(400)
    s = session()
    s["theme"] = chosen
    s.save()
    redirect("/")


@app.get("/preview")
def preview():
    body = request.query.get("body", "")
    return Template("<article>" + body + "</article>").render()  # BST214


@app.get("/preview/safe")
def preview_safe():
    body = request.query.get("body", "")
    return Template("<article>${body | h}</article>").render(body=body)


@app.get("/notes")
def list_notes():
    order = request.query.get("order", "created")
    rows = db.execute_sql("SELECT id, title FROM note ORDER BY " + order)  # BST204
    return views.get_template("notes.mako").render(rows=list(rows))


@app.get("/notes/sorted")
def sorted_notes():
    order = request.query.get("order", "created")
    if order not in SORT_COLUMNS:
        abort(400, "unknown column")
    rows = db.execute_sql("SELECT id, title FROM note ORDER BY " + order)
    return views.get_template("notes.mako").render(rows=list(rows))


@app.get("/notes/by-owner")
def notes_by_owner():
    owner = request.query.get("owner", "")
    rows = Note.raw("SELECT * FROM note WHERE owner = %s", owner)
    return views.get_template("notes.mako").render(rows=list(rows))


@app.post("/import")
def import_notes():
    notes = jsonpickle.decode(request.body.read().decode())  # BST209
    return {"imported": len(notes)}


@app.post("/import/json")
def import_json():
    notes = json.loads(request.body.read().decode())
    return {"imported": len(notes)}


@app.get("/attachments/<name>")
def attachment(name):
    response.content_type = "application/octet-stream"
    return open(os.path.join("/srv/attachments", name), "rb")  # BST201


@app.get("/attachments/safe/<name>")
def attachment_safe(name):
    return bottle.static_file(name, root="/srv/attachments")


application = SessionMiddleware(app, {"session.type": "file", "session.data_dir": "/tmp/sessions"})
''',
    'storage.py': r'''from peewee import CharField, Model, SqliteDatabase

db = SqliteDatabase("notes.db")


class Note(Model):
    title = CharField()
    owner = CharField()

    class Meta:
        database = db
''',
}


def test_the_marked_lines_report_and_no_other():
    assert_marked(APPS["notes.py"])


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
