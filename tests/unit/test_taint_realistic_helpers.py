"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
Flask through request helpers of another module, before_request and g, str.format templates, getattr
dispatch, pickling loaders, ElementTree paths.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'reqhelp.py': r'''from flask import request


def arg(name, default=None):
    return request.args.get(name, default)


def body_field(name):
    data = request.get_json(force=True) or {}
    return data.get(name)
''',
    'app3.py': r'''import logging
import marshal
import os
import pickle
import shlex
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import jsonpickle
import mako.template
import numpy as np
import requests
from flask import Flask, g, redirect, render_template, render_template_string, request, session, url_for
from jinja2 import Environment
from werkzeug.utils import secure_filename

from reqhelp import arg, body_field

app = Flask(__name__)
UPLOADS = "/srv/uploads"


@app.before_request
def load_user():
    g.user = request.headers.get("X-User", "anon")


@app.get("/a")
def a():
    name = arg("name", "")
    return render_template_string(f"<p>Hello {name}</p>")  # BST214


@app.get("/a2")
def a2():
    return render_template("hello.html", name=arg("name", ""))


@app.get("/b")
def b():
    conn = sqlite3.connect("app.db")
    q = "SELECT * FROM users WHERE name = '{name}'"
    return str(conn.execute(q.format(name=body_field("name"))).fetchall())  # BST204


@app.get("/c")
def c():
    cmd = request.args.get("cmd", "")
    subprocess.Popen(shlex.split(cmd))  # BST202
    subprocess.Popen(["ls", "-l", shlex.quote(cmd)])  # BST217
    return ""


@app.post("/d")
def d():
    f = request.files["file"]
    f.save(os.path.join(UPLOADS, secure_filename(f.filename)))
    f.save(os.path.join(UPLOADS, f.filename))  # BST201
    return ""


@app.get("/e")
def e():
    app.logger.info(f"user {g.user} searched {request.args.get('q')}")  # BST207
    logging.info("search " + request.args.get("q", "").replace("\n", " ").replace("\r", " "))
    return ""


@app.get("/f")
def f():
    return redirect(request.referrer or url_for("a"))  # BST210


@app.get("/f2")
def f2():
    return redirect(request.args.get("next") or url_for("a"))  # BST210


@app.post("/g")
def gview():
    data = request.get_data()
    obj = marshal.loads(data)  # BST209
    obj2 = jsonpickle.decode(data)  # BST209
    arr = np.load(request.files["arr"], allow_pickle=True)  # BST209
    arr2 = np.load(request.files["arr"])
    obj3 = pickle.load(request.files["p"])  # BST209
    return str(obj) + str(obj2) + str(arr) + str(arr2) + str(obj3)  # BST203


@app.get("/h")
def h():
    key = request.args["k"]
    session[key] = True  # BST208
    return ""


@app.get("/i")
def i():
    tree = ET.parse("users.xml")
    name = request.args["name"]
    users = tree.getroot().findall(f".//user[@name='{name}']")  # BST212
    return str(len(users))


@app.get("/j")
def j():
    host = request.args["host"]
    r = requests.get(f"https://{host}/api/health", timeout=2)  # BST213
    r2 = requests.get("https://status.example.com/api/health", params={"host": host}, timeout=2)
    return r.text + r2.text  # BST203


@app.get("/k")
def k():
    t = mako.template.Template(request.args["t"])  # BST214
    env = Environment()
    t2 = env.from_string("{{ x }}").render(x=request.args["t"])
    return t.render() + t2  # BST203


@app.get("/l")
def l():
    fn = request.args["fn"]
    handlers = {"up": str.upper, "low": str.lower}
    result = getattr(str, fn)("abc")  # BST206
    result2 = handlers.get(fn, str.lower)("abc")
    return result + result2  # BST203


@app.get("/m")
def m():
    name = request.args.get("name", "")
    html = "".join(["<li>", name.strip().lower(), "</li>"])
    return html  # BST203


@app.get("/n")
def n():
    uid = request.args.get("uid", "")
    if not uid.isdigit():
        return "bad", 400
    conn = sqlite3.connect("app.db")
    return str(conn.execute("SELECT * FROM t WHERE id = " + uid).fetchall())


@app.get("/o")
def o():
    page = request.args.get("page", "home")
    path = os.path.normpath(os.path.join(UPLOADS, page))
    if not path.startswith(UPLOADS + os.sep):
        return "no", 403
    return open(path).read()


@app.get("/p")
def p():
    name = request.args.get("name", "")
    return "<p>%s</p>" % name  # BST203


@app.get("/q")
def q():
    ids = request.args.getlist("id")
    conn = sqlite3.connect("app.db")
    placeholders = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT * FROM t WHERE id IN ({placeholders})", ids).fetchall()
    rows2 = conn.execute(f"SELECT * FROM t WHERE id IN ({','.join(ids)})").fetchall()  # BST204
    return str(rows + rows2)
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
