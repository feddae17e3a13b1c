"""Workspace summaries in the editor (the real server, both client profiles): a view calling a
helper of another workspace module gets the finding once the helper's summary is computed in
the background, with the path's last step in the helper's file; editing the helper module
changes the importing document's diagnostics."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from lsprotocol import types

from .conftest import change_document, diagnostics_for, is_pull, open_document

DB = """import sqlite3


def run_query(sql):
    cursor = sqlite3.connect("shop.db").cursor()
    cursor.execute(sql)
    return cursor.fetchall()
"""
VIEWS = """from flask import Flask, jsonify, request

from shop.db import run_query

app = Flask(__name__)


@app.route("/search")
def search():
    name = request.args["name"]
    return jsonify(run_query("SELECT id FROM items WHERE name = '" + name + "'"))
"""


async def until(client, uri: str, version: int, wanted, timeout: float = 20.0):
    """The document's diagnostics once `wanted(diagnostics)` holds (they follow background
    work: pushed again, or pulled again after a refresh)."""
    async def poll():
        while True:
            if is_pull(client):
                diags = await diagnostics_for(client, uri, version)
            else:
                diags = client.diagnostics.get(uri) if client.versions.get(uri) == version else None
            if diags is not None and wanted(diags):
                return diags
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(poll(), timeout)


def shop_and_views(workspace: Path) -> tuple[Path, Path]:
    """The `shop` package with its `db` helper, and `views.py` beside it calling the helper."""
    package = workspace / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "db.py").write_text(DB)
    views = workspace / "views.py"
    views.write_text(VIEWS)
    return package, views


def sql(diags):
    return [d for d in diags if d.code == "BST204"]


async def test_editing_the_helper_module_changes_the_importer(client):
    package = client.workspace / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "db.py").write_text(DB)
    (package / "views.py").write_text(VIEWS)
    views, db = (package / "views.py").as_uri(), (package / "db.py").as_uri()

    open_document(client, views, VIEWS)
    [finding] = sql(await until(client, views, 1, sql))
    assert finding.range.start == types.Position(10, 19)
    assert finding.message == ("Request data (`request.args`, line 10) reaches `cursor.execute` "
                               "(db.py line 6, through `run_query`): SQL injection")
    last = finding.related_information[-1]
    assert last.location.uri == db
    assert last.location.range.start == types.Position(5, 4)
    assert last.message.endswith("reaches `cursor.execute`")
    assert finding.data["confidence"] == "high"

    # The helper is opened and made safe: the view's finding goes, the view untouched.
    open_document(client, db, DB)
    change_document(client, db, 2, (5, 19), (5, 22), '"SELECT 1 WHERE ? = 1", (sql,)')
    await until(client, views, 1, lambda diags: not sql(diags))

    # Made unsafe again: the finding comes back.
    change_document(client, db, 3, (5, 19), (5, 49), "sql")
    [back] = sql(await until(client, views, 1, sql))
    assert back.related_information[-1].location.uri == db


SAFE_DB = DB.replace("cursor.execute(sql)", 'cursor.execute("SELECT 1 WHERE ? = 1", (sql,))')


async def test_a_helper_changed_on_disk_changes_the_importer(client):
    """The helper module is never opened: a checkout or another tool rewrites it, and the
    client's file event (the server registers a watcher for `**/*.py`) is what tells."""
    package = client.workspace / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    db = package / "db.py"
    db.write_text(DB)
    (package / "views.py").write_text(VIEWS)
    views = (package / "views.py").as_uri()

    def changed():
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=db.as_uri(), type=types.FileChangeType.Changed)]))

    open_document(client, views, VIEWS)
    await until(client, views, 1, sql)
    db.write_text(SAFE_DB)
    changed()
    await until(client, views, 1, lambda diags: not sql(diags))
    db.write_text(DB)
    changed()
    [back] = sql(await until(client, views, 1, sql))
    assert back.related_information[-1].location.uri == db.as_uri()


async def test_a_helpers_folder_deleted_on_disk_changes_the_importer(client):
    """A deleted folder is one file event, for the folder: the summaries of the modules that
    were in it go too, and the view no longer reaches the helper's sink."""
    package, views = shop_and_views(client.workspace)
    open_document(client, views.as_uri(), VIEWS)
    await until(client, views.as_uri(), 1, sql)
    shutil.rmtree(package)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=package.as_uri(), type=types.FileChangeType.Deleted)]))
    await until(client, views.as_uri(), 1, lambda diags: not sql(diags))


