"""Taint analysis: what a Flask view's return sends (a JSON text is still a page, a tuple's
`Location` header redirects, also a tuple a helper returns or a local holds; a list is JSON;
the request's own absolute URL is no open redirect) and what a
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


def page(q):
    return "<p>" + q + "</p>", 200


def typed(q):
    return json.dumps({"q": q}), 200, {"Content-Type": "application/json"}


@app.route("/helper-pair")
def helper_pair():
    return page(request.args["q"])  # BST203


@app.route("/helper-typed")
def helper_typed():
    return typed(request.args["q"])


@app.route("/local-pair")
def local_pair():
    response = ("<p>" + request.args["q"] + "</p>", 200)
    return response  # BST203


@app.route("/list")
def listed():
    return [request.args["q"], 200]


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
    assert len(expected) == 6
    assert found == expected
