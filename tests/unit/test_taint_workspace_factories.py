"""A function of another workspace module that only returns a new instance of one of its classes
(`def repository(): return UserRepository(Session(engine))`) gives that class's methods to the
calls on what it returns, as a module-level instance does (workspace_names.exported_names): a
service keeping it (`self.repo = repository()`) reaches the repository's sinks."""

from __future__ import annotations

import ast

import pytest
from tests.unit.test_taint_workspace_records import workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace_names import exported_names

ANALYZER = TaintAnalyzer()
REPOSITORIES = '''
import sqlite3


class UserRepository:
    def __init__(self, conn):
        self.conn = conn

    def by_name(self, name):
        return self.conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()

    def by_name_bound(self, name):
        return self.conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()


def repository():
    return UserRepository(sqlite3.connect("app.db"))


def maybe_repository(flag):
    if flag:
        return None
    return UserRepository(sqlite3.connect("app.db"))
'''
SERVICES = '''
from .repositories import repository


class UserService:
    def __init__(self):
        self.repo = repository()

    def find(self, params):
        return self.repo.{method}(params.get("name", ""))


users = UserService()
'''
VIEWS = '''
from flask import Flask, request

from .repositories import repository
from .services import users

app = Flask(__name__)


@app.route("/users")
def find():
    return {{"users": {call}}}
'''
# (vulnerable, safe twin)
PAIRS = [
    ('users.find(request.args)', 'users.find(request.args)'),
    ('repository().by_name(request.args["name"])', 'repository().by_name_bound(request.args["name"])'),
]


def _taint(root, call: str, method: str, compute: bool) -> list[tuple[str, str]]:
    found = workspace_findings(ANALYZER, root, {"repositories.py": REPOSITORIES,
                                                "services.py": SERVICES.format(method=method),
                                                "views.py": VIEWS.format(call=call)}, compute)
    return [(f.rule_id, f.confidence.name) for f in found]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize(("vulnerable", "safe"), PAIRS)
def test_instance_a_factory_of_another_module_returns(tmp_path, vulnerable, safe, compute):
    assert _taint(tmp_path, vulnerable, "by_name", compute) == [("BST204", "HIGH")]
    assert _taint(tmp_path, safe, "by_name_bound", compute) == []


def test_only_a_function_returning_an_instance_at_every_return_is_a_factory():
    # (and the class's own call, `UserRepository()`)
    assert exported_names(ast.parse(REPOSITORIES))[1] == {"UserRepository()": "UserRepository",
                                                          "repository()": "UserRepository"}
