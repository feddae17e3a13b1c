"""Taint analysis: a URL built for one of the application's own routes (Quart's `url_for`,
Starlette's `request.url_for`, Sanic's `app.url_for`, Bottle's `app.get_url`, Pyramid's
`request.route_url`, Tornado's `reverse_url`) starts with the application's own root and
quotes the values it is given into the path or query: a redirect to it stays on the site.
Each case has its vulnerable twin, the value redirected to as it came."""

from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

QUART = '''from quart import Quart, redirect, request, url_for
app = Quart(__name__)

@app.get("/a")
async def a():
    return redirect({})
'''
STARLETTE = '''from starlette.responses import RedirectResponse
from starlette.routing import Route

async def a(request):
    return RedirectResponse({})

routes = [Route("/a", a)]
'''
SANIC = '''from sanic import Sanic, response
app = Sanic("x")

@app.get("/a")
async def a(request):
    return response.redirect({})
'''
BOTTLE = '''from bottle import Bottle, redirect, request, url
app = Bottle()

@app.get("/a")
def a():
    redirect({})
'''
PYRAMID = '''from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

@view_config(route_name="a")
def a(request):
    return HTTPFound({})
'''
TORNADO = '''import tornado.web

class H(tornado.web.RequestHandler):
    def get(self):
        self.redirect({})
'''

# (module, the value as it came, the URL of a route built from it)
CASES = [
    (QUART, 'request.args["n"]', 'url_for("user", name=request.args["n"])'),
    (QUART, 'request.args["n"]', 'url_for("user", name=request.args["n"], _external=True)'),
    (STARLETTE, 'request.query_params["n"]', 'request.url_for("user", name=request.query_params["n"])'),
    (STARLETTE, 'request.query_params["n"]', 'str(request.url_for("user", name=request.query_params["n"]))'),
    (STARLETTE, 'request.query_params["n"]',
     'request.app.url_path_for("user", name=request.query_params["n"])'),
    (SANIC, 'request.args.get("n")', 'app.url_for("user", name=request.args.get("n"))'),
    (SANIC, 'request.args.get("n")', 'request.app.url_for("user", name=request.args.get("n"))'),
    (BOTTLE, 'request.query.n', 'app.get_url("user", name=request.query.n)'),
    (BOTTLE, 'request.query.n', 'url("user", name=request.query.n)'),
    (PYRAMID, 'request.params["n"]', 'request.route_url("user", name=request.params["n"])'),
    (PYRAMID, 'request.params["n"]', 'request.route_path("user", name=request.params["n"])'),
    (TORNADO, 'self.get_argument("n")', 'self.reverse_url("user", self.get_argument("n"))'),
]


def rules(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py"))


@pytest.mark.parametrize(("module", "raw", "built"), CASES)
def test_a_redirect_to_the_value_reports_and_to_a_route_built_from_it_does_not(module, raw, built):
    assert rules(module.format(raw)) == ["BST210"]
    assert rules(module.format(built)) == []

