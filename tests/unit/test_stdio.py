"""The server's stdin: read on the event loop when it is a pipe of its own, else by pygls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from bastion.lsp.transport import separate_pipe as _separate_pipe


def test_only_a_pipe_of_its_own_is_read_on_the_loop():
    read, write = os.pipe()
    out_read, out_write = os.pipe()
    with os.fdopen(read, "rb") as stdin, os.fdopen(out_write, "wb") as stdout, \
            tempfile.TemporaryFile() as regular:
        assert _separate_pipe(stdin, stdout)
        assert not _separate_pipe(stdin, stdin)  # one file for both: non-blocking would leak
        assert not _separate_pipe(regular, stdout)
    os.close(write)
    os.close(out_read)


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_messages_split_across_writes_and_a_closed_stdin():
    """A header cut mid-line and a body in pieces are read whole; when the client goes away the
    server exits instead of waiting forever."""
    proc = subprocess.Popen([sys.executable, "-m", "bastion", "lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, "BASTION_NO_CACHE": "1"})
    try:
        message = _message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                            "params": {"capabilities": {}, "processId": None, "rootUri": None}})
        for piece in (message[:9], message[9:30], message[30:-5], message[-5:]):
            proc.stdin.write(piece)
            proc.stdin.flush()
            time.sleep(0.05)
        headers = {}
        while (line := proc.stdout.readline().strip()):
            name, _, value = line.partition(b":")
            headers[name.lower()] = value.strip()
        reply = json.loads(proc.stdout.read(int(headers[b"content-length"])))
        assert reply["id"] == 1 and reply["result"]["serverInfo"]["name"] == "bastion"
        proc.stdin.close()
        assert proc.wait(timeout=20) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
