"""A client that speaks raw bytes to the real server (`python -m bastion lsp`).

pytest-lsp's client only sends well-formed messages; protocol tests need broken frames, wrong
params and requests out of order, and must see every byte the server answers.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time

SERVER = [sys.executable, "-m", "bastion", "lsp"]
INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}


def frame(payload: object) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawClient:
    """One server process; `stdin` may be given (a socket, a file) instead of a pipe."""

    def __init__(self, env: dict | None = None, over_socket: bool = False,
                 streams: tuple | None = None) -> None:
        """`streams`: (writer, reader) of a server run in this process instead."""
        self._stderr = tempfile.TemporaryFile()
        self._socket = self.proc = None
        if streams is not None:
            self._writer, reader = streams
        else:
            stdin = subprocess.PIPE
            if over_socket:  # not a pipe of its own: the server reads it on a thread
                self._socket, theirs = socket.socketpair()
                stdin = theirs
            self.proc = subprocess.Popen(
                SERVER, stdin=stdin, stdout=subprocess.PIPE, stderr=self._stderr,
                env={**os.environ, "BASTION_NO_CACHE": "1", **(env or {})})
            if self._socket is not None:
                theirs.close()
                self._writer = self._socket.makefile("wb")
            else:
                self._writer = self.proc.stdin
            reader = self.proc.stdout
        self.messages: queue.Queue[dict] = queue.Queue()
        self.received: list[dict] = []
        self._next_id = 1000
        threading.Thread(target=self._read, args=(reader,), daemon=True).start()

    def _read(self, out) -> None:
        while True:
            headers = {}
            while (line := out.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            if not line:
                return
            self.messages.put(json.loads(out.read(int(headers[b"content-length"]))))

    # sending -------------------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        self._writer.write(data)
        self._writer.flush()

    def send(self, payload: object) -> None:
        self.write(frame(payload))

    def request(self, method: str, params: object = None, *, with_params: bool = True) -> int:
        self._next_id += 1
        message = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if with_params:
            message["params"] = params
        self.send(message)
        return self._next_id

    def notify(self, method: str, params: object = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    # receiving -----------------------------------------------------------------------------------

    def _pump(self, timeout: float) -> bool:
        try:
            self.received.append(self.messages.get(timeout=timeout))
            return True
        except queue.Empty:
            return False

    def replies(self, msg_id) -> list[dict]:
        return [m for m in self.received if m.get("id") == msg_id and "method" not in m]

    # 60 s: the first reply waits for the server's start-up, which took over 20 s on a loaded
    # 2-core machine; a hang still fails, only later
    def reply(self, msg_id, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        while not self.replies(msg_id):
            if not self._pump(max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"no reply to request {msg_id}")
        return self.replies(msg_id)[0]

    def server_request(self, method: str, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for m in self.received:
                if m.get("method") == method and "id" in m and not m.get("_seen"):
                    m["_seen"] = True
                    return m
            if not self._pump(max(0.0, deadline - time.monotonic())):
                raise TimeoutError(f"no {method} request from the server")

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._pump(max(0.0, deadline - time.monotonic()))

    def notifications(self, method: str) -> list[dict]:
        return [m for m in self.received if m.get("method") == method and "id" not in m]

    # life cycle ----------------------------------------------------------------------------------

    def initialize(self, params: dict | None = None) -> dict:
        reply = self.reply(self.request("initialize", params or INITIALIZE))
        self.notify("initialized", {})
        return reply

    def alive(self) -> bool:
        """The server still answers a normal request."""
        reply = self.reply(self.request("bastion/rules", {}), timeout=20)
        return bool(reply.get("result", {}).get("rules"))

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def close(self, timeout: float = 20.0) -> int:
        try:
            if not self._writer.closed:
                self._writer.close()
            if self._socket is not None:
                self._socket.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        if self.proc is None:
            return 0
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> RawClient:
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()
