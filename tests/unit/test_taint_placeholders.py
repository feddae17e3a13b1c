"""Taint analysis: a placeholder replaced with request data (`tpl.replace("{{ title }}", title)`,
`sql.replace(":name", name)`) puts that data into the text, as a format would; where a constant
template has the placeholder decides what the data starts (a URL's host when it comes first).
Each line that must report ends with its rule (taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = '''import os
import sqlite3

import requests
from flask import Flask, redirect, render_template_string, request

app = Flask(__name__)
PAGE = "<h1>{{ title }}</h1>"


@app.get("/page")
def page():
    return render_template_string(PAGE.replace("{{ title }}", request.args["t"]))  # BST214


@app.get("/page2")
def page_safe():
    return render_template_string(PAGE, title=request.args["t"])


@app.get("/file")
def from_file():
    with open("page.html") as fh:
        tpl = fh.read()
    return render_template_string(tpl.replace("TITLE", request.args["t"]))  # BST214


@app.get("/count")
def count():
    sql = "SELECT COUNT(*) FROM t WHERE owner = ':owner'"
    db = sqlite3.connect("a.db")
    db.execute(sql.replace(":owner", request.args["o"]))  # BST204
    db.execute(sql.replace(":owner", "admin"))
    return "ok"


@app.get("/run")
def run():
    cmd = open("cmd.tpl").read()
    os.system(cmd.replace("HOST", request.args["h"]))  # BST202
    os.system(cmd.replace("HOST", "localhost"))
    return "ok"


@app.get("/go")
def go():
    return redirect("{next}".replace("{next}", request.args["n"]))  # BST210


@app.get("/go2")
def go_safe():
    return redirect("/items/{id}".replace("{id}", request.args["n"]))


@app.get("/api")
def api():
    requests.get("https://api.example.com/users/ID".replace("ID", request.args["u"]), timeout=3)
    requests.get("HOST/users".replace("HOST", request.args["u"]), timeout=3)  # BST213
    return "ok"
'''


def test_a_placeholder_replaced_with_request_data_carries_it():
    assert_marked(APP)
