"""Lesson attacks by a network observer (for tests/unit/test_lesson_attacks.py): every byte the
client sends goes through a recording relay on the loopback, as it would through a switch, a
Wi-Fi network or a compromised router. A plaintext protocol (FTP, Telnet) shows the password on
the wire; SSH does not. The servers behind the relay are minimal: the plaintext ones refuse the
login after the password is sent, the SSH one (which the client knows: HOME is the sandbox for
the attack) accepts it and then refuses the file transfer or shell. An attack returns whether
the password was seen.
"""

from __future__ import annotations

import contextlib
import ftplib
import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.lesson_tls_attacks import _serve_ssh
from tests.unit.lesson_web import accept_until, serving

PASSWORD = "s3cret-on-the-wire"


def _pump(source: socket.socket, sink: socket.socket, seen: bytearray | None) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(4096):
            if seen is not None:
                seen.extend(data)
            sink.sendall(data)
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def _relay(target_port: int, seen: bytearray, stop: threading.Event) -> Iterator[int]:
    """A loopback port whose connections are relayed to `target_port`, recording what clients send."""
    listener = socket.create_server(("127.0.0.1", 0))
    pumps: list[threading.Thread] = []

    def accept() -> None:
        while (client := accept_until(listener, stop)) is not None:
            server = socket.create_connection(("127.0.0.1", target_port), timeout=10)
            for args in ((client, server, seen), (server, client, None)):
                pumps.append(threading.Thread(target=_pump, args=args, daemon=True))
                pumps[-1].start()

    try:
        with serving(listener, accept, stop) as port:
            yield port
    finally:
        for pump in pumps:
            pump.join(10)


def _line_server(dialogue, stop: threading.Event) -> tuple[int, threading.Thread]:
    """A plaintext server that greets, then answers each line the client sends with
    `dialogue(line)` (None: hang up)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn = accept_until(listener, stop)
        if conn is None:
            listener.close()
            return
        with conn, conn.makefile("rb") as lines:
            conn.sendall(dialogue(None))
            for line in lines:
                answer = dialogue(line)
                if answer is None:
                    break
                conn.sendall(answer)
        listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener.getsockname()[1], thread


def _ftp(line: bytes | None) -> bytes | None:
    if line is None:
        return b"220 files.internal ready\r\n"
    verb = line.split(b" ", 1)[0].upper().strip()
    return {b"USER": b"331 password please\r\n", b"PASS": b"530 login incorrect\r\n"}.get(verb)


def _telnet(line: bytes | None) -> bytes | None:
    if line is None:
        return b"Username: "
    return b"Password: " if not line.startswith(PASSWORD.encode()) else None


@contextlib.contextmanager
def _observed_ssh(tmp: Path, seen: bytearray, stop: threading.Event) -> Iterator[int]:
    """An SSH server behind a recording relay, known to the client under the relay's port."""
    paramiko = pytest.importorskip("paramiko")
    host_key = paramiko.ECDSAKey.generate()

    class Server(paramiko.ServerInterface):
        def get_allowed_auths(self, username: str) -> str:
            return "password"

        def check_auth_password(self, username: str, password: str) -> int:
            return paramiko.AUTH_SUCCESSFUL

    with socket.create_server(("127.0.0.1", 0)) as listener:
        server = _serve_ssh(listener, host_key, Server(), stop)
        with _relay(listener.getsockname()[1], seen, stop) as port:
            (tmp / ".ssh").mkdir()
            known = paramiko.HostKeys()
            known.add(f"[127.0.0.1]:{port}", host_key.get_name(), host_key)
            known.save(str(tmp / ".ssh" / "known_hosts"))
            yield port
        server.join(10)


@contextlib.contextmanager
def wire(tmp: Path, plaintext) -> Iterator[dict]:
    """Yields {"plain", "ssh", "seen"}: relayed ports of a plaintext server speaking `plaintext`
    and of an SSH server, and the bytes clients sent through either."""
    seen = bytearray()
    stop = threading.Event()
    saved = {key: os.environ.pop(key, None) for key in ("HOME", "SSH_AUTH_SOCK")}
    os.environ["HOME"] = str(tmp)
    plain_port, plain = _line_server(plaintext, stop)
    try:
        with _relay(plain_port, seen, stop) as plain_relay, _observed_ssh(tmp, seen, stop) as ssh_relay:
            yield {"plain": plain_relay, "ssh": ssh_relay, "seen": seen}
    finally:
        stop.set()
        plain.join(10)
        os.environ.pop("HOME")
        os.environ.update({key: value for key, value in saved.items() if value is not None})


def _password_seen(call, server: dict) -> bool:
    paramiko = pytest.importorskip("paramiko")
    with contextlib.suppress(ftplib.Error, EOFError, OSError, paramiko.SSHException):
        call()
    return PASSWORD.encode() in server["seen"]


def ftp_password(code: dict, tmp: Path, server: dict) -> bool:
    """FTP's PASS command carries the password as typed. ftplib has no port argument here: its
    default port (a class attribute) is the relay's for the attack."""
    (tmp / "report.csv").write_text("a,b\n", encoding="utf-8")
    saved, ftplib.FTP.port = ftplib.FTP.port, server["plain"]
    try:
        return _password_seen(lambda: code["upload_report"]("127.0.0.1", "deploy", PASSWORD,
                                                            str(tmp / "report.csv")), server)
    finally:
        ftplib.FTP.port = saved


ftp_password.around = lambda tmp: wire(tmp, _ftp)


def telnet_password(code: dict, tmp: Path, server: dict) -> bool:
    """Telnet sends the password as typed, after the server's prompt."""
    return _password_seen(lambda: code["show_version"]("127.0.0.1", "admin", PASSWORD), server)


@contextlib.contextmanager
def telnet_wire(tmp: Path) -> Iterator[dict]:
    if sys.version_info >= (3, 13):
        pytest.skip("telnetlib was removed in Python 3.13")
    with wire(tmp, _telnet) as server:
        yield server


telnet_password.around = telnet_wire
