"""Workspace folders added or removed after `initialize` (workspace/didChangeWorkspaceFolders),
with the real server and both client profiles: a folder added later is where a requirements
file's includes are read and where imports of workspace modules resolve (its modules' taint
summaries are used); once removed, it is neither. The open documents get new diagnostics for
the same version, without being edited."""

from __future__ import annotations

from lsprotocol import types

from .conftest import codes, open_document
from .test_taint_workspace import DB, VIEWS, sql, until
from .test_workspace_scan import SHELL, scan


def _folders(client, added=(), removed=()) -> None:
    client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
        event=types.WorkspaceFoldersChangeEvent(
            added=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in added],
            removed=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in removed])))


def _not_read(diags) -> bool:
    return any("'../base.txt' is outside the folder of 'requirements.txt': not read" in d.message
               for d in diags)


async def test_includes_are_read_in_a_folder_added_later(client):
    extra = client.workspace.parent / "extra"
    (extra / "app").mkdir(parents=True)
    (extra / "base.txt").write_text("django==1.11.0\n")  # BST401 in the shipped index
    uri = (extra / "app" / "requirements.txt").as_uri()
    # Outside every workspace folder: includes are read only in the document's own folder.
    open_document(client, uri, "flask==3.0.3\n-r ../base.txt\n")
    await until(client, uri, 1, _not_read)

    _folders(client, added=[extra])
    found = await until(client, uri, 1, lambda diags: codes(diags) == ["BST401"])
    assert found[0].range.start.line == 1
    assert "django 1.11.0 (pinned in base.txt:1)" in found[0].message

    _folders(client, removed=[extra])
    await until(client, uri, 1, _not_read)


async def test_taint_summaries_follow_the_folders(client):
    extra = client.workspace.parent / "extra"
    (extra / "shop").mkdir(parents=True)
    (extra / "shop" / "__init__.py").write_text("")
    (extra / "shop" / "db.py").write_text(DB)
    views = client.workspace / "views.py"
    views.write_text(VIEWS)
    open_document(client, views.as_uri(), VIEWS)
    # `shop.db` is in no workspace folder: an unknown call, no finding.
    await until(client, views.as_uri(), 1, lambda diags: not sql(diags))

    _folders(client, added=[extra])
    [finding] = sql(await until(client, views.as_uri(), 1, sql))
    assert finding.range.start == types.Position(10, 19)
    assert finding.related_information[-1].location.uri == (extra / "shop" / "db.py").as_uri()

    _folders(client, removed=[extra])
    await until(client, views.as_uri(), 1, lambda diags: not sql(diags))


async def test_the_workspace_scan_follows_the_folders(vscode):
    """A folder added is scanned with the others; once removed, its files' scan results are
    cleared from the client (a push client would otherwise keep showing them)."""
    client = vscode
    extra = client.workspace.parent / "extra"
    extra.mkdir()
    (extra / "app.py").write_text(SHELL)
    (client.workspace / "main.py").write_text(SHELL)
    app = (extra / "app.py").as_uri()

    _folders(client, added=[extra])
    assert (await scan(client))["files"] == 2
    assert codes(client.diagnostics[app]) == ["B404", "B602"]

    _folders(client, removed=[extra])
    await until(client, app, None, lambda diags: not diags)
    assert (await scan(client))["files"] == 1
