"""Services declared on the server, with a lifecycle (issue 11): the fix service forgets a closed
document (its per-document state grew with every document ever code-actioned), and every
service is shut down at `shutdown`. The real server runs in this process, over real pipes, so
that its services can be inspected."""

from __future__ import annotations

import os
import threading
import time

import pytest

from bastion.lsp.server import create_server

from .raw_client import RawClient

SHELL = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"


@pytest.fixture
def in_process():
    server = create_server()
    in_read, in_write = os.pipe()
    out_read, out_write = os.pipe()
    stdin, stdout = os.fdopen(in_read, "rb"), os.fdopen(out_write, "wb")
    codes = []
    thread = threading.Thread(target=lambda: codes.append(server.start_io(stdin, stdout)),
                              daemon=True)
    thread.start()
    client = RawClient(streams=(os.fdopen(in_write, "wb"), os.fdopen(out_read, "rb")))
    client.initialize()
    yield server, client
    client.reply(client.request("shutdown"))
    client.notify("exit")
    thread.join(20)
    assert codes == [0]


def _state_size(service) -> int:
    """Every entry the service keeps in its dicts, whatever they are called."""
    return sum(len(value) for value in vars(service).values() if isinstance(value, dict))


def _code_action_cycle(client: RawClient, uri: str) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": SHELL}})
    while True:
        published = [m for m in client.notifications("textDocument/publishDiagnostics")
                     if m["params"]["uri"] == uri and m["params"]["diagnostics"]]
        if published:
            break
        client.drain(0.05)
    diagnostics = published[-1]["params"]["diagnostics"]
    b602 = next(d for d in diagnostics if d["code"] == "B602")
    reply = client.reply(client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": b602["range"],
        "context": {"diagnostics": [b602]}}))
    assert any(a["title"].startswith("Fix B602") for a in reply["result"]), reply
    client.drain(0.1)  # the background model build the request started
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


def test_fix_state_is_forgotten_at_did_close(in_process, tmp_path):
    server, client = in_process
    uris = [(tmp_path / f"doc_{n}.py").as_uri() for n in range(12)]
    for uri in uris:
        _code_action_cycle(client, uri)
    assert client.alive()  # every didClose before this request has been handled
    client.drain(0.3)
    assert not any(server.fix_service.has_model(uri, 1) for uri in uris)
    assert _state_size(server.fix_service) == 0


def test_services_are_shut_down_with_the_server(in_process):
    server, client = in_process
    assert client.reply(client.request("shutdown"))["result"] is None
    for executor in (server.fix_service.executor, server.scheduler._executor,
                     server.workspace_scan._executor):
        with pytest.raises(RuntimeError):
            executor.submit(print)


def _published(client: RawClient, uri: str, version: int) -> None:
    while not any(m["params"]["uri"] == uri and m["params"].get("version") == version
                  for m in client.notifications("textDocument/publishDiagnostics")):
        client.drain(0.05)


def _texts_held(server) -> list[str | None]:
    """The last texts the engine's memos hold: model/text.py's `common_ends` memo, and the taint
    analyzer's (module-level or shared by every document): DeclaredVersions' `of_module`, the
    text gates' (gate.py; context_reuse's too), the last digest, the block parser's text."""
    from bastion.analyzers.taint.context_reuse import _WORDS
    from bastion.model import text as text_module

    taint = next(a for a in server.engine.analyzers if a.id == "taint")
    judged = taint._judged
    gates = [taint._gate, judged._calls, judged._sql_words, judged._sql, taint._registrars,
             taint._renders, *(taint._calls.get(_WORDS) or ())]
    return [*text_module._LAST_ENDS[:2], taint._declared._named[0], *(g._text for g in gates),
            (taint._last_digest or ("",))[0], taint._parser._text]


def test_a_closed_documents_texts_are_let_go_of(in_process, tmp_path):
    # memos of the last text, shared by every document, held a closed document's text until
    # another analysis replaced it (with another document open and idle: indefinitely)
    server, client = in_process
    kept, closed = (tmp_path / "kept.py").as_uri(), (tmp_path / "closed.py").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": kept, "languageId": "python", "version": 1, "text": "import os\n"}})
    _published(client, kept, 1)
    first = typed = SHELL + "from lxml import etree\n"
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": closed, "languageId": "python", "version": 1, "text": typed}})
    _published(client, closed, 1)
    typed += "x = 1\n"
    client.notify("textDocument/didChange", {"textDocument": {"uri": closed, "version": 2},
                                             "contentChanges": [{"text": typed}]})
    _published(client, closed, 2)
    held = _texts_held(server)
    # the memos in use: common_ends', declared_versions', the source and judged gates'
    assert typed in held[:2] and held[2] == typed and held[3] == typed and held[4] == typed
    client.notify("textDocument/didClose", {"textDocument": {"uri": closed}})
    # pygls runs the async didClose handler as a task: a request sent after it may be answered
    # first. Wait (bounded) for what the handler queues on the analysis worker.
    deadline = time.monotonic() + 10
    while True:
        server.scheduler._executor.submit(int).result(20)
        held = [text for text in _texts_held(server) if text in (typed, first)]
        if not held or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert held == []
