"""Taint analysis on realistic apps written from the frameworks' documentation, round eight: a
Flask-RESTX API (Namespace resources with `@ns.route` and `@ns.expect`, reqparse parsers made by
`reqparse.RequestParser()` and `ns.parser()` with typed, choice and text arguments, `api.payload`,
lxml with and without entities, ldap, a redirect guard missing the backslash check) and a
Flask-RESTful app (`api.add_resource`, a parser built in the method, a pickled state, the
session). Arguments declared `type=int` or with constant `choices` are no injection, nor is a
class route's `<int:item_id>`.

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe twin or
plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'inventory/__init__.py': r'''''',
    'inventory/api.py': r'''import logging
import os
import sqlite3
import subprocess

import ldap
import requests
import yaml
from flask import Flask, make_response, redirect, request, send_file
from flask_restx import Api, Namespace, Resource, fields, reqparse
from lxml import etree

app = Flask(__name__)
api = Api(app, version="1.0", title="Inventory API")
ns = Namespace("items", description="Item operations")
api.add_namespace(ns)
log = logging.getLogger("inventory")

EXPORTS = "/srv/exports"
ALLOWED_HOSTS = {"mirror.example.com", "cdn.example.com"}

item_model = ns.model("Item", {
    "name": fields.String(required=True),
    "sku": fields.String,
    "quantity": fields.Integer,
})

search_parser = reqparse.RequestParser()
search_parser.add_argument("q", type=str, location="args")
search_parser.add_argument("limit", type=int, default=20, location="args")
search_parser.add_argument("order", choices=("name", "sku", "quantity"), default="name", location="args")

export_parser = ns.parser()
export_parser.add_argument("filename", required=True, location="form")
export_parser.add_argument("fmt", choices=("csv", "json"), location="form")


def db():
    return sqlite3.connect("inventory.db")


@ns.route("/")
class ItemList(Resource):
    @ns.expect(search_parser)
    def get(self):
        args = search_parser.parse_args()
        cur = db().cursor()
        cur.execute("SELECT * FROM items WHERE name LIKE '%" + args["q"] + "%'")  # BST204
        cur.execute("SELECT * FROM items WHERE name LIKE ?", ("%" + args["q"] + "%",))
        cur.execute(f"SELECT * FROM items ORDER BY {args['order']} LIMIT {args['limit']}")
        cur.execute("SELECT * FROM items LIMIT %d" % args["limit"])
        log.info("search for %s", args["q"])  # BST207
        return cur.fetchall()

    @ns.expect(item_model)
    def post(self):
        data = api.payload
        conn = db()
        conn.execute(f"INSERT INTO items (name, sku) VALUES ('{data['name']}', '{data['sku']}')")  # BST204
        conn.execute("INSERT INTO items (name, sku) VALUES (?, ?)", (data["name"], data["sku"]))
        return data, 201


@ns.route("/<string:name>")
@ns.param("name", "The item name")
class Item(Resource):
    def get(self, name):
        row = db().execute("SELECT * FROM items WHERE name = '%s'" % name).fetchone()  # BST204
        return {"item": row}

    def delete(self, name):
        os.remove(os.path.join(EXPORTS, name))  # BST201
        os.remove(os.path.join(EXPORTS, os.path.basename(name)))
        return "", 204


@ns.route("/<int:item_id>/label")
class Label(Resource):
    def get(self, item_id):
        subprocess.run(f"print-label --id {item_id}", shell=True)
        text = request.args.get("text", "")
        subprocess.run(f"print-label --text '{text}'", shell=True)  # BST202
        subprocess.run(["print-label", "--text", "--", text])
        return {"printed": item_id}


@ns.route("/export")
class Export(Resource):
    @ns.expect(export_parser)
    def post(self):
        args = export_parser.parse_args()
        path = os.path.join(EXPORTS, args["filename"])
        with open(path, "w") as fh:  # BST201
            fh.write("sku,name\n")
        subprocess.run(["convert-export", "--format", args["fmt"]])
        subprocess.run("convert-export --format " + args["fmt"], shell=True)
        return send_file(path)  # BST201


@ns.route("/import")
class Import(Resource):
    def post(self):
        doc = yaml.load(request.data, Loader=yaml.Loader)  # BST209
        safe = yaml.safe_load(request.data)
        return {"rows": len(doc) + len(safe)}


@ns.route("/feed")
class Feed(Resource):
    def post(self):
        parser = etree.XMLParser(resolve_entities=True)
        root = etree.fromstring(request.data, parser)  # BST211
        safe_root = etree.fromstring(request.data, etree.XMLParser(resolve_entities=False))
        return {"items": len(root) + len(safe_root)}


@ns.route("/mirror")
class Mirror(Resource):
    def get(self):
        url = request.args["url"]
        body = requests.get(url, timeout=5).text  # BST213
        host = request.args["host"]
        if host in ALLOWED_HOSTS:
            body += requests.get(f"https://{host}/catalog.json", timeout=5).text
        return {"body": body}


@ns.route("/owner")
class Owner(Resource):
    def get(self):
        uid = request.args.get("uid", "")
        conn = ldap.initialize("ldap://ldap.example.com")
        found = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={uid})")  # BST205
        return {"owner": str(found)}


@ns.route("/preview")
class Preview(Resource):
    def get(self):
        title = request.args.get("title", "")
        resp = make_response(f"<h1>{title}</h1>")  # BST203
        resp.headers["Content-Type"] = "text/html"
        return resp


@ns.route("/back")
class Back(Resource):
    def get(self):
        target = request.args.get("next", "/")
        if target.startswith("/") and not target.startswith("//") and "\\" not in target:
            # `/\t/evil.com` passes: Werkzeug drops the tab and sends `Location: //evil.com`
            return redirect(target)  # BST210
        if target.startswith("/") and not target.startswith("//"):
            return redirect(target)  # BST210
        return redirect(request.args["fallback"])  # BST210
''',
    'inventory/legacy.py': r'''import os
import pickle
import subprocess
import base64

from flask import Flask, request, session
from flask_restful import Api, Resource, reqparse

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
api = Api(app)

BACKUPS = "/var/backups/inventory"

ping_parser = reqparse.RequestParser()
ping_parser.add_argument("host", type=str, required=True, help="host to ping")
ping_parser.add_argument("count", type=int, default=1)


class Ping(Resource):
    def post(self):
        args = ping_parser.parse_args()
        subprocess.run(f"ping -c {args['count']} {args['host']}", shell=True)  # BST202
        subprocess.run(f"ping -c {args['count']} localhost", shell=True)
        return {"ok": True}


class Backup(Resource):
    def get(self, name):
        with open(os.path.join(BACKUPS, name), "rb") as fh:  # BST201
            return {"size": len(fh.read())}

    def put(self, name):
        blob = base64.b64decode(request.get_json()["state"])
        state = pickle.loads(blob)  # BST209
        return {"restored": name, "keys": len(state)}


class Profile(Resource):
    def post(self):
        parser = reqparse.RequestParser()
        parser.add_argument("role", location="json")
        parser.add_argument("theme", choices=("light", "dark"), location="json")
        args = parser.parse_args()
        session["role"] = args["role"]  # BST208
        session["theme"] = args["theme"]
        return {"ok": True}


class Calc(Resource):
    def get(self):
        expr = request.args.get("expr", "0")
        return {"value": eval(expr)}  # BST206


api.add_resource(Ping, "/ping")
api.add_resource(Backup, "/backups/<string:name>")
api.add_resource(Profile, "/profile")
api.add_resource(Calc, "/calc")
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
