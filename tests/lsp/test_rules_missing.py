"""The editor on a broken install (no `rules/` beside the package): it shows the error once
(window/showMessage), each document gets an error that it was not analysed, and the workspace
scan fails instead of reporting files as clean. It used to analyse with no rule file and no
taint model and publish empty, clean-looking diagnostics."""

from __future__ import annotations

import time

from tests.broken_install import broken_install

from .raw_client import RawClient

PUBLISHED = "textDocument/publishDiagnostics"
VULNERABLE = "import os\nos.system(input())\n"


def _diagnostics(client: RawClient, uri: str) -> list[dict]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for message in client.notifications(PUBLISHED):
            if message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]
        client.drain(0.05)
    raise TimeoutError(f"no diagnostics for {uri}")


def test_a_broken_install_says_so_and_publishes_nothing_clean(tmp_path):
    server = broken_install(tmp_path)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "app.py").write_text(VULNERABLE)
    uri = (workspace / "app.py").as_uri()
    with RawClient(env={"PYTHONPATH": str(server)}) as client:
        client.initialize({"processId": None, "rootUri": workspace.as_uri(), "capabilities": {}})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": VULNERABLE}})
        (note,) = _diagnostics(client, uri)
        assert note["severity"] == 1  # Error
        assert note["message"].startswith("not analysed: Bastion's rule files are missing (")
        shown = [m["params"] for m in client.notifications("window/showMessage")]
        assert [m["type"] for m in shown] == [1]
        assert "Reinstall Bastion" in shown[0]["message"]
        reply = client.reply(client.request("workspace/executeCommand",
                                            {"command": "bastion.scanWorkspace"}))
        assert "error" in reply and "result" not in reply
        assert [m["params"]["uri"] for m in client.notifications(PUBLISHED)] == [uri]


def test_a_complete_install_analyses_the_same_document(tmp_path):
    server = broken_install(tmp_path, ("bandit", "bastion", "taint"))
    uri = (tmp_path / "app.py").as_uri()
    with RawClient(env={"PYTHONPATH": str(server)}) as client:
        client.initialize()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": VULNERABLE}})
        assert "BST202" in {d["code"] for d in _diagnostics(client, uri)}
        assert client.notifications("window/showMessage") == []
