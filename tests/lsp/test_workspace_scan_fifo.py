"""`bastion.scanWorkspace` in a workspace with a FIFO named x.py: the scan answers (it blocked
forever on the FIFO) and publishes the other files' results; a file over the size cap is
said not analysed (it was published empty, as clean)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from bastion.limits import MAX_FILE_BYTES

from .conftest import SERVER, codes
from .test_workspace_scan import SHELL, _start, scan, uri

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def fifo_workspace(ws: Path) -> None:
    (ws / "app.py").write_text(SHELL)
    os.mkfifo(ws / "x.py")
    (ws / "dev.py").symlink_to("/dev/zero")


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env={**os.environ, "BASTION_NO_CACHE": "1"}))
async def fifo_ws(request, lsp_client: LanguageClient):
    workspace = await _start(lsp_client, request, "visual-studio-code", fifo_workspace)
    yield
    try:  # a server stuck on the FIFO (the old code) is released for shutdown
        os.close(os.open(workspace / "x.py", os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass
    await lsp_client.shutdown_session()


async def test_scan_answers_with_a_fifo_and_a_device_in_the_workspace(fifo_ws):
    client = fifo_ws
    summary = await scan(client, timeout=30)
    assert summary["cancelled"] is False
    assert codes(client.diagnostics[uri(client, "app.py")]) == ["B404", "B602"]
    assert isinstance(summary["files"], int)
    reports = [r for rs in client.progress_reports.values() for r in rs]
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)


def padded_workspace(ws: Path) -> None:
    (ws / "app.py").write_text(SHELL)
    (ws / "padded.py").write_text(SHELL + "#" * MAX_FILE_BYTES + "\n")


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env={**os.environ, "BASTION_NO_CACHE": "1"}))
async def padded_ws(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "visual-studio-code", padded_workspace)
    yield
    await lsp_client.shutdown_session()


async def test_the_scan_says_a_file_over_the_size_cap_was_not_analysed(padded_ws):
    """Python would run it: an error on its line 1, never an empty (clean) result."""
    client = padded_ws
    await scan(client, timeout=60)
    assert codes(client.diagnostics[uri(client, "app.py")]) == ["B404", "B602"]
    (note,) = client.diagnostics[uri(client, "padded.py")]
    assert note.severity == types.DiagnosticSeverity.Error
    assert note.message.startswith("Bastion did not analyse this file: over 8 MiB (")
