"""Flask-RESTX resources routed by a class decorator (`@ns.route("/<int:item_id>/label")`,
`@api.route(...)`) and Flask-RESTful's registered at module level (`api.add_resource(Backup,
"/backups/<int:backup_id>")`) or in an app factory (`def create_app(): api = Api(app);
api.add_resource(...)`), the entry's `class_routes`: a method's parameter that each rule naming it
declares with a typed converter (`int`, `float`, `uuid`) holds no injection, as a Flask view's
does; one a rule leaves untyped (`<item_id>`, `<string:uid>`, `<path:rest>`) is the request's.
The rules are part of the methods' kept classification (a registration's in the module's
digest): an edit of the decorator or of the registration alone changes what they report, both
ways, in a long-lived analyzer."""

from __future__ import annotations

from tests.unit.taint_marked import assert_edit_reaches, assert_marked

RESOURCES = '''
import sqlite3
import subprocess

from flask import request
from flask_restx import Api, Namespace, Resource

api = Api()
ns = Namespace("items")


@ns.route("/<int:item_id>/label")
class Label(Resource):
    def get(self, item_id):
        subprocess.run(f"print-label --id {item_id}", shell=True)
        return {}


@ns.route("/<item_id>/raw")
class Raw(Resource):
    def get(self, item_id):
        subprocess.run(f"print-label --id {item_id}", shell=True)  # BST202
        return {}


@ns.route("/orders")
@ns.route("/orders/<int:order_id>")
class Orders(Resource):
    def get(self, order_id=None):
        return sqlite3.connect("x").execute(f"SELECT * FROM orders WHERE id = {order_id}").fetchall()


@ns.route("/users/<int:uid>")
@ns.route("/users/<string:uid>")
class Users(Resource):
    def get(self, uid):
        return sqlite3.connect("x").execute(f"SELECT * FROM users WHERE id = {uid}").fetchall()  # BST204


@api.route("/uuid/<uuid:token>/<path:rest>")
class Tokens(Resource):
    def delete(self, token, rest):
        subprocess.run(f"revoke {token}", shell=True)
        subprocess.run(f"revoke {rest}", shell=True)  # BST202
        return {}
'''
REGISTERED = '''
import sqlite3
import subprocess

from flask import Flask
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app)


class Backup(Resource):
    def get(self, backup_id):
        subprocess.run(f"restore --id {backup_id}", shell=True)
        return {}


class Note(Resource):
    def get(self, slug):
        return sqlite3.connect("x").execute(f"SELECT * FROM notes WHERE slug = '{slug}'").fetchall()  # BST204


class Report(Resource):
    def get(self, year, name):
        subprocess.run(f"report --year {year}", shell=True)
        subprocess.run(f"report --name {name}", shell=True)  # BST202
        return {}


api.add_resource(Backup, "/backups/<int:backup_id>")
api.add_resource(Note, "/notes/<slug>", "/notes/<int:slug>")
api.add_resource(Report, "/reports/<int:year>/<path:name>", endpoint="report")
'''
# The same registrations in an app factory, its `api` a local of the function.
FACTORY = REGISTERED.replace("""app = Flask(__name__)
api = Api(app)
""", "").replace("""api.add_resource(Backup""", """def create_app():
    app = Flask(__name__)
    api = Api(app)
    api.add_resource(Backup""").replace("""
api.add_resource(""", """
    api.add_resource(""") + """    return app
"""
LABEL = '''
import os

from flask_restx import Api, Resource

api = Api()


@api.route("/printers/<RULE>")
class Printer(Resource):
    def post(self, printer_id):
        os.system(f"lpstat -p printer{printer_id}")
        return "queued", 202
'''


def test_a_typed_converter_of_the_class_rule_holds_a_number():
    assert_marked(RESOURCES)


def test_an_edit_of_the_class_rule_alone_changes_the_report():
    untyped, typed = LABEL.replace("RULE", "printer_id"), LABEL.replace("RULE", "int:printer_id")
    assert_edit_reaches(untyped, typed, "BST202")


def test_a_typed_converter_of_a_registered_rule_holds_a_number():
    assert_marked(REGISTERED)


def _registration_edit(source: str) -> tuple[str, str]:
    """`source` with every rule typed, and with Backup's rule alone untyped (BST202)."""
    typed = source.replace("  # BST204", "").replace("  # BST202", "")
    typed = typed.replace('"/notes/<slug>", ', "").replace("<path:name>", "<int:name>")
    return typed.replace("<int:backup_id>", "<backup_id>"), typed


def test_an_edit_of_the_registration_alone_changes_the_report():
    assert_edit_reaches(*_registration_edit(REGISTERED), "BST202")


def test_a_typed_converter_of_a_rule_registered_in_an_app_factory_holds_a_number():
    assert "def create_app():\n    app = Flask(__name__)" in FACTORY
    assert_marked(FACTORY)


def test_an_edit_of_the_factory_registration_alone_changes_the_report():
    assert_edit_reaches(*_registration_edit(FACTORY), "BST202")
