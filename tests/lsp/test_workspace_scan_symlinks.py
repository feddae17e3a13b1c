"""`bastion.scanWorkspace` and `workspace/diagnostic` in a workspace whose files link out of it
(issue 11): a `.py`, `.env`, `requirements.txt` or `uv.lock` that is a symbolic link to a file
outside the workspace folder is not read; it gets one "skipped: symlink out of the tree"
diagnostic instead of findings. A link that stays inside the folder is analysed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import SERVER, codes
from .test_workspace_scan import SHELL, _start, scan, uri

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
KEY = "AKIAZ3MDTQ7WLX5RJ4NB"
LINKED = ("evil.py", ".env", "requirements.txt", "uv.lock")
SKIPPED = "skipped: symlink out of the tree"


def linked_workspace(ws: Path) -> None:
    outside = ws.parent / "outside"
    outside.mkdir()
    # Each would give findings if it were read: a shell call, a key, a typosquat.
    (outside / "evil.py").write_text(SHELL)
    (outside / ".env").write_text(f"AWS_ACCESS_KEY_ID={KEY}\n")
    (outside / "requirements.txt").write_text("reqeusts==1.0\n")
    (outside / "uv.lock").write_text('version = 1\n\n[[package]]\nname = "reqeusts"\n'
                                     'version = "1.0"\n')
    (ws / "app.py").write_text(SHELL)
    (ws / "lib").mkdir()
    (ws / "lib" / "inner.py").write_text(SHELL)
    (ws / "inner_link.py").symlink_to(ws / "lib" / "inner.py")
    for name in LINKED:
        (ws / name).symlink_to(outside / name)


def _check(client: LanguageClient, diagnostics: dict[str, list[types.Diagnostic]]) -> None:
    for name in ("app.py", "inner_link.py", "lib/inner.py"):
        assert codes(diagnostics[uri(client, name)]) == ["B404", "B602"], name
    for name in LINKED:
        (only,) = diagnostics[uri(client, name)]
        assert (only.message, only.code) == (SKIPPED, "not-analysed"), name
        assert only.range.start == types.Position(0, 0)


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env={**os.environ, "BASTION_NO_CACHE": "1"}))
async def vscode_linked(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "visual-studio-code", linked_workspace)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env={**os.environ, "BASTION_NO_CACHE": "1"}))
async def nvim_linked(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "neovim", linked_workspace)
    yield
    await lsp_client.shutdown_session()


async def test_scan_skips_files_linked_out_of_the_workspace(vscode_linked):
    client = vscode_linked
    summary = await scan(client, timeout=60)
    assert summary == {"files": 7, "findings": 6, "cancelled": False}
    _check(client, client.diagnostics)


async def test_workspace_pull_says_they_were_skipped(nvim_linked):
    client = nvim_linked
    report = await client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    _check(client, {item.uri: item.items for item in report.items})
