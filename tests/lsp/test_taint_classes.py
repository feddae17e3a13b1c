"""Taint findings through classes in the editor (real server): an object built by a subclass
whose base's `__init__` stores the request data through `super().__init__`, an object given
it by a setter before the sink method, and Pyramid class-based views reading
`self.request`. Each follows an edit of the code that fills the field."""

from __future__ import annotations

from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, open_document

INHERITED = """import requests
from flask import Flask, request

app = Flask(__name__)


class Client:
    def __init__(self, base_url):
        self.base_url = base_url


class StatusClient(Client):
    def __init__(self, base_url):
        super().__init__(base_url)

    def status(self):
        return requests.get(self.base_url, timeout=5)


class Mirror(StatusClient):
    pass


@app.route("/status")
def status():
    return Mirror(request.args["url"]).status().text
"""


async def test_a_field_stored_by_the_base_init_reports_at_the_base_method_sink(client):
    """`Mirror` has no `__init__`, its base's forwards to its own base's: the sink in the base's
    method reports, with the path from the view through the constructor; a constant field in the
    first base clears it, and undoing that brings it back (the edited `__init__` is two classes
    away from the view)."""
    uri = (client.workspace / "clients.py").as_uri()
    open_document(client, uri, INHERITED)
    [ssrf] = [d for d in await diagnostics_for(client, uri, 1) if d.code == "BST213"]
    assert ssrf.range.start == types.Position(16, 15)
    steps = [(r.location.range.start.line, r.message) for r in ssrf.related_information]
    # steps on one line are one entry (numbered as the steps are)
    assert steps == [(25, "1. Request data: `request.args`; 2. passed to `Mirror`; "
                          "3. passed to `Mirror(request.args['url']).status`"),
                     (16, "4. reaches `requests.get`")]
    change_document(client, uri, 2, (8, 24), (8, 32), '"https://api.example.com/"')
    assert "BST213" not in codes(await diagnostics_for(client, uri, 2))
    change_document(client, uri, 3, (8, 24), (8, 50), "base_url")
    assert "BST213" in codes(await diagnostics_for(client, uri, 3))


CONFIGURED = """import requests
from flask import Flask, request

app = Flask(__name__)


class Fetcher:
    def configure(self, url):
        self.url = url

    def fetch(self):
        return requests.get(self.url, timeout=5)


@app.route("/fetch")
def fetch():
    fetcher = Fetcher()
    fetcher.configure(request.args["url"])
    return fetcher.fetch().text
"""


async def test_a_field_given_by_a_setter_reports_at_the_method_sink(client):
    uri = (client.workspace / "fetchers.py").as_uri()
    open_document(client, uri, CONFIGURED)
    [ssrf] = [d for d in await diagnostics_for(client, uri, 1) if d.code == "BST213"]
    assert ssrf.range.start == types.Position(11, 15)
    steps = [(r.location.range.start.line, r.message) for r in ssrf.related_information]
    assert steps == [(17, "1. Request data: `request.args`; 2. passed to `fetcher.configure`"),
                     (18, "3. passed to `fetcher.fetch`"), (11, "4. reaches `requests.get`")]
    # the view sets a constant URL after the request's: silent
    change_document(client, uri, 2, (18, 0), (18, 0),
                    '    fetcher.configure("https://api.example.com/")\n')
    assert "BST213" not in codes(await diagnostics_for(client, uri, 2))


PYRAMID = """from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config, view_defaults


@view_defaults(route_name="login")
class LoginViews:
    def __init__(self, request):
        self.request = request

    @view_config(request_method="POST")
    def login(self):
        target = self.request.params.get("next", "/")
        return HTTPFound(location=target)
"""


async def test_a_pyramid_class_view_reads_the_request_it_was_built_with(client):
    """`self.request.params` in a method of a `@view_defaults` class is request data; the
    finding goes when the class is no view (its decorator removed) and comes back with it."""
    uri = (client.workspace / "views.py").as_uri()
    open_document(client, uri, PYRAMID)
    [redirect] = [d for d in await diagnostics_for(client, uri, 1) if d.code == "BST210"]
    assert redirect.message == ("Request data (`self.request.params`, line 12) reaches "
                                "`HTTPFound`: open redirect")
    assert redirect.range.start == types.Position(12, 15)
    steps = [(r.location.range.start.line, r.message) for r in redirect.related_information]
    assert steps == [(11, "1. Request data: `self.request.params`; 2. assigned to `target`"),
                     (12, "3. reaches `HTTPFound`")]
    change_document(client, uri, 2, (4, 0), (5, 0), "")
    change_document(client, uri, 3, (8, 0), (9, 0), "")
    assert "BST210" not in codes(await diagnostics_for(client, uri, 3))
    change_document(client, uri, 4, (4, 0), (4, 0), '@view_defaults(route_name="login")\n')
    assert "BST210" in codes(await diagnostics_for(client, uri, 4))
