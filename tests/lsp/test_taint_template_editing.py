"""Templates in the editor (the real server, both client profiles): a template open with unsaved
edits is read as the editor holds it, and the open views rendering it are analysed again at
each edit (and at its close, when the disk copy is read again); a Django settings module edited
on disk, or in the editor and not saved, moves where the open views' templates are found."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from .conftest import change_document, diagnostics_for, is_pull, open_document
from .test_taint_workspace import hello_and_view, until

DJANGO_VIEW = ("from django.shortcuts import render\n"
               "def post(request):\n"
               "    return render(request, 'post.html', {'body': request.POST['body']})\n")


FLASK_VIEW = ("from flask import Flask, render_template, request\napp = Flask(__name__)\n\n\n"
              "@app.route('/h')\ndef h():\n"
              "    return render_template('hello.html', name=request.args['n'])\n")


def _xss(diags) -> list:
    return [d for d in diags if d.code == "BST203"]


def _settings(folder: str) -> str:
    return ("from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
            f"TEMPLATES = [{{'DIRS': [BASE_DIR / {folder!r}], 'APP_DIRS': True}}]\n")


async def _django_project(client) -> tuple[str, Path]:
    """A project whose settings name the folder of an escaping post.html, its view open and
    analysed: (the view's URI, the settings module)."""
    workspace = client.workspace
    for name, text in {"manage.py": "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
                       "site/settings.py": _settings("escaped"), "escaped/post.html": "{{ body }}\n",
                       "raw/post.html": "{{ body|safe }}\n"}.items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text, encoding="utf-8")
    views = (workspace / "blog" / "views.py").as_uri()
    open_document(client, views, DJANGO_VIEW)
    assert not _xss(await diagnostics_for(client, views, 1))
    return views, workspace / "site" / "settings.py"


async def test_a_settings_module_edited_on_disk_moves_where_templates_are_found(client):
    views, settings = await _django_project(client)
    settings.write_text(_settings("raw"), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=settings.as_uri(), type=types.FileChangeType.Changed)]))
    [finding] = _xss(await until(client, views, 1, _xss))
    assert "the template `post.html`, which prints it unescaped" in finding.message


async def test_a_settings_module_edited_and_not_saved_moves_where_templates_are_found(client):
    """An open settings.py is read as the editor holds it: its unsaved edit of `DIRS` moves the
    open view's template to the folder it names; at its close, the disk copy is read again."""
    views, settings = await _django_project(client)
    open_document(client, settings.as_uri(), _settings("escaped"))
    change_document(client, settings.as_uri(), 2, (0, 0), (3, 0), _settings("raw"))
    [finding] = _xss(await until(client, views, 1, _xss))
    assert "the template `post.html`, which prints it unescaped" in finding.message
    assert settings.read_text(encoding="utf-8") == _settings("escaped")  # never saved
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=settings.as_uri())))
    await until(client, views, 1, lambda diags: not _xss(diags))


async def test_a_template_edited_and_not_saved_is_what_the_open_views_render(client):
    hello, views = hello_and_view(client)
    assert not _xss(await diagnostics_for(client, views, 1))
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=hello.as_uri(), language_id="html", version=1, text=hello.read_text(encoding="utf-8"))))
    change_document(client, hello.as_uri(), 2, (0, 17), (0, 17), "|safe")  # {{ name|safe }}
    [finding] = _xss(await until(client, views, 1, _xss))
    assert "the template `hello.html`, which prints it unescaped" in finding.message
    assert hello.read_text(encoding="utf-8") == "<h1>Hello {{ name }}</h1>\n"  # never saved
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=hello.as_uri())))
    await until(client, views, 1, lambda diags: not _xss(diags))


async def test_a_template_changed_on_disk_refreshes_the_scan_result_of_a_closed_view(client):
    """The view is not open: its workspace-scan result, reused while its text is unchanged, is
    computed again when the template it renders changes on disk."""
    hello = client.workspace / "templates" / "hello.html"
    hello.parent.mkdir()
    hello.write_text("<h1>Hello {{ name }}</h1>\n", encoding="utf-8")
    views = client.workspace / "views.py"
    views.write_text(FLASK_VIEW, encoding="utf-8")

    async def scanned(previous: list) -> list:
        if is_pull(client):
            report = await asyncio.wait_for(client.workspace_diagnostic_async(
                types.WorkspaceDiagnosticParams(previous_result_ids=previous)), 60)
            return [i for i in report.items if i.uri == views.as_uri()]
        await asyncio.wait_for(client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="bastion.scanWorkspace")), 60)
        return []

    [first] = await scanned([]) or [None]
    previous = [types.PreviousResultId(uri=first.uri, value=first.result_id)] if first else []
    assert not _xss(first.items if first else client.diagnostics[views.as_uri()])
    hello.write_text("<h1>Hello {{ name|safe }}</h1>\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=hello.as_uri(), type=types.FileChangeType.Changed)]))
    if is_pull(client):
        [again] = await scanned(previous)
        assert again.kind == "full" and _xss(again.items)
    else:
        async def published():
            while not _xss(client.diagnostics.get(views.as_uri(), [])):
                await asyncio.sleep(0.05)
        await asyncio.wait_for(published(), 20)
