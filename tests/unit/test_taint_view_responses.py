"""Taint analysis: what a Flask view's return sends (a JSON text is still a page, a tuple's
`Location` header redirects, the request's own absolute URL is no open redirect) and what a
`match` of constants leaves in its subject; one application, its vulnerable lines marked
(tests/unit/taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import marked_and_found

APP = '''\
import json
import os
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/j")
def j():
    return json.dumps({"q": request.args["q"]})  # BST203


@app.route("/j-typed")
def j_typed():
    return json.dumps({"q": request.args["q"]}), 200, {"Content-Type": "application/json"}


@app.route("/loc")
def loc():
    return "", 302, {"Location": request.args["next"]}  # BST210


@app.route("/loc-path")
def loc_path():
    return "", 302, {"Location": "/home/" + request.args["next"]}


@app.route("/back", methods=["POST"])
def back():
    if "file" not in request.files:
        return redirect(request.url)
    return "ok"


@app.route("/back-path", methods=["POST"])
def back_path():
    return redirect(request.full_path)  # BST210


@app.route("/fmt")
def fmt():
    kind = request.args["kind"]
    match kind:
        case "png" | "jpg":
            os.system("convert a.bmp out." + kind)
        case _:
            os.system("convert a.bmp out." + kind)  # BST202
    return "ok"


@app.route("/fmt-default")
def fmt_default():
    kind = request.args["kind"]
    match kind:
        case "png" | "jpg":
            pass
        case _:
            kind = "png"
    os.system("convert a.bmp out." + kind)
    return "ok"
'''


def test_each_marked_line_reports_its_rule_and_no_other_line_reports():
    expected, found = marked_and_found(APP)
    assert len(expected) == 4
    assert found == expected
