"""The LSP lifecycle as the spec has it (issue 11): before `initialize`, after `shutdown`, `exit`
with and without `shutdown`, a client process that died, and `shutdown` or `$/cancelRequest`
while a workspace scan waits for the client's `window/workDoneProgress/create` reply."""

from __future__ import annotations

import subprocess
import sys
import time

from .raw_client import INITIALIZE, RawClient

SERVER_NOT_INITIALIZED, INVALID_REQUEST, REQUEST_CANCELLED = -32002, -32600, -32800
SHELL = "import subprocess\nsubprocess.call(cmd, shell=True)\n"


def test_requests_before_initialize_are_refused_and_notifications_dropped(tmp_path):
    with RawClient() as client:
        uri = (tmp_path / "early.py").as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": SHELL}})
        early = client.reply(client.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 1, "character": 0}}))
        assert early["error"]["code"] == SERVER_NOT_INITIALIZED
        assert client.reply(client.request("bastion/rules", {}))["error"]["code"] == \
            SERVER_NOT_INITIALIZED
        assert client.initialize()["result"]["capabilities"]
        assert client.alive()
        assert "result" in client.reply(client.request("textDocument/diagnostic", {
            "textDocument": {"uri": uri}}))
        client.reply(client.request("shutdown"))
        client.notify("exit")
        assert client.close() == 0
        assert "workspace is not available" not in client.stderr()
        # each answered request's future was released twice, the second time a KeyError
        # traceback on stderr ("Exception in callback dict.pop(3)") in the editor's log
        assert "Exception in callback" not in client.stderr()


def test_requests_after_shutdown_are_invalid_and_exit_is_0():
    with RawClient() as client:
        client.initialize()
        assert client.reply(client.request("shutdown"))["result"] is None
        after = client.reply(client.request("bastion/rules", {}))
        assert after["error"]["code"] == INVALID_REQUEST
        client.notify("exit")
        assert client.proc.wait(timeout=20) == 0


def test_exit_without_shutdown_is_1():
    with RawClient() as client:
        client.initialize()
        client.notify("exit")
        assert client.proc.wait(timeout=20) == 1


def test_exit_before_initialize_is_1():
    with RawClient() as client:
        client.notify("exit")
        assert client.proc.wait(timeout=20) == 1


def test_a_dead_client_process_ends_the_server():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with RawClient() as client:
        client.initialize({**INITIALIZE, "processId": gone.pid})
        started = time.monotonic()
        code = client.proc.wait(timeout=15)  # stdin stays open: only the watch can end it
        assert code == 1 and time.monotonic() - started < 15


def test_a_live_client_process_keeps_the_server():
    with RawClient() as client:
        import os

        client.initialize({**INITIALIZE, "processId": os.getpid()})
        time.sleep(3)
        assert client.proc.poll() is None and client.alive()


def _scan_waiting_for_progress(client: RawClient, tmp_path) -> tuple[int, dict]:
    (tmp_path / "app.py").write_text(SHELL)
    client.initialize({**INITIALIZE, "rootUri": tmp_path.as_uri(),
                       "workspaceFolders": [{"uri": tmp_path.as_uri(), "name": "ws"}],
                       "capabilities": {"window": {"workDoneProgress": True}}})
    scan = client.request("workspace/executeCommand", {"command": "bastion.scanWorkspace"})
    return scan, client.server_request("window/workDoneProgress/create")


def test_shutdown_while_a_scan_waits_for_the_client(tmp_path):
    with RawClient() as client:
        scan, _create = _scan_waiting_for_progress(client, tmp_path)
        assert client.reply(client.request("shutdown"))["result"] is None
        assert client.reply(scan)["error"]["code"] == REQUEST_CANCELLED
        client.send({"jsonrpc": "2.0", "id": _create["id"], "result": None})  # late reply
        client.notify("exit")
        assert client.proc.wait(timeout=20) == 0
        client.drain(0.2)
        assert len(client.replies(scan)) == 1
        assert "dictionary changed size" not in client.stderr()
        assert "InvalidStateError" not in client.stderr()


def test_cancel_a_scan_while_progress_create_is_pending(tmp_path):
    with RawClient() as client:
        scan, create = _scan_waiting_for_progress(client, tmp_path)
        client.notify("$/cancelRequest", {"id": scan})
        assert client.reply(scan)["error"]["code"] == REQUEST_CANCELLED
        client.send({"jsonrpc": "2.0", "id": create["id"], "result": None})
        assert client.alive()
        client.drain(0.5)
        assert len(client.replies(scan)) == 1
        assert not client.notifications("$/progress"), "the cancelled scan ran on"
        assert not [m for m in client.notifications("window/showMessage")
                    if "Error in server" in m["params"]["message"]]
        assert "InvalidStateError" not in client.stderr()


def test_initialize_with_wrong_params_is_invalid_params_and_can_be_retried():
    with RawClient() as client:
        for params in ({"processId": None, "rootUri": None, "capabilities": 5},
                       {"processId": "me", "capabilities": {}}, None, [1]):
            reply = client.reply(client.request("initialize", params))
            assert reply["error"]["code"] == -32602 and len(reply["error"]["message"]) < 300
        assert client.initialize()["result"]["capabilities"]
        assert client.alive()


def test_exit_with_the_input_still_open_on_a_socket():
    """Neovim gives the server a socket and keeps it open after `exit`: the server read it on
    a thread blocked inside sys.stdin's buffered reader, and 9 exits in 10 ended in SIGABRT
    ("could not acquire lock for <_io.BufferedReader name='<stdin>'> at interpreter shutdown")."""
    for _attempt in range(3):
        with RawClient(over_socket=True) as client:
            client.initialize()
            client.reply(client.request("shutdown"))
            client.notify("exit")
            assert client.proc.wait(timeout=20) == 0, client.stderr()
            assert "Fatal Python error" not in client.stderr()
