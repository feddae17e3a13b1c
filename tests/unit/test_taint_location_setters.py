"""Taint analysis: a redirect made by setting a response's Location by name (Werkzeug's
`resp.headers.add("Location", url)` / `set`, Tornado's and Bottle's `set_header`, Falcon's
`resp.set_header`) or on Pyramid's response (`resp.location = url`, `request.response.headers
["Location"] = url`). Another header, or a URL whose host a constant start fixes, is no
redirect. Each line that must report ends with its rule (taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

FLASK = '''from flask import Flask, make_response, request

app = Flask(__name__)


@app.get("/a")
def a():
    resp = make_response("", 302)
    resp.headers.add("Location", request.args["u"])  # BST210
    resp.headers.add("X-Next", request.args["u"])
    return resp


@app.get("/b")
def b():
    resp = make_response("", 302)
    resp.headers.set("location", request.args["u"])  # BST210
    return resp


@app.get("/c")
def c():
    resp = make_response("", 302)
    resp.headers.set("Location", "/items/" + request.args["u"])
    return resp
'''

PYRAMID = '''from pyramid.response import Response
from pyramid.view import view_config


@view_config(route_name="c")
def c(request):
    resp = Response(status=302)
    resp.location = request.params["u"]  # BST210
    return resp


@view_config(route_name="d")
def d(request):
    request.response.status = 302
    request.response.headers["Location"] = request.params["u"]  # BST210
    request.response.headers["X-Next"] = request.params["u"]
    return request.response


@view_config(route_name="e")
def e(request):
    resp = Response(status=302)
    resp.location = "/items/" + request.params["u"]
    return resp
'''

TORNADO_BOTTLE_FALCON = '''import bottle
import falcon
import tornado.web
from bottle import request, response, route


class Next(tornado.web.RequestHandler):
    def get(self):
        self.set_status(302)
        self.set_header("Location", self.get_argument("next"))  # BST210
        self.set_header("X-Next", self.get_argument("next"))

    def post(self):
        self.set_status(303)
        self.add_header("Location", "/done?from=" + self.get_argument("next"))


@route("/next")
def nxt():
    response.status = 302
    response.set_header("Location", request.query.next)  # BST210
    bottle.response.add_header("X-Next", request.query.next)


class Resource:
    def on_get(self, req, resp):
        resp.status = falcon.HTTP_302
        resp.set_header("Location", req.get_param("u"))  # BST210
        resp.set_header("Cache-Control", req.get_param("u"))
'''


def test_a_location_set_by_name_is_a_redirect():
    assert_marked(FLASK)


def test_a_pyramid_responses_location_is_a_redirect():
    assert_marked(PYRAMID)


def test_a_handlers_location_header_is_a_redirect():
    assert_marked(TORNADO_BOTTLE_FALCON)
