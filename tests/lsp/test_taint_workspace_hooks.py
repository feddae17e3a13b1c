"""Flask's `g` filled by a hook of a module the open view's module does not import (the real
server, both client profiles): the hooks module, open and edited without saving, makes the
request data it stores reach the view's sink once the background has computed it again; at its
close, the disk copy (a constant) is read again."""

from __future__ import annotations

from lsprotocol import types

from .conftest import change_document, diagnostics_for, open_document
from .test_taint_workspace import until

APP = """from flask import Flask

app = Flask(__name__)

from shop import hooks, views  # noqa: E402,F401
"""
HOOKS = """from flask import g, request

from shop import app


@app.before_request
def remember_folder():
    g.user_dir = {value}
"""
VIEWS = """import os

from flask import g, send_file

from shop import app


@app.route("/report")
def report():
    return send_file(os.path.join("/srv/reports", g.user_dir))
"""


def _path(diags) -> list:
    return [d for d in diags if d.code == "BST201"]


async def test_an_unsaved_hook_fills_g_for_a_view_of_another_module(client):
    package = client.workspace / "shop"
    package.mkdir()
    saved = HOOKS.format(value='"reports"')
    for name, text in {"__init__.py": APP, "hooks.py": saved, "views.py": VIEWS}.items():
        (package / name).write_text(text, encoding="utf-8")
    views, hooks = (package / "views.py").as_uri(), (package / "hooks.py").as_uri()
    open_document(client, views, VIEWS)
    assert not _path(await diagnostics_for(client, views, 1))
    open_document(client, hooks, saved)
    change_document(client, hooks, 2, (7, 17), (7, 26), 'request.args.get("d", "")')
    [finding] = _path(await until(client, views, 1, _path))
    assert any("request data stored in `g.user_dir` on hooks.py, line 8" in r.message
               for r in finding.related_information)
    assert (package / "hooks.py").read_text(encoding="utf-8") == saved  # never saved
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=hooks)))
    await until(client, views, 1, lambda diags: not _path(diags))
