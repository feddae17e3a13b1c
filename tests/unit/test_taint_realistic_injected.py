"""Taint analysis on a layered app whose services are handed the objects they use (issue 12):
a repository injected through the constructor (`UserService(UserRepository(conn))`, the service
calling `self.repo.find(q)`), declared by annotation only (`def __init__(self, repo:
UserRepository)`, a dataclass's `store: ReportStore`), made by a factory (a classmethod returning
`cls(UserRepository(conn))`, a module-level `get_service()`, FastAPI's `Depends(get_service)`),
or handed to a function as a parameter annotated with its class (`def lookup(svc: UserService,
q: str)`); across modules (views -> services -> repositories) and within one. Each line `bastion
check` and the editor's store must report ends with its rule (taint_marked.py); the others are
safe twins: the same calls with a constant, `int()`, a bound parameter, a file name's base name."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

APPS = {
    'shop/__init__.py': r'''''',
    'shop/db.py': r'''import sqlite3

DATABASE = "/srv/shop.db"


def connect():
    return sqlite3.connect(DATABASE)
''',
    'shop/repositories.py': r'''import os
from pathlib import Path


class UserRepository:
    def __init__(self, db):
        self.db = db

    def find(self, name):
        cursor = self.db.cursor()
        cursor.execute("SELECT id, name FROM users WHERE name = '%s'" % name)
        return cursor.fetchall()

    def find_bound(self, name):
        cursor = self.db.cursor()
        cursor.execute("SELECT id, name FROM users WHERE name = ?", (name,))
        return cursor.fetchall()


class ReportStore:
    def __init__(self, folder):
        self.folder = Path(folder)

    def read(self, name):
        return (self.folder / name).read_text()

    def read_base(self, name):
        return (self.folder / os.path.basename(name)).read_text()
''',
    'shop/services.py': r'''from dataclasses import dataclass

from .db import connect
from .repositories import ReportStore, UserRepository


class UserService:
    def __init__(self, repo):
        self.repo = repo

    def search(self, term):
        return self.repo.find(term.strip())

    def search_bound(self, term):
        return self.repo.find_bound(term.strip())

    @classmethod
    def create(cls, conn):
        return cls(UserRepository(conn))


class TypedService:
    def __init__(self, repo: UserRepository):
        self.repo = repo

    def search(self, term):
        return self.repo.find(term)


@dataclass
class ReportService:
    store: ReportStore

    def report(self, name):
        return self.store.read(name + ".txt")

    def report_base(self, name):
        return self.store.read_base(name + ".txt")


def get_service():
    return UserService(UserRepository(connect()))


def lookup(svc: UserService, term: str):
    return svc.search(term)
''',
    'shop/views.py': r'''from flask import Flask, jsonify, request

from .db import connect
from .repositories import ReportStore, UserRepository
from .services import ReportService, TypedService, UserService, get_service, lookup

app = Flask(__name__)


def repository():
    return UserRepository(connect())


@app.route("/users")
def users():
    service = UserService(UserRepository(connect()))
    return jsonify(service.search(request.args["q"]))  # BST204


@app.route("/users/bound")
def users_bound():
    service = UserService(UserRepository(connect()))
    return jsonify(service.search_bound(request.args["q"]))


@app.route("/users/fixed")
def users_fixed():
    service = UserService(UserRepository(connect()))
    request.args["q"]
    return jsonify(service.search("admin"))


@app.route("/users/typed")
def users_typed():
    return jsonify(TypedService(repository()).search(request.args["q"]))  # BST204


@app.route("/users/typed/id")
def users_typed_id():
    return jsonify(TypedService(repository()).search(str(int(request.args["id"]))))


@app.route("/users/created")
def users_created():
    return jsonify(UserService.create(connect()).search(request.args["q"]))  # BST204


@app.route("/users/created/bound")
def users_created_bound():
    return jsonify(UserService.create(connect()).search_bound(request.args["q"]))


@app.route("/users/factory")
def users_factory():
    svc = get_service()
    return jsonify(svc.search(request.form["name"]))  # BST204


@app.route("/users/lookup")
def users_lookup():
    return jsonify(lookup(get_service(), request.args["q"]))  # BST204


@app.route("/users/lookup/id")
def users_lookup_id():
    return jsonify(lookup(get_service(), str(int(request.args["q"]))))


@app.route("/reports")
def reports():
    service = ReportService(ReportStore("/srv/reports"))
    return jsonify(service.report(request.args["name"]))  # BST201


@app.route("/reports/base")
def reports_base():
    service = ReportService(ReportStore("/srv/reports"))
    return jsonify(service.report_base(request.args["name"]))
''',
    'shop/api.py': r'''from typing import Annotated

from fastapi import Depends, FastAPI

from .services import UserService, get_service

api = FastAPI()


@api.get("/users/{name}")
async def user_named(name: str, svc: Annotated[UserService, Depends(get_service)]):
    return {"rows": svc.search(name)}  # BST204


@api.get("/users/{name}/bound")
async def user_named_bound(name: str, svc: Annotated[UserService, Depends(get_service)]):
    return {"rows": svc.search_bound(name)}


@api.get("/users/by-id/{user_id}")
async def user_by_id(user_id: int, svc: Annotated[UserService, Depends(get_service)]):
    return {"rows": svc.search(f"{user_id}")}
''',
    # the same layers in one module, defined after the views: a flow of the file is reported
    # at its sink (the views' `/items` and `/items/handed`), its int() and bound twins silent
    'single.py': r'''import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/items")
def items():
    service = ItemService(ItemRepository(sqlite3.connect("/srv/items.db")))
    return str(len(service.matching(request.args["q"])))


@app.route("/items/bound")
def items_bound():
    service = ItemService(ItemRepository(sqlite3.connect("/srv/items.db")))
    return str(len(service.matching_bound(request.args["q"])))


@app.route("/items/handed")
def items_handed():
    return str(len(matching(ItemService.open(), request.args["q"])))


@app.route("/items/handed/id")
def items_handed_id():
    return str(len(matching(ItemService.open(), str(int(request.args["q"])))))


def matching(service: "ItemService", term):
    return service.matching(term)


class ItemService:
    def __init__(self, repo):
        self.repo = repo

    @staticmethod
    def open():
        return ItemService(ItemRepository(sqlite3.connect("/srv/items.db")))

    def matching(self, term):
        return self.repo.like(term)

    def matching_bound(self, term):
        return self.repo.like_bound(term)


class ItemRepository:
    def __init__(self, conn):
        self.conn = conn

    def like(self, term):
        return self.conn.execute("SELECT * FROM items WHERE title LIKE '%" + term + "%'").fetchall()  # BST204

    def like_bound(self, term):
        return self.conn.execute("SELECT * FROM items WHERE title LIKE ?", (f"%{term}%",)).fetchall()
''',
}


def test_check_and_the_editor_report_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_and_stored(APPS, tmp_path, RULE_CWE)
