"""pyproject.toml and client settings, applied live; a broken file keeps the last good settings."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, open_document

SOURCE = "import subprocess\nsubprocess.call(cmd, shell=True)\nassert cmd\n"


async def test_pyproject_thresholds_and_ignores(client):
    (client.workspace / "pyproject.toml").write_text(
        '[tool.bastion]\nseverity = "medium"\n\n[tool.bandit]\nskips = ["B602"]\n')
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, SOURCE + "eval(x)\n")
    assert codes(await diagnostics_for(client, uri, 1)) == ["B307"]


async def test_per_path_ignores(client):
    (client.workspace / "pyproject.toml").write_text(
        '[tool.bastion.per_path_ignores]\n"tests/*" = ["B101"]\n')
    (client.workspace / "tests").mkdir()
    in_tests = (client.workspace / "tests" / "test_a.py").as_uri()
    outside = (client.workspace / "a.py").as_uri()
    open_document(client, in_tests, "assert x\n")
    open_document(client, outside, "assert x\n")
    assert codes(await diagnostics_for(client, in_tests, 1)) == []
    assert codes(await diagnostics_for(client, outside, 1)) == ["B101"]


async def test_pyproject_edit_applies_without_restart(client):
    pyproject = client.workspace / "pyproject.toml"
    pyproject.write_text("[tool.bastion]\n")
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, SOURCE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["B101", "B404", "B602"]
    await asyncio.sleep(0.05)  # a different mtime
    pyproject.write_text('[tool.bastion]\nignore = ["B1", "B4"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]))
    change_document(client, uri, 2, (3, 0), (3, 0), "\n")
    assert codes(await diagnostics_for(client, uri, 2)) == ["B602"]


async def test_broken_pyproject_reports_file_and_line_and_keeps_last_good(client):
    pyproject = client.workspace / "pyproject.toml"
    pyproject.write_text('[tool.bastion]\nignore = ["B404"]\n')
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, SOURCE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["B101", "B602"]
    await asyncio.sleep(0.05)
    pyproject.write_text('[tool.bastion]\nignore = ["B404"]\nseverity = "extreme"\n')
    change_document(client, uri, 2, (3, 0), (3, 0), "\n")
    assert codes(await diagnostics_for(client, uri, 2)) == ["B101", "B602"]
    shown = [m.message for m in client.messages if m.type == types.MessageType.Error]
    assert any("pyproject.toml:3:" in m and "severity" in m for m in shown), shown
    await asyncio.sleep(0.05)
    pyproject.write_text('[tool.bastion\nignore = ["B404"]\n')
    change_document(client, uri, 3, (4, 0), (4, 0), "\n")
    assert codes(await diagnostics_for(client, uri, 3)) == ["B101", "B602"]
    shown = [m.message for m in client.messages if m.type == types.MessageType.Error]
    assert any("pyproject.toml:1:" in m and "invalid TOML" in m for m in shown), shown


async def test_client_settings_change_live(client):
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, SOURCE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["B101", "B404", "B602"]
    client.set_configuration({"severity": "high", "severityMap": {"high": "hint"}},
                             section="bastion")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    if client.profile == "neovim":  # pull clients are told to refresh, then ask again
        for _ in range(100):
            if client.diagnostic_refresh_count:
                break
            await asyncio.sleep(0.05)
        assert client.diagnostic_refresh_count >= 1
        diags = await diagnostics_for(client, uri, 1)
    else:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        diags = list(client.diagnostics[uri])
    assert codes(diags) == ["B602"]
    assert diags[0].severity == types.DiagnosticSeverity.Hint


async def test_invalid_client_setting_is_reported_and_ignored(client):
    client.set_configuration({"severity": 7, "colour": "red"}, section="bastion")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, SOURCE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["B101", "B404", "B602"]
    for _ in range(100):
        if any("severity" in m.message for m in client.messages):
            break
        await asyncio.sleep(0.05)
    texts = [m.message for m in client.messages]
    assert any("'severity' must be low, medium or high" in t for t in texts), texts
