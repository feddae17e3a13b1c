"""Taint findings in the editor: the path in `relatedInformation`, and findings that follow edits
of the function holding the sink and of a helper it calls (both client profiles)."""

from __future__ import annotations

from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, open_document

APP = """from flask import Flask, request

app = Flask(__name__)


def read(name):
    return open(name).read()


@app.route("/download")
def download():
    name = request.args.get("name", "")
    return read(name)
"""


async def test_taint_finding_carries_its_path(client):
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, APP)
    diags = await diagnostics_for(client, uri, 1)
    [taint] = [d for d in diags if d.code == "BST201"]
    assert taint.message == ("Request data (`request.args`, line 12) reaches `open` (through "
                             "`read`, called line 13): path traversal")
    assert taint.range.start == types.Position(6, 11)
    assert taint.data["cwe"] == 22
    steps = [(r.location.range.start.line, r.message) for r in taint.related_information]
    # steps on one line are one entry, numbered as the steps are
    assert steps == [(11, "1. Request data: `request.args`; 2. assigned to `name`"),
                     (12, "3. passed to `read`"), (6, "4. reaches `open`")]
    # the entry spans both: `name` (column 4) to the end of `request.args` (column 23)
    first = taint.related_information[0].location.range
    assert (first.start, first.end) == (types.Position(11, 4), types.Position(11, 23))
    assert all(r.location.uri == uri for r in taint.related_information)


async def test_taint_findings_follow_edits(client):
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, APP)
    assert "BST201" in codes(await diagnostics_for(client, uri, 1))
    # Sanitize inside the helper: the caller's finding goes, though the caller did not change.
    change_document(client, uri, 2, (6, 16), (6, 20), "os.path.basename(name)")
    change_document(client, uri, 3, (0, 0), (0, 0), "import os.path\n")
    assert "BST201" not in codes(await diagnostics_for(client, uri, 3))
    # Undo the sanitizer (the helper's summary changes back): the finding returns.
    change_document(client, uri, 4, (7, 16), (7, 38), "name")
    assert "BST201" in codes(await diagnostics_for(client, uri, 4))


OBJECTS = """import requests
from flask import Flask, request

app = Flask(__name__)


class Fetcher:
    def __init__(self, url):
        self.url = url

    def fetch(self):
        return requests.get(self.url, timeout=5)


@app.route("/proxy")
def proxy():
    fetcher = Fetcher(request.args["url"])
    return fetcher.fetch().text
"""


async def test_an_object_built_with_request_data_reports_at_its_method_sink(client):
    """The constructor's argument is stored on `self` and used by a later method, where the
    finding is; fixing the constructor alone (a constant field) clears it, undoing it brings it
    back."""
    uri = (client.workspace / "objects.py").as_uri()
    open_document(client, uri, OBJECTS)
    [ssrf] = [d for d in await diagnostics_for(client, uri, 1) if d.code == "BST213"]
    assert ssrf.range.start == types.Position(11, 15)
    steps = [(r.location.range.start.line, r.message) for r in ssrf.related_information]
    assert steps == [(16, "1. Request data: `request.args`; 2. passed to `Fetcher`"),
                     (17, "3. passed to `fetcher.fetch`"), (11, "4. reaches `requests.get`")]
    change_document(client, uri, 2, (8, 19), (8, 22), '"https://api.example.com/"')
    assert "BST213" not in codes(await diagnostics_for(client, uri, 2))
    change_document(client, uri, 3, (8, 19), (8, 45), "url")
    assert "BST213" in codes(await diagnostics_for(client, uri, 3))


TORNADO = """import tornado.web


class BaseHandler(tornado.web.RequestHandler):
    def next_url(self):
        return self.get_argument("next", "/")


class LoginHandler(BaseHandler):
    def post(self):
        self.redirect(self.next_url())
"""


