"""Taint analysis: a view returning one of two responses (`return resp if rows else page`) is
checked branch by branch (responses.py): a response object made by `make_response` (reported
where it is made) or a rendered page is no text, each on its own; joined, the two kinds made text
of neither kind, so the page's escaped values were reported as the response's markup.
Each line that must report ends with its rule (taint_marked.py); every other line stays silent."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

FLASK_APP = r'''from flask import Flask, make_response, render_template, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/report")
def report():
    title = request.args.get("title", "")
    resp = make_response("<h1>%s</h1>" % title)  # BST203
    page = render_template("report.html", title=title)
    return resp if title else page


@app.route("/report/safe")
def report_safe():
    title = request.args.get("title", "")
    resp = make_response("<h1>%s</h1>" % escape(title))
    page = render_template("report.html", title=title)
    return resp if title else page


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    return "<p>Hello " + name + "</p>" if name else render_template("greet.html")  # BST203


@app.route("/greet/either")
def greet_either():
    name = request.args.get("name", "")
    return "<p>" + name + "</p>" if len(name) > 3 else "<b>" + name + "</b>"  # BST203


@app.route("/greet/safe")
def greet_safe():
    name = request.args.get("name", "")
    return render_template("greet.html", name=name) if name else "<p>Hello</p>"


@app.route("/pair")
def pair():
    target = request.args.get("next", "/")
    return ("", 302, {"Location": target}) if target else ("", 204)  # BST210


@app.route("/pair/safe")
def pair_safe():
    target = request.args.get("next", "/")
    return ("", 302, {"Location": "/home"}) if target else ("", 204, {"X-Next": target})
'''


def test_each_branch_of_a_returned_choice_is_a_response_of_its_own():
    assert_marked(FLASK_APP)
