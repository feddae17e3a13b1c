"""What the detect56 probe sweep found reported that is no request text where it arrives, each
vulnerable line marked (taint_marked.py) beside its safe twins: a Markup's `+` (escaped on
either side), a template loaded by name (its file's text), what a file call returns (a
directory's listing, a size, a test, a MIME type), the MySQL drivers' and psycopg2's escapes
(safe SQL text); and a log line whose CR LF pairs alone are removed, which keeps each lone line
feed, no longer taken as cleaned."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps, assert_marked

# What these calls return is the directory's names, a number or a boolean, or a MIME type
# from a table: printed in the page it is no request data. The name they are given still
# reports where it is used as a path.
FILE_FACTS = '''\
import glob
import mimetypes
import os
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
ROOT = "/srv/share"


@app.route("/list")
def listing():
    folder = os.path.join(ROOT, request.args["dir"])
    names = os.listdir(folder)  # BST201
    found = glob.glob(folder + "/*.txt")  # BST201
    below = [str(p) for p in Path(folder).iterdir()]  # BST201
    return "<br>".join(names + found + below)


@app.route("/size")
def size():
    path = request.args["path"]
    n = os.path.getsize(path)  # BST201
    st = os.stat(path)  # BST201
    there = os.path.exists(path)  # BST201
    return f"<p>{n} {st.st_mtime} {there}</p>"


@app.route("/type")
def kind():
    kind, _ = mimetypes.guess_type(request.args["name"])
    return f"<p>{kind}</p>"


@app.route("/echo")
def echo():
    return f"<p>{request.args['name']}</p>"  # BST203
'''

# markupsafe's Markup escapes what `+` adds to it, on either side, as it does what `%` inserts;
# a Markup built from the request is reported where it is built, and plain text stays text.
MARKUP_SUMS = '''\
from flask import Flask, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/list")
def listing():
    page = Markup("<ul>")
    for item in request.args.getlist("item"):
        page += Markup("<li>") + item + Markup("</li>")
    return page + Markup("</ul>")


@app.route("/title")
def title():
    head = Markup("<h1>%s</h1>") % request.args["title"]
    return head + request.args["sub"] + Markup("<hr>")


@app.route("/raw")
def raw():
    return Markup(request.args["html"]) + Markup("<br>")  # BST203


@app.route("/text")
def text():
    return "<br>" + request.args["name"]  # BST203


@app.route("/unwrapped")
def unwrapped():
    return str(Markup("<i>") + request.args["a"]) + request.args["b"]  # BST203
'''

# The MySQL drivers escape a string literal's text (written inside quotes) or quote a whole
# literal, psycopg2 an identifier; the same text unescaped is SQL injection.
SQL_ESCAPES = '''\
import psycopg2
import psycopg2.extensions
import pymysql
from flask import Flask, request
from pymysql.converters import escape_string

app = Flask(__name__)


@app.route("/mysql")
def mysql():
    conn = pymysql.connect(host="db", user="app", database="shop")
    name = request.args["name"]
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM users WHERE name = '%s'" % conn.escape_string(name))
        cur.execute("SELECT * FROM users WHERE name = '" + escape_string(name) + "'")
        cur.execute("SELECT * FROM users WHERE name = %s" % conn.escape(name))
        cur.execute("SELECT * FROM users WHERE name = '%s'" % name)  # BST204
    return "ok"


@app.route("/column")
def column():
    conn = psycopg2.connect("dbname=shop")
    cur = conn.cursor()
    quoted = psycopg2.extensions.quote_ident(request.args["col"], cur)
    cur.execute("SELECT " + quoted + " FROM items")
    cur.execute("SELECT " + request.args["col"] + " FROM items")  # BST204
    return "ok"
'''

# A log line's line breaks removed one by one, or only where "\r\n" pairs stand.
LOG_BREAKS = '''\
import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    log.warning("failed login for %s", user.replace("\\n", "").replace("\\r", ""))
    log.warning("failed login for %s", user.replace("\\r\\n", " "))  # BST207
    log.warning("failed login for %s", user.replace("\\r\\n", "").replace("\\n", ""))
    return "ok"
'''

# A template loaded by the name the request gives renders the file's text: Jinja's and Django's
# loaders refuse names leaving their folders. What the context prints unescaped still reports.
TEMPLATE_NAMES = '''\
from django.template import loader
from flask import Flask, request
from jinja2 import Environment, FileSystemLoader

app = Flask(__name__)
pages = Environment(loader=FileSystemLoader("pages"))


@app.route("/page")
def page():
    return pages.get_template(request.args["page"] + ".html").render()


@app.route("/legacy")
def legacy():
    return loader.get_template(request.args["page"]).render({})


@app.route("/greet")
def greet():
    return pages.get_template("greet.html").render(name=request.args["name"])  # BST203
'''

APPS = {"file_facts.py": FILE_FACTS, "markup_sums.py": MARKUP_SUMS, "sql_escapes.py": SQL_ESCAPES,
        "log_breaks.py": LOG_BREAKS, "template_names.py": TEMPLATE_NAMES}


@pytest.mark.parametrize("name", sorted(APPS))
def test_reported_only_where_request_text_arrives(name, tmp_path):
    """The analyser and `bastion check` (with the rule's CWE) report the marked lines alone."""
    assert_marked(APPS[name])
    assert_checked_apps({name: APPS[name]}, tmp_path)