async def test_a_tornado_handler_reports_with_its_path(client):
    """A handler of a base handler of the same file: `self.get_argument` in a helper method
    reaches `self.redirect`; a constant target clears it."""
    uri = (client.workspace / "handlers.py").as_uri()
    open_document(client, uri, TORNADO)
    [redirect] = [d for d in await diagnostics_for(client, uri, 1) if d.code == "BST210"]
    assert redirect.message == ("Request data (`self.get_argument('next', '/')`, line 6) reaches "
                                "`self.redirect`: open redirect")
    assert redirect.range.start == types.Position(10, 8)
    steps = [(r.location.range.start.line, r.message) for r in redirect.related_information]
    assert steps[0][0] == 5 and steps[0][1].startswith("1. Request data")
    assert steps[-1] == (10, f"{len(steps)}. reaches `self.redirect`")
    change_document(client, uri, 2, (5, 15), (5, 45), '"/"')
    assert "BST210" not in codes(await diagnostics_for(client, uri, 2))


FACTORY = """import subprocess

from flask import Flask, request


def create_app():
    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        host = request.args["host"]
        return subprocess.check_output("ping -c 1 " + host, shell=True)

    return app
"""


async def test_a_view_inside_an_application_factory_is_analysed(client):
    """Flask's application factory defines its views inside a function: the taint finding is
    there, and goes when the value is made constant."""
    uri = (client.workspace / "factory.py").as_uri()
    open_document(client, uri, FACTORY)
    [finding] = [d for d in await diagnostics_for(client, uri, 1) if d.code == "BST202"]
    assert finding.range.start.line == 11
    change_document(client, uri, 2, (10, 15), (10, 35), '"localhost"')
    assert "BST202" not in codes(await diagnostics_for(client, uri, 2))


REGISTERED = """from flask import Flask

app = Flask(__name__)


def hello(name):
    return "<h1>Hello " + name + "</h1>"


app.add_url_rule("/hello/<int:name>", view_func=hello)
"""


async def test_a_view_registered_by_a_call_follows_its_rule(client):
    """`app.add_url_rule` makes the function a view: its rule says which parameters hold URL
    text. Editing only the registration line changes the finding."""
    uri = (client.workspace / "registered.py").as_uri()
    open_document(client, uri, REGISTERED)
    assert "BST203" not in codes(await diagnostics_for(client, uri, 1))
    change_document(client, uri, 2, (9, 26), (9, 30), "")  # `<int:name>` becomes `<name>`
    [finding] = [d for d in await diagnostics_for(client, uri, 2) if d.code == "BST203"]
    assert finding.range.start.line == 6
    change_document(client, uri, 3, (9, 0), (10, 0), "")
    assert "BST203" not in codes(await diagnostics_for(client, uri, 3))


async def test_a_template_file_printing_request_data_unescaped_is_a_step_in_that_file(client):
    """The template beside the module (Flask's `templates/`) is read from the workspace: the
    finding is at the render, its print a related location in the template."""
    templates = client.workspace / "templates"
    templates.mkdir()
    (templates / "hello.html").write_text("<h1>Hello {{ name|safe }}</h1>\n", encoding="utf-8")
    uri = (client.workspace / "views.py").as_uri()
    open_document(client, uri, "from flask import Flask, render_template, request\n"
                               "app = Flask(__name__)\n\n\n@app.route('/h')\ndef h():\n"
                               "    return render_template('hello.html', name=request.args['n'])\n")
    [taint] = [d for d in await diagnostics_for(client, uri, 1) if d.code == "BST203"]
    assert "the template `hello.html`, which prints it unescaped" in taint.message
    assert taint.range.start == types.Position(6, 11)
    [printed] = [r for r in taint.related_information if r.location.uri != uri]
    assert printed.location.uri == (templates / "hello.html").as_uri()
    assert printed.location.range.start == types.Position(0, 10)
    assert "printed unescaped: `{{ name|safe }}`" in printed.message
