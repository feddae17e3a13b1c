"""Taint analysis: aiohttp handlers as its documentation organizes them beyond plain functions:
methods of an instance of a class of the module (`handler = Handler()`, `web.get("/intro",
handler.handle_intro)`, "Organizing Handlers in Classes"), also where an application factory
makes the instance and the routes (`def main(): handler = Handler(); app.add_routes(...)`); and
the responses a handler fills after building them, a page only when it types them so
(`resp.content_type = "text/html"`): a `StreamResponse` written to (`await resp.write(chunk)`,
sent as application/octet-stream unless typed), a `Response` whose `text` or `body` is set
(text/plain unless typed). Each vulnerable line is marked beside its safe twin (basename, plain
text, escaped)."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found

HANDLER_CLASS = '''\
import os
from aiohttp import web


class Handler:
    def __init__(self, root):
        self.root = root

    async def handle_intro(self, request):
        return web.Response(text="Hello, world")

    async def handle_file(self, request):
        name = request.match_info.get("name", "index.txt")
        web.FileResponse(os.path.join(self.root, os.path.basename(name)))
        return web.FileResponse(os.path.join(self.root, name))  # BST201

    async def handle_greeting(self, request):
        name = request.match_info.get("name", "Anonymous")
        web.Response(text="<p>Hello, {}</p>".format(name))
        return web.Response(text="<p>Hello, {}</p>".format(name), content_type="text/html")  # BST203


handler = Handler("/srv/files")
app = web.Application()
app.add_routes([web.get("/intro", handler.handle_intro),
                web.get("/files/{name}", handler.handle_file)])
app.router.add_get("/greet/{name}", handler.handle_greeting)
'''

FACTORY = '''\
import os
from aiohttp import web


class Files:
    async def read(self, request):
        with open("/srv/" + request.match_info["name"]) as fh:  # BST201
            return web.Response(text=fh.read())

    async def read_base(self, request):
        with open("/srv/" + os.path.basename(request.match_info["name"])) as fh:
            return web.Response(text=fh.read())


def main():
    files = Files()
    app = web.Application()
    app.add_routes([web.get("/read/{name}", files.read), web.get("/base/{name}", files.read_base)])
    web.run_app(app)
'''

STREAMED = '''\
import html
from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/page")
async def page(request):
    name = request.query.get("name", "")
    resp = web.StreamResponse()
    resp.content_type = "text/html"
    await resp.prepare(request)
    await resp.write(f"<h1>{html.escape(name)}</h1>".encode())
    await resp.write(f"<h1>{name}</h1>".encode())  # BST203
    return resp


@routes.get("/log")
async def log(request):
    name = request.query.get("name", "")
    resp = web.StreamResponse(status=200, reason="OK", headers={"Content-Type": "text/plain"})
    await resp.prepare(request)
    await resp.write(f"<h1>{name}</h1>".encode())
    return resp


@routes.get("/raw")
async def raw(request):
    resp = web.StreamResponse()
    await resp.prepare(request)
    await resp.write(request.query.get("name", "").encode())
    return resp


@routes.get("/hello")
async def hello(request):
    name = request.query.get("name", "")
    resp = web.Response()
    resp.content_type = "text/html"
    resp.text = "<p>" + html.escape(name) + "</p>"
    resp.text = "<p>" + name + "</p>"  # BST203
    return resp


@routes.get("/plain")
async def plain(request):
    resp = web.Response()
    resp.text = "<p>" + request.query.get("name", "") + "</p>"
    return resp
'''


@pytest.mark.parametrize("app", [HANDLER_CLASS, FACTORY], ids=["module_instance", "factory_instance"])
def test_methods_of_an_instance_registered_as_handlers(app):
    expected, found = marked_and_found(app)
    assert expected
    assert found == expected


def test_filled_responses_are_pages_only_when_typed_so():
    expected, found = marked_and_found(STREAMED)
    assert expected
    assert found == expected
