"""Workspace folders added or removed after `initialize` (workspace/didChangeWorkspaceFolders),
with the real server and both client profiles: a folder added later is where a requirements
file's includes are read and where imports of workspace modules resolve (its modules' taint
summaries are used); once removed, it is neither. The open documents get new diagnostics for
the same version, without being edited."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .conftest import codes, diagnostics_for, is_pull, on_publish, open_document
from .test_taint_workspace import DB, VIEWS, shop_and_views, sql, until
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


async def test_a_folder_change_keeps_the_other_folders_summaries(client):
    """The summaries of modules under the folders that remain are kept across a change: a view
    whose finding goes through a module of its own folder shows it in every result after a
    folder is removed or added, not only once the background has computed the summaries again
    (before, every summary was dropped and the first result after the change lacked it)."""
    extra = client.workspace.parent / "extra"
    extra.mkdir()
    (extra / "tools.py").write_text("def noop():\n    return None\n")
    _, views = shop_and_views(client.workspace)
    uri = views.as_uri()
    _folders(client, added=[extra])
    open_document(client, uri, VIEWS)
    await until(client, uri, 1, sql)

    for change in ({"removed": [extra]}, {"added": [extra]}):
        results = await _results_after(client, uri, lambda change=change: _folders(client, **change))
        assert results and all(sql(diags) for diags in results), (change, results)


async def _results_after(client, uri: str, change) -> list:
    """Every result the client gets for the document after `change()` until the summaries are
    computed again in the background: a pull right after it and after each of the two
    refreshes that follow (the change's, the summaries'), or the publishes that follow it (the
    change's and the summaries'; or one, when the second analysis replaced the first: then
    until two seconds pass without another)."""
    results: list = []
    if is_pull(client):
        refreshes = client.diagnostic_refresh_count
        change()

        async def pulls() -> None:
            while client.diagnostic_refresh_count < refreshes + 2:
                results.append(await diagnostics_for(client, uri, 1))
                await asyncio.sleep(0.02)
            results.append(await diagnostics_for(client, uri, 1))

        await asyncio.wait_for(pulls(), 20)
        return results
    on_publish(client, lambda params: params.uri == uri and results.append(params.diagnostics))
    change()
    try:
        await asyncio.wait_for(_published(results), 20)
    finally:
        on_publish(client, lambda params: None)
    return results


async def _published(results: list) -> None:
    """Until two results, or one and two seconds without another."""
    loop = asyncio.get_running_loop()
    count, since = 0, loop.time()
    while len(results) < 2:
        if len(results) != count:
            count, since = len(results), loop.time()
        elif count and loop.time() - since > 2:
            return
        await asyncio.sleep(0.02)
