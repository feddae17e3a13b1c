"""lxml's default parser in the editor (the real server, both client profiles): whether
`etree.fromstring(request.data)` is an XXE sink follows the lxml version the workspace's
requirements or lock file declares, and an open view is analysed again when that file changes
on disk (taint/declared_versions.py)."""

from __future__ import annotations

from lsprotocol import types

from .conftest import diagnostics_for, open_document
from .test_taint_workspace import until

VIEW = ("from flask import Flask, request\nfrom lxml import etree\napp = Flask(__name__)\n\n\n"
        "@app.post('/import')\ndef import_items():\n"
        "    return {'tag': etree.fromstring(request.get_data()).tag}\n")


def _xxe(diags) -> list:
    return [d for d in diags if d.code == "BST211"]


async def test_a_manifest_changed_on_disk_decides_the_default_parser(client):
    workspace = client.workspace
    requirements = workspace / "requirements.txt"
    requirements.write_text("flask==3.0.3\nlxml==5.2.0\n", encoding="utf-8")
    views = workspace / "views.py"
    views.write_text(VIEW, encoding="utf-8")
    open_document(client, views.as_uri(), VIEW)
    assert not _xxe(await diagnostics_for(client, views.as_uri(), 1))
    for name, text in (("requirements.txt", "flask==3.0.3\nlxml==4.9.1\n"),
                       ("uv.lock", '[[package]]\nname = "lxml"\nversion = "5.3.0"\n')):
        (workspace / name).write_text(text, encoding="utf-8")
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=(workspace / name).as_uri(), type=types.FileChangeType.Changed)]))
        if name == "requirements.txt":
            [finding] = _xxe(await until(client, views.as_uri(), 1, _xxe))
            assert "lxml==4.9.1 in requirements.txt" in finding.message
        else:  # the lock's entry decides over the requirements file's pin
            await until(client, views.as_uri(), 1, lambda diags: not _xxe(diags))


async def test_a_manifest_change_recomputes_the_summary_of_a_helper_not_open(client):
    workspace = client.workspace
    requirements = workspace / "requirements.txt"
    requirements.write_text("lxml==4.9.1\n", encoding="utf-8")
    (workspace / "xmlutil.py").write_text(
        "from lxml import etree\n\n\ndef load(data):\n    return etree.fromstring(data)\n", encoding="utf-8")
    view = ("from flask import Flask, request\nfrom xmlutil import load\napp = Flask(__name__)\n\n\n"
            "@app.post('/import')\ndef import_items():\n    return {'tag': load(request.get_data()).tag}\n")
    views = workspace / "views.py"
    views.write_text(view, encoding="utf-8")
    open_document(client, views.as_uri(), view)
    await until(client, views.as_uri(), 1, _xxe)
    requirements.write_text("lxml==5.2.0\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=requirements.as_uri(), type=types.FileChangeType.Changed)]))
    await until(client, views.as_uri(), 1, lambda diags: not _xxe(diags))
