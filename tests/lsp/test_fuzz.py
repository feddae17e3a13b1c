"""A bounded, seeded fuzz run over the real server (issue 11): a few hundred messages — known and
unknown methods, valid, mutated and missing params, forged resolve data, out-of-order document
notifications, cancellations, bad envelopes and framing noise. Every request gets exactly one
reply, the server still answers a normal request afterwards, and it exits cleanly."""

from __future__ import annotations

import json
import random
import time

import pytest

from .raw_client import RawClient

URIS = [f"file:///tmp/bastion-fuzz/m{n}.py" for n in range(4)]
TEXTS = ["import subprocess\nsubprocess.call(cmd, shell=True)\n", "x = 1\n", "def f(:\n",
         "import yaml\nyaml.load(open('a'))\n", ""]
REQUESTS = ["textDocument/hover", "textDocument/codeAction", "codeAction/resolve",
            "textDocument/diagnostic", "workspace/diagnostic", "workspace/executeCommand",
            "bastion/explain", "bastion/rules", "textDocument/definition",
            "textDocument/completion", "workspace/symbol", "initialize", "fuzz/unknown"]
NOTIFICATIONS = ["textDocument/didOpen", "textDocument/didChange", "textDocument/didClose",
                 "bastion/visibleRanges", "workspace/didChangeConfiguration",
                 "workspace/didChangeWatchedFiles", "$/cancelRequest", "$/setTrace",
                 "fuzz/unknownNotification", "initialized"]


def _junk(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([0, -1, 1, 2**31, 2**63, 3.5, True])
    if kind == 2:
        return rng.choice(["", "x", "B602", "file:///", "\u0000", "é" * 3, URIS[0]])
    if kind == 3:
        return rng.choice([[], {}, [0, 0, 0, 0]])
    if kind == 4:
        return {"line": rng.choice([0, -1, "0", 10**9]), "character": rng.choice([0, 5, None])}
    if kind == 5:
        return [_junk(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(["uri", "textDocument", "range", "data", "ruleId", "command", "x",
                        "position", "context", "version"]): _junk(rng, depth + 1)
            for _ in range(rng.randrange(4))}


def _position(rng):
    return {"line": rng.randrange(4), "character": rng.randrange(30)}


def _range(rng):
    return {"start": _position(rng), "end": _position(rng)}


def _valid_params(rng: random.Random, method: str):
    doc = {"uri": rng.choice(URIS)}
    return {
        "textDocument/hover": {"textDocument": doc, "position": _position(rng)},
        "textDocument/codeAction": {"textDocument": doc, "range": _range(rng), "context": {
            "diagnostics": [{"range": _range(rng), "message": "m", "source": "bastion",
                             "code": rng.choice(["B602", "B506"])}]}},
        "codeAction/resolve": {"title": "t", "data": {"bastion": rng.choice(["fix", "fixAll"]),
                                                      "uri": doc["uri"], "version": 1,
                                                      "rule": "B602", "range": [1, 0, 1, 5],
                                                      "fix": _junk(rng)}},
        "textDocument/diagnostic": {"textDocument": doc},
        "workspace/diagnostic": {"previousResultIds": []},
        "workspace/executeCommand": {"command": rng.choice(["bastion.learnMore", "nope"]),
                                     "arguments": [{"ruleId": "B602"}]},
        "bastion/explain": {"ruleId": rng.choice(["B602", "b506", "NOPE"]), "uri": doc["uri"],
                            "range": _range(rng)},
        "bastion/rules": {},
        "textDocument/didOpen": {"textDocument": {**doc, "languageId": "python",
                                                  "version": rng.randrange(1, 5),
                                                  "text": rng.choice(TEXTS)}},
        "textDocument/didChange": {"textDocument": {**doc, "version": rng.randrange(1, 9)},
                                   "contentChanges": [{"range": _range(rng),
                                                       "text": rng.choice(["", "x", "\n", "("])}]},
        "textDocument/didClose": {"textDocument": doc},
        "bastion/visibleRanges": {"textDocument": doc, "ranges": [_range(rng)]},
    }.get(method, {})


def _params(rng: random.Random, method: str):
    roll = rng.random()
    if roll < 0.45:
        return _valid_params(rng, method)
    if roll < 0.8:
        params = _valid_params(rng, method)
        if isinstance(params, dict) and params:
            params[rng.choice(list(params))] = _junk(rng)
        return params
    return _junk(rng)


def _messages(seed: int, count: int):
    """(bytes to send, request id or None)."""
    rng = random.Random(seed)
    for n in range(count):
        roll = rng.random()
        if roll < 0.5:
            method = rng.choice(REQUESTS)
            msg_id = rng.choice([n, f"s{n}"])
            message = {"jsonrpc": "2.0", "id": msg_id, "method": method}
            if rng.random() < 0.9:
                message["params"] = _params(rng, method)
            if rng.random() < 0.03:
                message["jsonrpc"] = rng.choice([None, "1.0", 2])
            yield message, msg_id
        elif roll < 0.95:
            method = rng.choice(NOTIFICATIONS)
            params = {"id": rng.randrange(n + 1)} if method == "$/cancelRequest" \
                else _params(rng, method)
            yield {"jsonrpc": "2.0", "method": method, "params": params}, None
        else:
            yield rng.choice([b"garbage\r\n", b"Content-Length: x\r\n\r\n{}",
                              b"content-length: 2\r\n\r\n{}", b"\r\n\r\n"]), None


@pytest.mark.parametrize("seed", [11, 2026])
def test_fuzzed_session(seed):
    with RawClient() as client:
        client.initialize({"processId": None, "rootUri": None, "capabilities": {
            "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}}})
        requests = []
        for message, msg_id in _messages(seed, 300):
            if isinstance(message, bytes):
                client.write(message)
            else:
                client.send(message)
            if msg_id is not None:
                requests.append(msg_id)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and any(not client.replies(i) for i in requests):
            client.drain(0.2)
        unanswered = [i for i in requests if not client.replies(i)]
        assert not unanswered, f"{len(unanswered)} of {len(requests)} requests got no reply"
        answered_twice = [i for i in requests if len(client.replies(i)) > 1]
        assert not answered_twice
        for reply in (client.replies(i)[0] for i in requests):
            assert "traceback" not in json.dumps(reply.get("error", {})).lower()
        assert client.alive()
        assert not [m for m in client.notifications("window/showMessage")
                    if "Error in server" in m["params"]["message"]]
        assert client.reply(client.request("shutdown"))["result"] is None
        client.notify("exit")
        assert client.proc.wait(timeout=20) == 0
