"""A wrong frame never leaves the server alive but deaf (issue 11): pygls' reader waited forever
after a header it could not use and died on a header line over 64 KiB. Both readers: stdin as a
pipe of its own (read on the loop) and stdin as a socket (read on a thread)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

from .raw_client import RawClient, frame

RULES = {"jsonrpc": "2.0", "id": 1, "method": "bastion/rules", "params": {}}
BODY = json.dumps(RULES).encode()


def _with_header(header: bytes, body: bytes = BODY) -> bytes:
    return header + body


BROKEN_FRAMES = {
    "short": _with_header(b"Content-Length: %d\r\n\r\n" % (len(BODY) - 7)),
    "long": _with_header(b"Content-Length: %d\r\n\r\n" % (len(BODY) + 25)),
    "zero": _with_header(b"Content-Length: 0\r\n\r\n"),
    "negative": _with_header(b"Content-Length: -5\r\n\r\n"),
    "non-numeric": _with_header(b"Content-Length: abc\r\n\r\n"),
    "huge": _with_header(b"Content-Length: 99999999999\r\n\r\n"),
    "missing": _with_header(b"Content-Type: application/vscode-jsonrpc\r\n\r\n"),
    "nul": _with_header(b"Content-Length: 1\x002\r\n\r\n"),
    "long-header-line": _with_header(b"X-Padding: " + b"a" * 70_000 + b"\r\n"
                                     b"Content-Length: %d\r\n\r\n" % len(BODY)),
    "long-garbage-line": b"z" * 200_000 + b"\r\n",
    "not-json": _with_header(b"Content-Length: 9\r\n\r\n", b"{not json"),
    "deep-json": _with_header(b"Content-Length: 400000\r\n\r\n", b"[" * 200_000 + b"]" * 200_000),
    "bad-utf8": _with_header(b"Content-Length: 4\r\n\r\n", b'"\xff\xfe"'),
    "not-an-object": _with_header(b"Content-Length: 7\r\n\r\n", b"[1,2,3]"),
}

# Legal per the base protocol's HTTP-style headers: must be answered as usual.
LENIENT_HEADERS = {
    "lower-case-name": b"content-length: %d\r\n\r\n",
    "lf-only": b"Content-Length: %d\n\n",
    "content-type-first": b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                          b"Content-Length: %d\r\n\r\n",
    "spaces": b"Content-Length :  %d \r\n\r\n",
}


@pytest.fixture(scope="module", params=["pipe", "socket"])
def server(request):
    with RawClient(over_socket=request.param == "socket") as client:
        client.initialize()
        yield client
        client.close()


@pytest.mark.parametrize("name", list(BROKEN_FRAMES))
def test_broken_frame_then_the_server_still_answers(server, name):
    server.write(BROKEN_FRAMES[name])
    msg_id = server.request("bastion/rules", {})
    assert server.reply(msg_id, timeout=10)["result"]["rules"]
    assert server.proc.poll() is None


@pytest.mark.parametrize("name", list(LENIENT_HEADERS))
def test_legal_header_variants_are_answered(server, name):
    body = json.dumps({"jsonrpc": "2.0", "id": name, "method": "bastion/rules"}).encode()
    server.write(LENIENT_HEADERS[name] % len(body) + body)
    assert server.reply(name, timeout=10)["result"]["rules"]


def test_a_message_in_pieces_after_noise(server):
    """Noise, then a message whose header and body arrive in separate writes."""
    server.write(b"garbage\r\n\r\n")
    message = frame({"jsonrpc": "2.0", "id": "pieces", "method": "bastion/rules"})
    for piece in (message[:5], message[5:21], message[21:-3], message[-3:]):
        server.write(piece)
    assert server.reply("pieces", timeout=10)["result"]["rules"]


def test_framing_problems_are_logged_not_shown(server):
    server.write(BROKEN_FRAMES["non-numeric"])
    assert server.alive()
    assert not server.notifications("window/showMessage")
    assert any("Content-Length" in m["params"]["message"]
               for m in server.notifications("window/logMessage"))


def test_tcp_transport_resynchronises_and_exits_cleanly():
    """`bastion lsp --tcp` reads through the same frame reader and lifecycle."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "bastion", "lsp", "--tcp", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=20)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not listen"
                time.sleep(0.1)
        with conn, conn.makefile("rb") as replies:
            conn.sendall(BROKEN_FRAMES["non-numeric"] + frame({
                "jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
            seen = []
            while not any(m.get("id") == 1 for m in seen):
                length = 0
                while (line := replies.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length"):
                        length = int(line.split(b":")[1])
                assert line, "the connection closed"
                seen.append(json.loads(replies.read(length)))
            assert next(m for m in seen if m.get("id") == 1)["result"]["capabilities"]
            conn.sendall(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
                         + frame({"jsonrpc": "2.0", "method": "exit"}))
            assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
