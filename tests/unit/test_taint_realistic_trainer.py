"""Taint analysis on a realistic app in the style of intentionally vulnerable training apps, round
seven: a Flask notes app, file manager, URL preview, ping tool, calculator and admin report page,
each weakness beside its fixed version (SSTI, executescript, a pickled cookie, yaml.load of an
upload, XPath and LDAP filters from form fields, a role kept in the session, log injection, a
conditional response). A command's output is the request's when the request chose the command.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'trainer.py': r'''"""A deliberately vulnerable training app: notes, a file manager, a URL preview, a ping
tool and an admin report page, each weakness beside its fixed version."""
import base64
import hmac
import json
import logging
import os
import pickle
import re
import sqlite3
import subprocess
from functools import wraps

import ldap
import requests
import yaml
from flask import (Flask, abort, jsonify, make_response, redirect, render_template, render_template_string,
                   request, session)
from lxml import etree
from markupsafe import Markup, escape

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
log = logging.getLogger("trainer")
FILES = "/srv/trainer/files"
USERS_XML = etree.parse("/srv/trainer/users.xml")
HOST_RE = re.compile(r"[A-Za-z0-9.-]+")
MONTHS = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")


def db():
    return sqlite3.connect("/srv/trainer/app.db")


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if session.get("role") != "admin":
            abort(403)
        return view(*args, **kwargs)
    return wrapper


@app.route("/notes/<int:note_id>")
def note(note_id):
    row = db().execute("SELECT title, body FROM notes WHERE id = %d" % note_id).fetchone()
    fmt = request.args.get("fmt", "")
    return render_template_string("<h1>{{ t }}</h1>" + fmt, t=row[0])  # BST214


@app.route("/notes/<int:note_id>/safe")
def note_safe(note_id):
    row = db().execute("SELECT title, body FROM notes WHERE id = ?", (note_id,)).fetchone()
    return render_template_string("<h1>{{ t }}</h1><p>{{ f }}</p>", t=row[0], f=request.args.get("fmt", ""))


@app.route("/notes/search")
def note_search():
    q = request.args.get("q", "")
    owner = request.args.get("owner", "")
    sql = "SELECT id, title FROM notes WHERE title LIKE '%" + q + "%'"
    if owner:
        sql += " AND owner = '" + owner + "'"
    rows = db().execute(sql).fetchall()  # BST204
    rows2 = db().execute("SELECT id FROM notes WHERE title LIKE ?", ("%" + q + "%",)).fetchall()
    return jsonify(rows=rows, rows2=rows2)


@app.route("/notes", methods=["POST"])
def note_create():
    title = request.form["title"]
    body = request.form.get("body", "")
    con = db()
    con.executescript(f"INSERT INTO notes(title, body) VALUES ('{title}', '{body}')")  # BST204
    con.execute("INSERT INTO notes(title, body) VALUES (?, ?)", (title, body))
    log.info("note created: " + title)  # BST207
    log.info("note created: %r", title)
    return redirect(request.form.get("next") or "/")  # BST210


@app.route("/files")
def files():
    sub = request.args.get("dir", "")
    target = os.path.normpath(os.path.join(FILES, sub))
    listing = os.listdir(os.path.join(FILES, sub))  # BST201
    if not target.startswith(FILES + os.sep):
        abort(400)
    listing2 = os.listdir(target)
    return jsonify(a=listing, b=listing2)


@app.route("/files/delete", methods=["POST"])
def files_delete():
    name = request.form["name"]
    os.remove(FILES + "/" + name)  # BST201
    if "/" in name or name.startswith("."):
        abort(400)
    os.remove(FILES + "/" + name)
    return "", 204


@app.route("/files/archive", methods=["POST"])
def files_archive():
    names = request.form.getlist("name")
    out = subprocess.check_output("tar czf - " + " ".join(names), shell=True, cwd=FILES)  # BST202
    out2 = subprocess.check_output(["tar", "czf", "-", "--"] + names, cwd=FILES)
    return make_response(out + out2)  # BST203


@app.route("/preview")
def preview():
    url = request.args["url"]
    r = requests.get(url, timeout=5)  # BST213
    return jsonify(status=r.status_code)


@app.route("/preview/safe")
def preview_safe():
    url = request.args["url"]
    if not url.startswith("https://docs.example.com/"):
        abort(400)
    r = requests.get(url, timeout=5)
    return jsonify(status=r.status_code)


@app.route("/ping", methods=["POST"])
@admin_required
def ping():
    host = request.form["host"]
    out = os.popen("ping -c 1 " + host).read()  # BST202
    return "<pre>" + out + "</pre>"  # BST203


@app.route("/ping/safe", methods=["POST"])
@admin_required
def ping_safe():
    host = request.form["host"]
    if not HOST_RE.fullmatch(host):
        abort(400)
    out = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True).stdout  # BST217
    return "<pre>" + str(escape(out)) + "</pre>"


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    result = eval(expr)  # BST206
    if not re.fullmatch(r"[0-9+*/() -]+", expr):
        abort(400)
    result2 = eval(expr)
    return jsonify(result=result, result2=result2)


@app.route("/prefs")
def prefs():
    raw = request.cookies.get("prefs")
    data = pickle.loads(base64.b64decode(raw))  # BST209
    data2 = json.loads(base64.b64decode(raw))
    return jsonify(data=data, data2=data2)


@app.route("/prefs/signed")
def prefs_signed():
    raw = request.cookies.get("prefs", "")
    body, _, sig = raw.partition(".")
    good = hmac.new(app.secret_key.encode(), body.encode(), "sha256").hexdigest()
    if not hmac.compare_digest(good, sig):
        abort(400)
    return jsonify(json.loads(base64.b64decode(body)))


@app.route("/import", methods=["POST"])
@admin_required
def import_users():
    upload = request.files["users"]
    data = yaml.load(upload.read(), Loader=yaml.UnsafeLoader)  # BST209
    data2 = yaml.safe_load(upload.stream)
    return jsonify(n=len(data) + len(data2))


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    pw = request.form["password"]
    found = USERS_XML.xpath("//user[name/text()='" + user + "' and pw/text()='" + pw + "']")  # BST212
    found2 = USERS_XML.xpath("//user[name/text()=$u and pw/text()=$p]", u=user, p=pw)
    if found or found2:
        session["user"] = user  # BST208
        session["role"] = request.form.get("role", "user")  # BST208
        session["logged_in"] = True
    return redirect("/")


@app.route("/directory")
def directory():
    who = request.args.get("who", "")
    conn = ldap.initialize("ldap://ldap.example.com")
    flt = "(&(objectClass=person)(cn=" + who + "))"
    people = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)  # BST205
    people2 = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE,
                            "(&(objectClass=person)(cn=%s))" % ldap.filter.escape_filter_chars(who))
    return jsonify(n=len(people) + len(people2))


@app.route("/admin/report")
@admin_required
def report():
    month = request.args.get("month", "")
    cols = request.args.get("cols", "id,total")
    rows = db().execute("SELECT %s FROM orders WHERE month = '%s'" % (cols, month)).fetchall()  # BST204
    title = request.args.get("title", "Report")
    html = "<h1>%s</h1><table>" % title + "".join("<tr><td>%s</td></tr>" % r[0] for r in rows) + "</table>"
    resp = make_response(html)  # BST203
    resp.headers["X-Report"] = month
    page = render_template("report.html", title=title, rows=rows)
    return resp if rows else page


@app.route("/admin/report.csv")
@admin_required
def report_csv():
    month = request.args.get("month", "")
    if month not in MONTHS:
        abort(400)
    rows = db().execute("SELECT id, total FROM orders WHERE month = '%s'" % month).fetchall()
    resp = make_response("\n".join("%s,%s" % r for r in rows))
    resp.headers["Content-Type"] = "text/csv"
    return resp


@app.route("/notes/<int:note_id>/share")
def share(note_id):
    to = request.args.get("to", "")
    return f"<p>Note {note_id} shared with {to}</p>"  # BST203


@app.route("/notes/<int:note_id>/share/safe")
def share_safe(note_id):
    return Markup("<p>Note {} shared with {}</p>").format(note_id, request.args.get("to", ""))
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
