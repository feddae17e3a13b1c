"""`bastion/visibleRanges` while scrolling: server RSS and loop latency over 20k notifications.

Usage: python bench/visible_ranges_bench.py [--notifications 20000] [--batch 2000]
           [--server "python -m bastion lsp"]
Sends the notification as the VS Code extension does while the user scrolls
(`{"textDocument": {"uri": ...}, "ranges": [LSP Range]}`) in batches; after each batch, a hover
on an unknown document measures how long the loop takes to get through the batch and answer.
RSS is read from /proc/PID/status. Flat means: RSS and the per-batch time do not grow with the
number of notifications sent. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Client:
    def __init__(self, command: list[str]) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self._replies: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if not line:
                return
            message = json.loads(out.read(length))
            if "id" in message and "method" not in message:
                with self._lock:
                    event = self._replies.get(message["id"])
                if event is not None:
                    event.set()

    def send(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, msg_id: int, method: str, params: dict) -> None:
        with self._lock:
            self._replies[msg_id] = threading.Event()
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        self.proc.stdin.flush()
        if not self._replies[msg_id].wait(120):
            raise TimeoutError(f"no reply to {method}")


def run(command: list[str], notifications: int, batch: int) -> dict:
    client = Client(command)
    client.request(1, "initialize", {"processId": os.getpid(), "rootUri": None,
                                     "capabilities": {}})
    client.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///tmp/bench/scrolled.py"
    client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": "x = 1\n" * 5000}}})
    rows = [{"sent": 0, "rss_mb": round(rss_mb(client.proc.pid), 1), "batch_s": 0.0}]
    msg_id, sent = 1, 0
    while sent < notifications:
        started = time.perf_counter()
        for _ in range(min(batch, notifications - sent)):
            top = sent % 4900
            client.send({"jsonrpc": "2.0", "method": "bastion/visibleRanges", "params": {
                "textDocument": {"uri": uri},
                "ranges": [{"start": {"line": top, "character": 0},
                            "end": {"line": top + 60, "character": 0}}]}})
            sent += 1
        msg_id += 1
        client.request(msg_id, "textDocument/hover", {
            "textDocument": {"uri": "file:///tmp/bench/unknown.py"},
            "position": {"line": 0, "character": 0}})
        rows.append({"sent": sent, "rss_mb": round(rss_mb(client.proc.pid), 1),
                     "batch_s": round(time.perf_counter() - started, 3)})
    client.request(msg_id + 1, "shutdown", None)
    client.send({"jsonrpc": "2.0", "method": "exit"})
    client.proc.stdin.close()
    client.proc.wait(30)
    batches = [r["batch_s"] for r in rows[1:]]
    return {"notifications": notifications, "rows": rows,
            "rss_growth_mb": round(rows[-1]["rss_mb"] - rows[1]["rss_mb"], 1),
            "first_batch_s": batches[0], "last_batch_s": batches[-1],
            "per_notification_us": round(sum(batches) / notifications * 1e6, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--server", default=f"{shlex.quote(sys.executable)} -m bastion lsp")
    args = parser.parse_args()
    result = run(shlex.split(args.server), args.notifications, args.batch)
    print(f"{'sent':>8} {'RSS MB':>8} {'batch s':>8}")
    for row in result["rows"]:
        print(f"{row['sent']:>8} {row['rss_mb']:>8} {row['batch_s']:>8}")
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
