"""Taint analysis: aiohttp handlers as its documentation organizes them beyond plain functions:
methods of an instance of a class of the module (`handler = Handler()`, `web.get("/intro",
handler.handle_intro)`, "Organizing Handlers in Classes"). Each vulnerable line is marked beside
its safe twin (basename, plain text)."""

from __future__ import annotations

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

def test_methods_of_a_module_instance_registered_as_handlers():
    expected, found = marked_and_found(HANDLER_CLASS)
    assert expected
    assert found == expected

