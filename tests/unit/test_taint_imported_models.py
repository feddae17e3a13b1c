"""Taint analysis through `bastion check` and the editor's store: a model class imported by name
from another module of the app (`from .models import Item`) is a class, not a module, so its
methods are a value's: peewee's `Item.raw(sql)` runs the query text (`Item.select().where(SQL(...))`
and SQLAlchemy's `text(...)` through a session imported by name were found already); the query's
parameters apart, a module imported by name (`from . import reports`) whose function is named
`raw`, and a constant query stay silent (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

MODELS = '''\
from peewee import CharField, Model, SqliteDatabase
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

db = SqliteDatabase("app.db")
session = sessionmaker(bind=create_engine("sqlite://"))()


class Item(Model):
    name = CharField()

    class Meta:
        database = db
'''

REPORTS = '''\
def raw(title):
    return "<h1>report</h1>"
'''

VIEWS = '''\
from flask import Flask, request
from peewee import SQL
from sqlalchemy import text

from . import reports
from .models import Item, session

app = Flask(__name__)


@app.route("/raw")
def raw():
    q = request.args.get("q", "")
    rows = Item.raw(f"SELECT * FROM item WHERE name = '{q}'")  # BST204
    bound = Item.raw("SELECT * FROM item WHERE name = ?", q)
    return {"rows": len(list(rows)) + len(list(bound)), "title": reports.raw(q)}


@app.route("/where")
def where():
    q = request.args.get("q", "")
    rows = Item.select().where(SQL(f"name = '{q}'"))  # BST204
    bound = Item.select().where(SQL("name = ?", (q,)))
    return {"rows": len(list(rows)) + len(list(bound))}


@app.route("/sa")
def sa():
    q = request.args.get("q", "")
    rows = session.execute(text(f"SELECT * FROM item WHERE name = '{q}'")).all()  # BST204
    bound = session.execute(text("SELECT * FROM item WHERE name = :n"), {"n": q}).all()
    return {"rows": len(rows) + len(bound)}
'''


def test_imported_model_class_methods_are_sinks(tmp_path):
    assert_checked_and_stored({"app/__init__.py": "", "app/models.py": MODELS, "app/reports.py": REPORTS,
                               "app/views.py": VIEWS}, tmp_path, RULE_CWE)
