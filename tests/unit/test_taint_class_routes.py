"""Flask-RESTX resources routed by a class decorator (`@ns.route("/<int:item_id>/label")`,
`@api.route(...)`, the entry's `class_routes`): a method's parameter that each rule naming it
declares with a typed converter (`int`, `float`, `uuid`) holds no injection, as a Flask view's
does; one a rule leaves untyped (`<item_id>`, `<string:uid>`, `<path:rest>`) is the request's.
The rules are part of the methods' kept classification: an edit of the decorator alone
changes what they report, both ways, in a long-lived analyzer."""

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
