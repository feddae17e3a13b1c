"""Taint analysis: what a Bottle route returns is the response body, HTML unless the route sets
the global `response`'s type (`response.content_type = "text/plain"`, `response.set_header(
"Content-Type", ...)`, `response.headers["Content-Type"] = ...`) to a constant that a browser
does not render as a page. Each case: the vulnerable route and its safe twin."""

from __future__ import annotations

import textwrap

import pytest

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
