"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
Flask: a blueprint app with a login decorator and helper modules (shop/), a MethodView, uploads,
archives, cookies, headers, LDAP through a dataclass.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'shop/__init__.py': r'''from flask import Flask

from .views import bp


def create_app():
    app = Flask(__name__)
    app.register_blueprint(bp, url_prefix="/shop")
    return app
''',
    'shop/helpers.py': r'''import os
import subprocess
import sqlite3

UPLOAD_ROOT = "/srv/uploads"


def user_file(name):
    return os.path.join(UPLOAD_ROOT, name)


def safe_user_file(name):
    base = os.path.realpath(UPLOAD_ROOT)
    full = os.path.realpath(os.path.join(base, name))
    if not full.startswith(base + os.sep):
        raise ValueError("outside")
    return full


def run_tool(*args):
    return subprocess.check_output(["convert", *args])


def query(sql, params=()):
    conn = sqlite3.connect("shop.db")
    with conn:
        return conn.execute(sql, params).fetchall()


def build_filter(**kwargs):
    return " AND ".join(f"{k} = '{v}'" for k, v in kwargs.items())
''',
    'shop/views.py': r'''import functools
import logging
import os
import pickle
import subprocess
import json

import requests
from flask import (Blueprint, abort, jsonify, make_response, redirect, render_template_string, request,
                   session, url_for)
from lxml import etree
from markupsafe import escape

from .helpers import build_filter, query, run_tool, safe_user_file, user_file

bp = Blueprint("shop", __name__)
log = logging.getLogger(__name__)
ALLOWED_HOSTS = {"api.partner.example": "https://api.partner.example/v1/"}


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if "uid" not in session:
            abort(401)
        return view(*args, **kwargs)
    return wrapped


@bp.route("/files/<path:name>")
@login_required
def download(name):
    with open(user_file(name), "rb") as fh:  # BST201
        data = fh.read()
    return data


@bp.route("/files2/<path:name>")
@login_required
def download_safe(name):
    with open(safe_user_file(name), "rb") as fh:
        return fh.read()


@bp.post("/thumb")
def thumb():
    body = request.get_json()
    size = body["size"]
    out = subprocess.run(f"convert in.png -resize {size} out.png", shell=True)  # BST202
    run_tool("in.png", "-resize", body["size"], "out.png")  # BST217
    return jsonify(code=out.returncode)


@bp.post("/thumb2")
def thumb2():
    opts = {"size": request.form["size"]}
    cmd = "convert in.png -resize %s out.png" % opts["size"]
    os.system(cmd)  # BST202
    os.system("convert in.png -resize %s out.png" % int(opts["size"]))
    return "ok"


@bp.route("/hello")
def hello():
    name = request.args.get("name", "")
    resp = make_response("<h1>Hello {}</h1>".format(name))  # BST203
    safe = make_response("<h1>Hello {}</h1>".format(escape(name)))
    return resp if name else safe


@bp.route("/products")
def products():
    filters = {k: v for k, v in request.args.items()}
    where = build_filter(**filters)
    rows = query("SELECT * FROM products WHERE " + where)  # BST204
    cat = request.args.get("cat")
    rows += query("SELECT * FROM products WHERE cat = ?", (cat,))
    return jsonify(rows)


@bp.route("/order/<oid>")
def order(oid):
    try:
        rows = query(f"SELECT * FROM orders WHERE id = {oid}")  # BST204
    except Exception:
        rows = query("SELECT * FROM orders WHERE id = ?", [oid])
    return jsonify(rows)


@bp.route("/calc")
def calc():
    expr = request.args["expr"]
    result = eval(expr)  # BST206
    import ast
    value = ast.literal_eval(expr)
    return str(result) + str(value)  # BST203


@bp.post("/login")
def login():
    user = request.form["user"]
    log.info("login attempt for %s", user)  # BST207
    log.warning("failed login for " + user)  # BST207
    session["user"] = user  # BST208
    session["attempts"] = session.get("attempts", 0) + 1
    return redirect(url_for("shop.products"))


@bp.route("/cart/restore", methods=["POST"])
def restore_cart():
    blob = request.files["cart"].read()
    cart = pickle.loads(blob)  # BST209
    cart2 = json.loads(blob)
    return jsonify(len(cart) + len(cart2))


@bp.route("/go")
def go():
    target = request.args.get("next", "/")
    if request.args.get("external"):
        return redirect(target)  # BST210
    return redirect(url_for("shop.products", page=target))


@bp.post("/import")
def import_xml():
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(request.data, parser)  # BST211
    safe_doc = etree.fromstring(request.data, etree.XMLParser(resolve_entities=False))
    return str(doc.tag) + str(safe_doc.tag)  # BST203


@bp.route("/lookup")
def lookup():
    tree = etree.parse("catalog.xml")
    sku = request.args["sku"]
    found = tree.xpath("//item[@sku='%s']" % sku)  # BST212
    found2 = tree.xpath("//item[@sku=$sku]", sku=sku)
    return str(len(found) + len(found2))


@bp.route("/proxy")
def proxy():
    url = request.args["url"]
    r = requests.get(url, timeout=5)  # BST213
    host = request.args["host"]
    base = ALLOWED_HOSTS.get(host, "https://api.partner.example/v1/")
    r2 = requests.get(base + "status", timeout=5)
    return r.text + r2.text  # BST203


@bp.route("/greet")
def greet():
    tpl = request.args.get("tpl", "Hello {{ name }}")
    out = render_template_string(tpl, name="x")  # BST214
    out2 = render_template_string("Hello {{ name }}", name=request.args.get("name"))
    return out + out2  # BST203
''',
    'flask2.py': r'''import importlib
import logging
import os
import shutil
import tarfile
import urllib.request
import zipfile
from dataclasses import dataclass

from flask import Flask, Markup, Response, request, send_file, session
from flask.views import MethodView
from jinja2 import Environment
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars
import xml.sax

app = Flask(__name__)
log = logging.getLogger(__name__)
BASE = "/srv/data"


@dataclass
class Query:
    name: str
    limit: int = 10


class ExportView(MethodView):
    decorators = []

    def __init__(self):
        self.folder = BASE

    def get(self, fname):
        self.fname = fname
        return send_file(os.path.join(self.folder, self.fname))  # BST201

    def delete(self, fname):
        os.remove(os.path.join(self.folder, fname))  # BST201
        return "", 204


app.add_url_rule("/export/<fname>", view_func=ExportView.as_view("export"))


@app.post("/upload")
def upload():
    f = request.files["archive"]
    path = os.path.join("/tmp", f.filename)
    f.save(path)  # BST201
    with tarfile.open(path) as tar:  # BST201
        # the members of the upload saved at `path`, extracted without a filter
        tar.extractall("/srv/unpacked")  # BST201
    with zipfile.ZipFile(request.files["zip"]) as z:
        z.extractall("/srv/unpacked")
    return "ok"


@app.post("/copy")
def copy():
    src = request.values.get("src")
    shutil.copy(os.path.join(BASE, src), "/tmp/out")  # BST201
    return "ok"


@app.get("/plugin")
def plugin():
    mod = importlib.import_module(request.args["mod"])  # BST206
    mod2 = importlib.import_module("plugins." + {"a": "alpha"}.get(request.args["mod"], "alpha"))
    return str(mod) + str(mod2)  # BST203


@app.get("/banner")
def banner():
    text = request.cookies.get("banner", "")
    return Markup("<div>" + text + "</div>")  # BST203


@app.get("/banner2")
def banner2():
    text = request.headers.get("X-Banner", "")
    return Response("<div>" + text + "</div>", mimetype="text/html")  # BST203


@app.get("/banner3")
def banner3():
    text = request.headers.get("X-Banner", "")
    return Response(text, mimetype="text/plain")


@app.get("/page")
def page():
    env = Environment(autoescape=False)
    tpl = env.from_string("<p>{{ body }}</p>")
    return tpl.render(body=request.args["body"])  # BST203


@app.get("/people")
def people():
    q = Query(name=request.args["name"])
    conn = Connection(Server("ldap://ldap"), auto_bind=True)
    conn.search("dc=ex,dc=com", f"(cn={q.name})")  # BST205
    conn.search("dc=ex,dc=com", f"(cn={escape_filter_chars(q.name)})")
    return "ok"


@app.get("/fetch")
def fetch():
    target = request.args.get("u")
    with urllib.request.urlopen(target) as r:  # BST213
        return r.read()


@app.post("/prefs")
def prefs():
    session.update(request.form.to_dict())  # BST208
    session.update({"saved": True})
    return "ok"


@app.post("/sax")
def sax():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    parser.parse(request.files["doc"])  # BST211
    return "ok"


@app.get("/back")
def back():
    resp = Response(status=302)
    resp.headers["Location"] = request.args["to"]  # BST210
    return resp


@app.get("/logit")
def logit():
    for k, v in request.args.items():
        log.info("arg " + k + "=" + v)  # BST207
    return "ok"
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
