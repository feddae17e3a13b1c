"""Taint analysis on a realistic Falcon app: a responder's `resp` (untyped, as Falcon's
documentation writes it) is the response, so a body stored into it after the responder types it
as a page (`resp.content_type = falcon.MEDIA_HTML`, a constant HTML type, or one set by name,
`resp.set_header("Content-Type", "text/html")`; `resp` typed `falcon.Response` too) is markup; Falcon
sends JSON unless told, so a body of a response left untyped, or typed as text, is not.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'pages.py': r'''import html
import json

import falcon
from falcon import MEDIA_HTML


class Greeting:
    def on_get(self, req, resp):
        name = req.get_param("name") or "world"
        resp.content_type = falcon.MEDIA_HTML
        resp.text = f"<h1>Hello {name}</h1>"  # BST203

    def on_get_escaped(self, req, resp):
        name = req.get_param("name") or "world"
        resp.content_type = falcon.MEDIA_HTML
        resp.text = f"<h1>Hello {html.escape(name)}</h1>"

    def on_get_json(self, req, resp):
        name = req.get_param("name") or "world"
        resp.text = json.dumps({"hello": name})

    def on_get_plain(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "Hello " + req.get_param("name", default="world")


class Profile:
    def on_post(self, req, resp, user_id):
        bio = req.get_media().get("bio", "")
        resp.content_type = MEDIA_HTML
        resp.data = f"<section id='{user_id}'>{bio}</section>".encode()  # BST203

    def on_put(self, req, resp, user_id):
        resp.content_type = "text/html; charset=utf-8"
        resp.text = "<p>" + req.get_header("X-Note", default="") + "</p>"  # BST203


app = falcon.App()
app.add_route("/hello", Greeting())
app.add_route("/hello/escaped", Greeting(), suffix="escaped")
app.add_route("/users/{user_id}", Profile())
''',
    'headers.py': r'''import falcon


class Report:
    def on_get(self, req, resp):
        data = req.get_param("title", default="")
        resp.set_header("Content-Type", "text/html")
        resp.text = data  # BST203

    def on_get_typed(self, req: falcon.Request, resp: falcon.Response):
        resp.set_header("content-type", "text/html; charset=utf-8")
        resp.text = "<h1>" + req.get_param("title", default="") + "</h1>"  # BST203

    def on_get_annotated(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_HTML
        resp.text = req.get_param("title", default="")  # BST203

    def on_get_csv(self, req, resp):
        resp.set_header("Content-Type", "text/csv")
        resp.text = req.get_param("title", default="")

    def on_get_framed(self, req, resp):
        resp.set_header("X-Note", "text/html")
        resp.text = req.get_param("title", default="")


app = falcon.App()
app.add_route("/report", Report())
app.add_route("/report/typed", Report(), suffix="typed")
app.add_route("/report/annotated", Report(), suffix="annotated")
app.add_route("/report/csv", Report(), suffix="csv")
app.add_route("/report/framed", Report(), suffix="framed")
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
