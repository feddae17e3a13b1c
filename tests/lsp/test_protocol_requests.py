"""Every request gets exactly one reply, with a short message: issue 11's fuzzing client found
3,350 requests that were never answered (an editor waits forever on such a request)."""

from __future__ import annotations

import pytest

from .raw_client import RawClient

METHOD_NOT_FOUND, INVALID_PARAMS, INVALID_REQUEST = -32601, -32602, -32600
DOC = {"uri": "file:///tmp/bastion-protocol/a.py"}
POSITION = {"line": 0, "character": 0}

UNKNOWN_METHODS = [
    ("textDocument/definition", {"textDocument": DOC, "position": POSITION}),
    ("textDocument/completion", {"textDocument": DOC, "position": POSITION}),
    ("workspace/symbol", {"query": ""}),
    ("textDocument/formatting", {"textDocument": DOC, "options": {"tabSize": 4,
                                                                  "insertSpaces": True}}),
    ("bastion/nothing", {}),
    ("$/unknown", None),
]

WRONG_PARAMS = [
    ("textDocument/hover", {"textDocument": 5, "position": POSITION}),
    ("textDocument/hover", {"textDocument": DOC, "position": {"line": "a", "character": 0}}),
    ("textDocument/hover", None),
    ("textDocument/codeAction", {"textDocument": DOC}),
    ("textDocument/codeAction", [1, 2]),
    ("textDocument/diagnostic", {"textDocument": []}),
    ("workspace/diagnostic", {"previousResultIds": 7}),
    ("workspace/executeCommand", {"command": 3}),
    ("workspace/executeCommand", {"command": "no.such.command", "arguments": []}),
    ("workspace/executeCommand", "bastion.scanWorkspace"),
    ("bastion/explain", None),
    ("bastion/explain", {"ruleId": 602}),
    ("bastion/explain", "B602"),
]


def _assert_short_error(reply: dict, code: int) -> None:
    assert "result" not in reply, reply
    error = reply["error"]
    assert error["code"] == code, reply
    assert 0 < len(error["message"]) <= 300, error["message"]
    assert "Traceback" not in error["message"] and "traceback" not in str(error.get("data"))


@pytest.fixture(scope="module")
def server():
    with RawClient() as client:
        client.initialize()
        yield client
        client.close()


@pytest.mark.parametrize(("method", "params", "code"),
                         [(*case, METHOD_NOT_FOUND) for case in UNKNOWN_METHODS]
                         + [(*case, INVALID_PARAMS) for case in WRONG_PARAMS])
def test_answered_once_with_a_short_error(server, method, params, code):
    msg_id = server.request(method, params)
    _assert_short_error(server.reply(msg_id), code)
    assert server.alive()
    assert len(server.replies(msg_id)) == 1


@pytest.mark.parametrize("method", ["textDocument/hover", "textDocument/codeAction",
                                    "workspace/executeCommand", "bastion/explain"])
def test_missing_params_are_invalid_params(server, method):
    msg_id = server.request(method, with_params=False)
    _assert_short_error(server.reply(msg_id), INVALID_PARAMS)


@pytest.mark.parametrize("params", [None, "absent"])
def test_rules_without_params(server, params):
    msg_id = server.request("bastion/rules", params, with_params=params != "absent")
    assert server.reply(msg_id)["result"]["rules"]


@pytest.mark.parametrize("data", [
    {"bastion": "fix", "uri": ["not", "a", "uri"], "version": "one", "range": "r", "fix": 5},
    {"bastion": "fixAll", "uri": {"x": 1}, "version": None},
    {"bastion": "fix", "uri": DOC["uri"], "version": 1, "rule": "B602", "range": [0, 0, 0, 0]},
    [1, 2, 3],
    "bastion",
])
def test_forged_resolve_data_gets_the_action_back(server, data):
    action = {"title": "forged", "kind": "quickfix", "data": data}
    reply = server.reply(server.request("codeAction/resolve", action))
    assert reply["result"]["title"] == "forged" and "edit" not in reply["result"]


def test_notification_method_sent_as_request_is_invalid(server):
    msg_id = server.request("textDocument/didClose", {"textDocument": DOC})
    _assert_short_error(server.reply(msg_id), INVALID_REQUEST)


def test_invalid_envelopes_are_answered(server):
    server.send({"jsonrpc": "1.0", "id": 77001, "method": "bastion/rules"})
    _assert_short_error(server.reply(77001), INVALID_REQUEST)
    server.send({"jsonrpc": "2.0", "id": 77002, "method": 12})
    _assert_short_error(server.reply(77002), INVALID_REQUEST)
    server.send({"jsonrpc": "2.0", "id": 77003})  # neither a request nor a response
    _assert_short_error(server.reply(77003), INVALID_REQUEST)
    assert server.alive()


def test_a_second_initialize_is_invalid(server):
    msg_id = server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    _assert_short_error(server.reply(msg_id), INVALID_REQUEST)


def test_malformed_notifications_are_logged_not_shown(server):
    before = len(server.notifications("window/logMessage"))
    for method, params in [("textDocument/didOpen", {"textDocument": 1}),
                           ("textDocument/didChange", {"contentChanges": "x"}),
                           ("textDocument/didClose", None),
                           ("workspace/didChangeConfiguration", 5),
                           ("bastion/visibleRanges", [1])]:
        server.notify(method, params)
    assert server.alive()
    server.drain(0.3)
    assert not server.notifications("window/showMessage")
    assert len(server.notifications("window/logMessage")) >= before + 4
