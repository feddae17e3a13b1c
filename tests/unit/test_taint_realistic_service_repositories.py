"""Taint analysis on a Flask app whose service singletons are given their repository when they
are built (`user_service = UserService(UserRepository())`, in the services package's
`__init__` or in the service's own module), the layered layout of everyday projects: the
service's `__init__` keeps it (`self.repo = repo`) and its methods call `self.repo.find(q)`.
A view calling `services.user_service.search(name)` or, imported, `user_service.search(name)`
runs the repository's method of that building, as `UserService(UserRepository()).search(name)`
written in the view does. Each line that must report ends with its rule (taint_marked.py);
every other line is a safe twin or plain code and must stay silent, in `bastion check` and in
the editor's store."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

REPOSITORIES = r'''import sqlite3


class UserRepository:
    def __init__(self, path="users.db"):
        self.conn = sqlite3.connect(path)

    def find_by_name(self, name):
        return self.conn.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()

    def find_by_name_bound(self, name):
        return self.conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()
'''

SERVICE = r'''from ..repositories import UserRepository


class UserService:
    def __init__(self, repo):
        self.repo = repo

    def search(self, name):
        return self.repo.find_by_name(name)

    def search_bound(self, name):
        return self.repo.find_by_name_bound(name)


audit_service = UserService(UserRepository("audit.db"))
'''

SERVICES = r'''from ..repositories import UserRepository
from .users import UserService

user_service = UserService(UserRepository())
'''

VIEWS = r'''from flask import Blueprint, jsonify, request

from . import services
from .services.users import audit_service

bp = Blueprint("users", __name__)


@bp.route("/users")
def users():
    name = request.args["name"]
    rows = services.user_service.search(name)  # BST204
    rows += services.user_service.search_bound(name)
    rows += services.user_service.search("admin")
    return jsonify(rows)


@bp.route("/audit")
def audit():
    name = request.args["name"]
    rows = audit_service.search(name)  # BST204
    rows += audit_service.search_bound(name)
    return jsonify(rows)
'''


def test_a_service_built_with_its_repository_runs_that_repositorys_methods(tmp_path):
    (tmp_path / "accounts" / "services").mkdir(parents=True)
    apps = {"accounts/__init__.py": "", "accounts/repositories.py": REPOSITORIES,
            "accounts/services/__init__.py": SERVICES, "accounts/services/users.py": SERVICE,
            "accounts/views.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
