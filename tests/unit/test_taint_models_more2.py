"""Models met in the second round of held-out probes (issue 12): each case a small app whose
vulnerable lines are marked and whose safe twins are not."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found

SQLITE_APP = '''\
import sqlite3
from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")
'''

# A JSON body's values in a query document may be operators (`{"name": {"$ne": ""}}` matches
# every user); a query string's value is a string.
NOSQL_JSON_VALUES = '''\
from flask import Flask, request, jsonify
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient()["app"]


@app.route("/login", methods=["POST"])
def login():
    body = request.get_json()
    user = db.users.find_one({"name": body["name"], "password": body.get("password")})  # BST216
    by_str = db.users.find_one({"name": str(body["name"])})
    by_arg = db.users.find_one({"name": request.args["name"]})
    return jsonify(bool(user), bool(by_str), bool(by_arg))


@app.route("/filter", methods=["POST"])
def by_filter():
    return jsonify(list(db.items.find(request.json["filter"])))  # BST216
'''


# What a contained path reads is the file's, not the request's (as `open(path).read()`).
PATH_READS = '''\
from pathlib import Path
from flask import Flask, request

app = Flask(__name__)
UPLOADS = "/srv/uploads"


class Note:
    def __init__(self, text):
        self.text = text

    def read_text(self):
        return self.text


@app.route("/file")
def read_file():
    base = Path(UPLOADS).resolve()
    path = (base / request.args["name"]).resolve()
    if not path.is_relative_to(base):
        return "no", 403
    return path.read_text()


@app.route("/raw")
def raw():
    return Path(UPLOADS, request.args["name"]).read_bytes()  # BST201


@app.route("/note")
def note():
    return Note(request.args["text"]).read_text()  # BST203
'''


# A FastAPI class dependency (`Page = Depends()` or `Depends(Page)`) is built from the query
# string: its str fields are the request's, its int ones validated.
CLASS_DEPENDENCY = '''\
import sqlite3
from fastapi import Depends, FastAPI

app = FastAPI()
db = sqlite3.connect("app.db")


class Page:
    def __init__(self, q: str = "", skip: int = 0, limit: int = 100):
        self.q = q
        self.skip = skip
        self.limit = limit


class Settings:
    def __init__(self):
        self.table = "items"


def settings():
    return Settings()


@app.get("/items")
def items(page: Page = Depends()):
    db.execute(f"SELECT * FROM items LIMIT {page.limit} OFFSET {page.skip}")
    return db.execute(f"SELECT * FROM items WHERE name = '{page.q}'").fetchall()  # BST204


@app.get("/users")
def users(page: Page = Depends(Page), conf: Settings = Depends(settings)):
    db.execute(f"SELECT * FROM {conf.table} LIMIT {page.limit}")
    return db.execute("SELECT * FROM users WHERE name LIKE '%" + page.q + "%'").fetchall()  # BST204
'''


# make_archive writes a name and packs a directory the request chose; its format is no path.
MAKE_ARCHIVE = '''\
import shutil
from flask import Flask, request

app = Flask(__name__)


@app.route("/bundle", methods=["POST"])
def bundle():
    shutil.make_archive("/srv/out/bundle", "zip", root_dir=request.form["dir"])  # BST201
    shutil.make_archive("/srv/out/" + request.form["name"], "zip", "/srv/data")  # BST201
    shutil.make_archive("/srv/out/bundle", "gztar", "/srv/data", request.form.get("sub"))  # BST201
    shutil.make_archive("/srv/out/bundle", request.form["fmt"], "/srv/data")
    return "ok"
'''


# `self.clauses.append(clause)` stores into the field as `self.clauses = [...]` would.
FIELD_MUTATION = SQLITE_APP + '''\


class Filter:
    def __init__(self):
        self.clauses = []
        self.params = []

    def where(self, clause, *params):
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self):
        return "SELECT * FROM logs WHERE " + " AND ".join(self.clauses)


@app.route("/logs")
def logs():
    f = Filter()
    f.where("level = '%s'" % request.args["level"])
    return db.execute(f.sql()).fetchall()  # BST204


@app.route("/logs-safe")
def logs_safe():
    f = Filter()
    f.where("level = ?", request.args["level"])
    return db.execute(f.sql(), f.params).fetchall()
'''


# What a method stores before a `return` is stored (the fields were read at the end only).
FIELDS_BEFORE_RETURN = SQLITE_APP + '''\


class Search:
    def __init__(self):
        self.order = "id"
        self.clauses = []

    def sort_by(self, column):
        if not column:
            return False
        self.order = column
        return True

    def where(self, clause):
        self.clauses.append(clause)
        return self

    def sql(self):
        return "SELECT * FROM t WHERE " + " AND ".join(self.clauses) + " ORDER BY " + self.order


@app.route("/search")
def search():
    s = Search()
    s.sort_by(request.args.get("o"))
    return db.execute(s.sql()).fetchall()  # BST204


@app.route("/search-where")
def search_where():
    s = Search()
    for name in request.args.getlist("n"):
        s.where(f"name = '{name}'")
    return db.execute(s.sql()).fetchall()  # BST204


@app.route("/search-chained")
def search_chained():
    s = Search().where("name = '%s'" % request.args["n"])
    return db.execute(s.sql()).fetchall()  # BST204


@app.route("/search-safe")
def search_safe():
    s = Search()
    s.sort_by("name")
    s.where("kind = 'book'")
    return db.execute(s.sql()).fetchall()
'''


CASES = {"nosql_json_values": NOSQL_JSON_VALUES, "path_reads": PATH_READS,
         "class_dependency": CLASS_DEPENDENCY, "make_archive": MAKE_ARCHIVE,
         "field_mutation": FIELD_MUTATION, "fields_before_return": FIELDS_BEFORE_RETURN}


@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_marked_lines_report_and_their_safe_twins_do_not(source):
    expected, found = marked_and_found(source)
    assert expected and found == expected