async def test_a_helper_module_created_on_disk_is_followed(client):
    """The view imports a module that does not exist yet (a checkout, a file added by another
    tool): once it is created, its file event resolves the import, and the finding comes."""
    package, views = shop_and_views(client.workspace)
    db = package / "db.py"
    db.unlink()
    open_document(client, views.as_uri(), VIEWS)
    await until(client, views.as_uri(), 1, lambda diags: True)
    await asyncio.sleep(1.0)  # the summaries computed without it: the import resolved to nothing
    assert not sql(await diagnostics_for(client, views.as_uri(), 1))
    db.write_text(DB)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=db.as_uri(), type=types.FileChangeType.Created)]))
    await until(client, views.as_uri(), 1, sql)


async def test_the_workspace_scan_uses_the_summaries(vscode):
    """Unopened files, enough of them for worker processes, and one analysed in the server
    after the scan (a saved file scanned again)."""
    client = vscode
    package = client.workspace / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "db.py").write_text(DB)
    for n in range(30):
        (package / f"views_{n}.py").write_text(VIEWS)
    await asyncio.wait_for(client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="bastion.scanWorkspace")), 120)
    db = (package / "db.py").as_uri()
    for n in range(30):
        found = sql(client.diagnostics.get((package / f"views_{n}.py").as_uri(), []))
        assert [d.range.start for d in found] == [types.Position(10, 19)], n
        assert found[0].related_information[-1].location.uri == db


LONG_DB = DB.replace("    cursor.execute(sql)", "    query = sql.strip()\n    cursor.execute(query)")
LONG_VIEWS = VIEWS.replace(
    '''    return jsonify(run_query("SELECT id FROM items WHERE name = '" + name + "'"))''',
    '''    text = name.strip()
    sql = "SELECT id FROM items WHERE name = '" + text + "'"
    return jsonify(run_query(sql))''')


async def test_a_long_path_into_a_helper_names_the_files_it_merged(client):
    """Steps on three lines of the view and one of the helper's between the source and the
    sink: the one related entry for them names the helper's file and line too."""
    package = client.workspace / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "db.py").write_text(LONG_DB)
    (package / "views.py").write_text(LONG_VIEWS)
    views = (package / "views.py").as_uri()
    open_document(client, views, LONG_VIEWS)
    [finding] = sql(await until(client, views, 1, sql))
    assert [(r.location.uri, r.location.range.start.line, r.message)
            for r in finding.related_information] == [
        (views, 9, "1. Request data: `request.args`"),
        (views, 9, "steps 2\u20136 on lines 10\u201313, db.py line 6 \u2026"),
        ((package / "db.py").as_uri(), 6, "7. reaches `cursor.execute`")]


def hello_and_view(client) -> tuple[Path, str]:
    """`templates/hello.html` printing `name` escaped, and the open Flask view rendering it
    with request data (its uri)."""
    hello = client.workspace / "templates" / "hello.html"
    hello.parent.mkdir()
    hello.write_text("<h1>Hello {{ name }}</h1>\n", encoding="utf-8")
    views = (client.workspace / "views.py").as_uri()
    open_document(client, views, "from flask import Flask, render_template, request\n"
                                 "app = Flask(__name__)\n\n\n@app.route('/h')\ndef h():\n"
                                 "    return render_template('hello.html', name=request.args['n'])\n")
    return hello, views


async def test_a_template_file_changed_on_disk_analyses_the_views_rendering_it_again(client):
    """The view's text does not change; the template it renders does (saved in the editor, a
    checkout): the file event (the server watches template extensions) brings the finding,
    and takes it away again when the template escapes once more."""
    hello, views = hello_and_view(client)
    templates = hello.parent
    await until(client, views, 1, lambda diags: True)

    def xss(diags):
        return [d for d in diags if d.code == "BST203"]

    def changed(template=hello):
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=template.as_uri(), type=types.FileChangeType.Changed)]))

    assert not xss(await diagnostics_for(client, views, 1))
    hello.write_text("<h1>Hello {{ name|safe }}</h1>\n", encoding="utf-8")
    changed()
    [finding] = xss(await until(client, views, 1, xss))
    assert "the template `hello.html`, which prints it unescaped" in finding.message
    hello.write_text("<h1>Hello {{ name }}</h1>\n", encoding="utf-8")
    changed()
    await until(client, views, 1, lambda diags: not xss(diags))
    # a template the rendered one includes, which the module does not name
    row = templates / "row.html"
    row.write_text("<td>{{ name }}</td>\n", encoding="utf-8")
    hello.write_text("<h1>Hello</h1>{% include 'row.html' %}\n", encoding="utf-8")
    changed()
    await asyncio.sleep(1.0)  # that analysis done: only the event for row.html can bring it
    row.write_text("<td>{{ name|safe }}</td>\n", encoding="utf-8")
    changed(row)
    await until(client, views, 1, xss)
