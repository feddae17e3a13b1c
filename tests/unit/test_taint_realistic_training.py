"""Taint analysis on a realistic app written from the frameworks' documentation and everyday idioms:
a security-training-style Flask shop, one weakness per route beside its safe twin (SQLite through
a query helper, sessions, uploads, an admin ping tool, a fetch preview, a report export, an XML
import, a cart cookie, LDAP, logging).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'vulnshop.py': r'''"""A small shop with one weakness per route, as security-training apps have."""
import base64
import hashlib
import logging
import os
import pickle
import sqlite3
import subprocess
from urllib.parse import urljoin, urlparse

import ldap
import requests
import yaml
from flask import (Flask, Response, abort, flash, g, jsonify, make_response, redirect, render_template,
                   render_template_string, request, send_file, send_from_directory, session, url_for)
from lxml import etree
from markupsafe import Markup, escape
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "dev")
DB_PATH = os.path.join(os.path.dirname(__file__), "shop.db")
UPLOAD_DIR = os.path.join(os.path.dirname(__file__), "uploads")
EXPORT_DIR = "/srv/shop/exports"
ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}
log = logging.getLogger("shop")


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DB_PATH)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def query(sql, args=()):
    cur = get_db().execute(sql, args)  # BST204
    rows = cur.fetchall()
    cur.close()
    return rows


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form["username"]
        password = hashlib.sha256(request.form["password"].encode()).hexdigest()
        user = query("SELECT * FROM users WHERE username = '%s' AND password = '%s'"
                     % (username, password))
        if user:
            session["user"] = username  # BST208
            return redirect(request.args.get("next", "/"))  # BST210
        log.warning("failed login for %s", username)  # BST207
        flash("bad credentials")
    return render_template("login.html")


@app.route("/login2", methods=["POST"])
def login_safe():
    username = request.form["username"]
    password = hashlib.sha256(request.form["password"].encode()).hexdigest()
    user = query("SELECT * FROM users WHERE username = ? AND password = ?", (username, password))
    if user:
        session["user"] = username  # BST208
        target = request.args.get("next", "/")
        if urlparse(urljoin(request.host_url, target)).netloc != urlparse(request.host_url).netloc:
            target = "/"
        return redirect(target)
    log.warning("failed login for %r", username)
    return render_template("login.html")


@app.route("/search")
def search():
    term = request.args.get("q", "")
    sql = f"SELECT name, price FROM products WHERE name LIKE '%{term}%'"
    rows = get_db().execute(sql).fetchall()  # BST204
    return render_template("results.html", rows=rows, term=term)


@app.route("/search2")
def search_safe():
    term = request.args.get("q", "")
    rows = get_db().execute("SELECT name, price FROM products WHERE name LIKE ?", (f"%{term}%",)).fetchall()
    return render_template("results.html", rows=rows, term=term)


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    return "<h1>Hello " + name + "</h1>"  # BST203


@app.route("/hello2")
def hello_safe():
    name = request.args.get("name", "guest")
    return "<h1>Hello " + str(escape(name)) + "</h1>"


@app.route("/greet")
def greet():
    page = "<h1>Hello %s</h1>" % request.args.get("name", "guest")
    return render_template_string(page)  # BST214


@app.route("/greet2")
def greet_safe():
    greeting = "<h1>Hello {{ name }}</h1>"
    return render_template_string(greeting, name=request.args.get("name", "guest"))


@app.route("/profile/<int:uid>")
def profile(uid):
    row = query("SELECT bio FROM users WHERE id = ?", (uid,))
    bio = request.args.get("preview") or (row[0]["bio"] if row else "")
    return Markup("<div class='bio'>%s</div>" % bio)  # BST203


@app.route("/profile2/<int:uid>")
def profile_safe(uid):
    bio = request.args.get("preview", "")
    return Markup("<div class='bio'>%s</div>") % bio


@app.route("/admin/ping")
def ping():
    host = request.args.get("host", "127.0.0.1")
    out = subprocess.check_output("ping -c 1 " + host, shell=True)  # BST202
    return Response(out, mimetype="text/plain")


@app.route("/admin/ping2")
def ping_safe():
    host = request.args.get("host", "127.0.0.1")
    out = subprocess.check_output(["ping", "-c", "1", "--", host])
    return Response(out, mimetype="text/plain")


@app.route("/admin/dns")
def dns():
    domain = request.values.get("domain", "")
    stream = os.popen("nslookup %s" % domain)  # BST202
    return jsonify(result=stream.read())


@app.route("/preview")
def preview():
    url = request.args.get("url", "")
    resp = requests.get(url, timeout=5)  # BST213
    return jsonify(title=resp.text[:100])


@app.route("/preview2")
def preview_safe():
    url = request.args.get("url", "")
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    resp = requests.get(url, timeout=5)
    return jsonify(title=resp.text[:100])


@app.route("/download")
def download():
    name = request.args.get("file", "")
    return send_file(os.path.join(UPLOAD_DIR, name))  # BST201


@app.route("/download2")
def download_safe():
    name = request.args.get("file", "")
    return send_from_directory(UPLOAD_DIR, name)


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    dest = UPLOAD_DIR + "/" + f.filename
    f.save(dest)  # BST201
    return "ok"


@app.route("/upload2", methods=["POST"])
def upload_safe():
    f = request.files["file"]
    f.save(os.path.join(UPLOAD_DIR, secure_filename(f.filename)))
    return "ok"


@app.route("/export")
def export():
    report = request.args.get("report", "sales")
    fmt = request.args.get("fmt", "csv")
    path = f"{EXPORT_DIR}/{report}.{fmt}"
    with open(path) as fh:  # BST201
        data = fh.read()
    resp = make_response(data)
    resp.headers["Content-Type"] = "text/csv"
    return resp


@app.route("/export2")
def export_safe():
    report = request.args.get("report", "sales")
    if report not in ("sales", "stock", "users"):
        abort(404)
    with open(f"{EXPORT_DIR}/{report}.csv") as fh:
        return Response(fh.read(), mimetype="text/csv")


@app.route("/import", methods=["POST"])
def import_xml():
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    doc = etree.fromstring(request.data, parser)  # BST211
    names = [p.text for p in doc.iter("name")]
    return jsonify(imported=len(names))


@app.route("/import2", methods=["POST"])
def import_xml_safe():
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(request.data, parser)
    return jsonify(imported=len(doc))


@app.route("/cart/restore", methods=["POST"])
def restore_cart():
    blob = request.cookies.get("cart", "")
    cart = pickle.loads(base64.b64decode(blob))  # BST209
    session["cart"] = cart  # BST208
    return jsonify(items=len(cart))


@app.route("/settings/import", methods=["POST"])
def import_settings():
    text = request.get_data(as_text=True)
    settings = yaml.load(text, Loader=yaml.Loader)  # BST209
    safe = yaml.safe_load(text)
    return jsonify(keys=list(settings) + list(safe))


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    result = eval(expr)  # BST206
    return jsonify(result=str(result))


@app.route("/prefs", methods=["POST"])
def prefs():
    key = request.form.get("key", "theme")
    session[key] = request.form.get("value", "")  # BST208
    session["theme"] = request.form.get("theme", "light")  # BST208
    return redirect(url_for("hello"))


@app.route("/directory")
def directory():
    uid = request.args.get("uid", "")
    conn = ldap.initialize("ldap://ldap.example.com")
    res = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")  # BST205
    return jsonify(count=len(res))


@app.route("/orders")
def orders():
    user = session.get("user", "")
    status = request.args.get("status", "open")
    sql = "SELECT * FROM orders WHERE owner = '{}' AND status = '{}'".format(user, status)
    rows = query(sql)
    return render_template("orders.html", rows=rows)


@app.route("/orders2")
def orders_safe():
    status = request.args.get("status", "open")
    rows = query("SELECT * FROM orders WHERE owner = ? AND status = ?", (session.get("user"), status))
    return render_template("orders.html", rows=rows)


@app.route("/feedback", methods=["POST"])
def feedback():
    msg = request.form.get("message", "")
    log.info("feedback: " + msg)  # BST207
    log.info("feedback: %s", msg.replace("\r", "").replace("\n", ""))
    return "thanks"


@app.route("/error")
def error_page():
    code = request.args.get("code", "404")
    resp = make_response(f"<p>Error {code}</p>")  # BST203
    return resp, 400
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
