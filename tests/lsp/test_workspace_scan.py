"""Workspace scan: `bastion.scanWorkspace` (push, progress, cancel); `workspace/diagnostic`."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import SERVER, change_document, codes, diagnostics_for, on_publish, open_document

SHELL = """import subprocess


def run(cmd):
    return subprocess.call(cmd, shell=True)
"""
# Non-ASCII before the finding: its column differs between UTF-16 (VS Code) and UTF-8 (Neovim).
PREFIX = 'note = "é😀"; cfg = '
YAML = f"""import yaml

{PREFIX}yaml.load(open("c.yml"))
"""
CLEAN = "def add(a, b):\n    return a + b\n"
EXCLUDED = "import pickle\npickle.loads(data)\n"


def small_workspace(ws: Path) -> None:
    # pyproject.toml is scanned too (secrets, dependencies): four files
    (ws / "pyproject.toml").write_text('[tool.bastion]\nexclude = ["generated"]\n')
    (ws / "app.py").write_text(SHELL)
    (ws / "pkg").mkdir()
    (ws / "pkg" / "loader.py").write_text(YAML, encoding="utf-8")
    (ws / "clean.py").write_text(CLEAN)
    (ws / "generated").mkdir()
    (ws / "generated" / "bad.py").write_text(EXCLUDED)


FUNCTIONS = 25  # three findings each, plus B403 and B404 per file


def large_workspace(ws: Path, files: int = 60) -> None:
    body = "".join(f"def f{i}(cmd, data):\n    subprocess.call(cmd, shell=True)\n"
                   f"    pickle.loads(data)\n    yaml.load(data)\n\n\n" for i in range(FUNCTIONS))
    for n in range(files):
        (ws / f"mod_{n:03}.py").write_text(f"import pickle\nimport subprocess\nimport yaml\n\n"
                                           f"VALUE = {n}\n\n{body}")


async def _start(lsp_client: LanguageClient, request, profile: str, populate) -> Path:
    workspace = request.getfixturevalue("tmp_path") / "ws"
    workspace.mkdir()
    populate(workspace)  # before initialize: the server reads the folders' pyproject.toml
    lsp_client.profile = profile
    lsp_client.versions = {}
    on_publish(lsp_client, lambda params: None)
    lsp_client.registrations = []
    lsp_client.protocol.fm.features[types.CLIENT_REGISTER_CAPABILITY] = lsp_client.registrations.append
    capabilities = client_capabilities(profile)
    if profile == "neovim":
        capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
            refresh_support=True)
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities,
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")]))
    lsp_client.workspace = workspace
    return workspace


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def vscode_ws(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "visual-studio-code", small_workspace)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env={**os.environ, "BASTION_NO_CACHE": "1"}))
async def vscode_large(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "visual-studio-code", large_workspace)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def nvim_ws(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "neovim", small_workspace)
    yield
    await lsp_client.shutdown_session()


async def scan(client: LanguageClient, timeout: float = 60.0):
    return await asyncio.wait_for(client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="bastion.scanWorkspace")), timeout)


def the_token(client: LanguageClient):
    assert len(client.progress_reports) == 1, client.progress_reports
    return next(iter(client.progress_reports))


def uri(client: LanguageClient, rel: str) -> str:
    return (client.workspace / rel).as_uri()


async def test_scan_publishes_unopened_files_with_progress(vscode_ws):
    client = vscode_ws
    summary = await scan(client)
    assert summary == {"files": 4, "findings": 3, "cancelled": False}

    reports = client.progress_reports[the_token(client)]
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert reports[0].title == "Bastion: scanning workspace" and reports[0].cancellable
    assert any(isinstance(r, types.WorkDoneProgressReport) and r.message == "4/4 files"
               for r in reports)
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert reports[-1].message == "Scanned 4 files: 3 findings"

    assert codes(client.diagnostics[uri(client, "app.py")]) == ["B404", "B602"]
    assert codes(client.diagnostics[uri(client, "clean.py")]) == []
    assert codes(client.diagnostics[uri(client, "pyproject.toml")]) == []
    assert client.versions[uri(client, "app.py")] is None
    (b506,) = client.diagnostics[uri(client, "pkg/loader.py")]
    assert b506.code == "B506"
    assert b506.range.start == types.Position(2, len(PREFIX.encode("utf-16-le")) // 2)
    assert uri(client, "generated/bad.py") not in client.diagnostics


async def test_scan_keeps_live_results_of_open_files(vscode_ws):
    client = vscode_ws
    app = uri(client, "app.py")
    open_document(client, app, SHELL)
    change_document(client, app, 2, (4, 30), (4, 42), "")  # unsaved: shell=True removed
    assert codes(await diagnostics_for(client, app, 2)) == ["B404", "B603"]
    published: list[str] = []
    on_publish(client, lambda params: published.append(params.uri))
    await scan(client)
    assert app not in published
    assert codes(client.diagnostics[app]) == ["B404", "B603"] and client.versions[app] == 2


async def test_closing_a_scanned_file_shows_its_workspace_result(vscode_ws):
    client = vscode_ws
    app = uri(client, "app.py")
    open_document(client, app, SHELL.replace(", shell=True", ""))
    assert codes(await diagnostics_for(client, app, 1)) == ["B404", "B603"]
    await scan(client)
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=app)))
    await asyncio.wait_for(client.wait_for_notification(
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 10)
    assert codes(client.diagnostics[app]) == ["B404", "B602"]  # what is on disk


async def test_closing_a_file_saved_since_the_scan_analyses_it_again(vscode_ws):
    client = vscode_ws
    app = uri(client, "app.py")
    await scan(client)
    assert codes(client.diagnostics[app]) == ["B404", "B602"]
    saved = SHELL.replace("subprocess.call(cmd, shell=True)", "eval(cmd)")
    open_document(client, app, SHELL)
    assert await diagnostics_for(client, app, 1)
    (client.workspace / "app.py").write_text(saved)  # the editor saves an edit, then closes
    seen: list = []
    on_publish(client, lambda params: seen.append(codes(params.diagnostics)))
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=app)))

    async def settled():
        while len(seen) < 2:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(settled(), 5)
    assert seen == [[], ["B307", "B404"]]  # nothing stale, then the saved text's findings


@pytest.mark.parametrize("removed", ["pkg", "pkg/loader.py"])
async def test_a_deleted_folder_or_file_clears_its_files_results_at_once(vscode_ws, removed):
    """A folder deleted in the editor is one event for the folder, none for the files in it
    (vscode-languageserver-node#141). Before, a folder's scanned files kept their findings and
    were then re-read as a settings change ("skipped: ... not found"), a file kept its findings
    until the next whole scan."""
    client = vscode_ws
    loader, app = uri(client, "pkg/loader.py"), uri(client, "app.py")
    await scan(client)
    assert codes(client.diagnostics[loader]) == ["B506"]
    gone = client.workspace / removed
    shutil.rmtree(gone) if gone.is_dir() else gone.unlink()
    seen: list = []
    on_publish(client, lambda params: seen.append((params.uri, codes(params.diagnostics))))
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=gone.as_uri(), type=types.FileChangeType.Deleted)]))

    async def published():
        while not any(u == loader for u, _ in seen):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(published(), 10)
    await asyncio.sleep(1)  # anything the event starts in the background
    assert [found for u, found in seen if u == loader] == [[]]
    assert codes(client.diagnostics[app]) == ["B404", "B602"]
    # The folder's event comes only to a watcher whose pattern matches folders.
    watchers = [w for params in client.registrations for r in params.registrations
                if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
                for w in r.register_options["watchers"]]
    assert {"globPattern": "**/*", "kind": types.WatchKind.Delete} in watchers


async def test_cancel_stops_a_large_scan(vscode_large):
    client = vscode_large
    running = asyncio.ensure_future(scan(client, timeout=120))
    while not any(isinstance(r, types.WorkDoneProgressBegin)
                  for rs in client.progress_reports.values() for r in rs):
        await asyncio.sleep(0.01)
    token = the_token(client)
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    summary = await running
    assert summary["cancelled"] is True
    assert summary["files"] < 60
    end = client.progress_reports[token][-1]
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert end.message.startswith("Cancelled after")
    # The server still answers, and a new scan runs to the end.
    again = await scan(client, timeout=180)
    assert again == {"files": 60, "findings": 60 * (2 + FUNCTIONS * 3), "cancelled": False}


async def test_workspace_pull_reports_unopened_files(nvim_ws):
    client = nvim_ws
    open_document(client, uri(client, "clean.py"), CLEAN)
    report = await asyncio.wait_for(client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])), 60)
    by_uri = {item.uri: item for item in report.items}
    assert set(by_uri) == {uri(client, "app.py"), uri(client, "pkg/loader.py"),
                           uri(client, "pyproject.toml")}
    assert list(by_uri[uri(client, "pyproject.toml")].items) == []
    assert all(item.kind == "full" and item.version is None and item.result_id
               for item in report.items)
    assert codes(by_uri[uri(client, "app.py")].items) == ["B404", "B602"]
    (b506,) = by_uri[uri(client, "pkg/loader.py")].items
    assert b506.code == "B506"
    assert b506.range.start == types.Position(2, len(PREFIX.encode("utf-8")))

    previous = [types.PreviousResultId(uri=item.uri, value=item.result_id)
                for item in report.items]
    again = await asyncio.wait_for(client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=previous)), 60)
    assert sorted((i.uri, i.kind) for i in again.items) == sorted(
        (p.uri, "unchanged") for p in previous)
    assert {i.uri: i.result_id for i in again.items} == {p.uri: p.value for p in previous}

    # A changed file comes back in full, the others stay unchanged.
    (client.workspace / "app.py").write_text(SHELL.replace(", shell=True", "") + "\n")
    third = await asyncio.wait_for(client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=previous)), 60)
    kinds = {i.uri: i.kind for i in third.items}
    assert kinds == {uri(client, "app.py"): "full", uri(client, "pkg/loader.py"): "unchanged",
                     uri(client, "pyproject.toml"): "unchanged"}
    app = next(i for i in third.items if i.uri == uri(client, "app.py"))
    assert codes(app.items) == ["B404", "B603"]


async def test_scan_command_in_a_pull_client_refreshes(nvim_ws):
    client = nvim_ws
    summary = await scan(client)
    assert summary == {"files": 4, "findings": 3, "cancelled": False}
    assert client.diagnostics == {}  # nothing pushed to a pull client
    await asyncio.sleep(0.2)
    assert client.diagnostic_refresh_count >= 1


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX paths in URIs")
