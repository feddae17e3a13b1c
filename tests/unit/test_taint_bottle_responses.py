"""Taint analysis: what a Bottle route returns is the response body, HTML unless the route sets
the global `response`'s type (`response.content_type = "text/plain"`, `response.set_header(
"Content-Type", ...)`, `response.headers["Content-Type"] = ...`) to a constant that a browser
does not render as a page; an `HTTPResponse` given a `Location` header redirects. Each case: the
vulnerable route and its safe twin."""

from __future__ import annotations

import textwrap

import pytest
from tests.unit.taint_marked import assert_marked

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

ROUTE = '''import bottle
from bottle import request, response, route

@route("/echo")
def echo():
    {}
    return request.query.get("msg", "")
'''

# (what the route does before it returns the query's text, with HTML, with plain text)
CASES = [
    ('response.content_type = "text/html; charset=utf-8"', 'response.content_type = "text/plain"'),
    ('response.content_type = "text/html"', 'response.content_type = "application/json"'),
    ('response.set_header("Content-Type", "text/html")', 'response.set_header("Content-Type", "text/csv")'),
    ('response.headers["Content-Type"] = "image/svg+xml"',
     'response.headers["Content-Type"] = "text/plain; charset=utf-8"'),
    ('bottle.response.content_type = "text/html"', 'bottle.response.content_type = "text/plain"'),
    ('pass', 'response.content_type = "text/plain"'),
]


def rules(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py"))


@pytest.mark.parametrize(("html", "plain"), CASES)
def test_a_route_that_types_its_response_as_no_page_returns_no_markup(html, plain):
    assert rules(ROUTE.format(html)) == ["BST203"]
    assert rules(ROUTE.format(plain)) == []


def test_a_type_set_on_another_object_is_not_the_responses():
    other = ROUTE.format('resp = bottle.HTTPResponse()\n    resp.content_type = "text/plain"')
    assert rules(other) == ["BST203"]


HAND_REDIRECT = '''from bottle import HTTPResponse, post, request

@post("/done")
def done():
    after = request.forms.get("after", "/")
    if request.forms.get("raise"):
        raise HTTPResponse(status=302, headers={"Location": after})  # BST210
    if request.forms.get("third"):
        return HTTPResponse("", 303, {"location": after})  # BST210
    if request.forms.get("kept"):
        return HTTPResponse("", 303, {"Location": "/done/" + after})
    return HTTPResponse(status=302, headers={"Location": "/", "X-After": after})
'''


def test_a_response_made_with_a_location_header_redirects():
    assert_marked(HAND_REDIRECT)


RAW_PRINTS = '''from bottle import get, request, template

@get("/hello")
def hello():
    name = request.query.get("name", "")
    return template("<b>{{!name}}</b>", name=name)  # BST203


@get("/hello/spaced")
def hello_spaced():
    return template("<b>{{ !name }}</b> {{title}}", name=request.query.name, title="Hi")  # BST203


@get("/hello/escaped")
def hello_escaped():
    name = request.query.get("name", "")
    return template("<b>{{name}}</b>", name=name)


@get("/hello/constant")
def hello_constant():
    return template("<b>{{!banner}}</b> {{name}}", banner="<i>Hi</i>", name=request.query.name)
'''


def test_a_template_source_printing_a_value_raw_holds_it_as_markup():
    assert_marked(RAW_PRINTS)
