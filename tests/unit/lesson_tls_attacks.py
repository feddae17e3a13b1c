"""Lesson attacks on clients that do not check who answers (for tests/unit/test_lesson_attacks.py):
a man in the middle on the loopback answers with the attacker's self-signed certificate, or an
SSH host key never seen; the client that does not verify sends it the request, headers and all,
or logs in. The sandbox moves each example's host to that server.

`certs` (the harness's `certificates` fixture) holds attacker.pem/.key and internal.pem/.key; the
internal certificate also names 127.0.0.1, so a client that trusts the internal CA bundle can reach
the genuine server at that address.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import os
import socket
import ssl
import subprocess
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.lesson_web import MARKER, accept_until


class HttpsServer:
    """An HTTPS server on the loopback presenting one of `certs`' certificates (`present` changes
    it for the next connections); it answers `body` (JSON) to every GET and POST and records each
    request's path and headers in `seen`."""

    def __init__(self, certs: Path, name: str, body: bytes = b"{}") -> None:
        self.certs, self.seen = certs, []
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.present(name)
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                seen.append({"path": self.path, **dict(self.headers)})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.do_GET()

            def log_message(self, *_args) -> None:
                pass

            def handle(self) -> None:
                with contextlib.suppress(ssl.SSLError, OSError):  # a client refusing the certificate
                    super().handle()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = self.context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]

    def present(self, name: str) -> None:
        self.context.load_cert_chain(self.certs / f"{name}.pem", self.certs / f"{name}.key")
        self.seen.clear()


@contextlib.contextmanager
def https_server(certs: Path, name: str, body: bytes = b"{}") -> Iterator[HttpsServer]:
    server = HttpsServer(certs, name, body)
    thread = threading.Thread(target=server.server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        thread.join(5)


@contextlib.contextmanager
def _plain_environment() -> Iterator[None]:
    """requests honours *_PROXY variables (a loopback request must not go through a proxy) and
    REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, which even override `session.verify = False`
    (psf/requests#3829): the lesson's case is a deployment without them."""
    saved = {key: os.environ.pop(key) for key in list(os.environ)
             if key.lower().endswith("_proxy") or key in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # urllib3's InsecureRequestWarning: the point here
            yield
    finally:
        os.environ.update(saved)


def unverified_connection(code: dict, tmp: Path, certs: Path) -> bool:
    """`health_status("127.0.0.1:PORT")` against the impostor."""
    with https_server(certs, "attacker") as server:
        try:
            code["health_status"](f"127.0.0.1:{server.port}")
        except ssl.SSLError:
            return False
    return [request["path"] for request in server.seen] == ["/healthz"]


def requests_verify(code: dict, tmp: Path, certs: Path, server: HttpsServer) -> bool:
    """The invoice service's host is moved to the loopback server (SANDBOX_PATHS), which first
    presents the internal CA's certificate (the genuine service), then the attacker's."""
    requests = pytest.importorskip("requests")
    with _plain_environment():
        assert code["fetch_invoice"](7) == {}
        assert server.seen[0]["path"] == "/api/invoices/7"
        server.present("attacker")
        try:
            code["fetch_invoice"](7)
        except requests.exceptions.SSLError:
            return False
    return bool(server.seen)


requests_verify.needs_certificates = True
requests_verify.around = lambda tmp, certs: https_server(certs, "internal")
requests_verify.real = frozenset({"requests"})


def session_verify(code: dict, tmp: Path, certs: Path) -> bool:
    """The session's token goes to whoever answers: the impostor reads the Authorization header."""
    requests = pytest.importorskip("requests")
    session = code["make_session"]("token-for-the-billing-api")
    with https_server(certs, "attacker") as server, _plain_environment():
        try:
            session.get(f"https://127.0.0.1:{server.port}/", timeout=10)
        except requests.exceptions.SSLError:
            return False
    return server.seen[0].get("Authorization") == "Bearer token-for-the-billing-api"


for _attack in (unverified_connection, session_verify):
    _attack.needs_certificates = True
session_verify.real = frozenset({"requests"})


def aiohttp_ssl_off(code: dict, tmp: Path, certs: Path) -> bool:
    """The event (with its API key) is posted to whoever answers."""
    pytest.importorskip("aiohttp")
    import aiohttp
    with https_server(certs, "attacker") as server:
        try:
            asyncio.run(code["post_event"](f"https://127.0.0.1:{server.port}/events", {"key": "k"}))
        except (aiohttp.ClientSSLError, aiohttp.ClientConnectorCertificateError):
            return False
    return [request["path"] for request in server.seen] == ["/events"]


aiohttp_ssl_off.needs_certificates = True


def _serve_ssh(listener: socket.socket, host_key, server, stop: threading.Event) -> threading.Thread:
    """Accept one SSH client on `listener` (until `stop`) and run `server` for it; the caller ends
    the transport by setting `stop`."""
    import paramiko

    def serve() -> None:
        conn = accept_until(listener, stop)
        if conn is None:
            return
        transport = paramiko.Transport(conn)
        transport.add_server_key(host_key)
        with contextlib.suppress(paramiko.SSHException, EOFError):
            transport.start_server(server=server)
        stop.wait()
        transport.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def ssh_impostor(tmp: Path) -> Iterator[dict]:
    """An SSH server on the loopback with a host key no one has seen: it accepts any public key
    and records the user who logged in (whom it could now feed any command output). Yields
    {"port", "logins"}; the client's own key is written to `{tmp}/id_ecdsa`."""
    paramiko = pytest.importorskip("paramiko")
    paramiko.ECDSAKey.generate().write_private_key_file(str(tmp / "id_ecdsa"))
    host_key = paramiko.ECDSAKey.generate()
    logins: list[str] = []

    class Impostor(paramiko.ServerInterface):
        def get_allowed_auths(self, username: str) -> str:
            return "publickey"

        def check_auth_publickey(self, username: str, key) -> int:
            logins.append(username)
            return paramiko.AUTH_SUCCESSFUL

    stop = threading.Event()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        thread = _serve_ssh(listener, host_key, Impostor(), stop)
        try:
            yield {"port": listener.getsockname()[1], "logins": logins}
        finally:
            stop.set()
            thread.join(10)


def ssh_unknown_host(code: dict, tmp: Path, server: dict) -> bool:
    """The deploy client connects to a host whose key it has never seen (the sandbox moves the
    connection to the impostor's port)."""
    paramiko = pytest.importorskip("paramiko")
    try:
        client = code["connect"]("127.0.0.1", str(tmp / "id_ecdsa"))
    except paramiko.SSHException:  # "not found in known_hosts"
        return False
    client.close()
    return server["logins"] == ["deploy"]


ssh_unknown_host.around = ssh_impostor


def _tls_server(cert: Path, key: Path) -> tuple[int, threading.Thread]:
    """A loopback TLS server that sends MARKER to the first client that completes a handshake."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        with listener:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.sendall(MARKER.encode())
            except (ssl.SSLError, OSError):
                pass  # the client refused the certificate

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener.getsockname()[1], thread


def tls_impostor(trust_attacker: bool, server_hostname: str):
    """A man in the middle presents attacker.test's certificate for `server_hostname`.

    `trust_attacker`: the attacker's certificate is issued by a CA the client trusts (a public
    CA will sign the attacker's own domain), so only the host-name check can stop them.
    """
    def attack(code: dict, tmp: Path, certs: Path) -> bool:
        port, thread = _tls_server(certs / "attacker.pem", certs / "attacker.key")
        try:
            context = code["make_context"]()
            if trust_attacker:
                context.load_verify_locations(certs / "attacker.pem")
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                    context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                return tls.recv(64) == MARKER.encode()
        except (ssl.SSLError, OSError):
            return False
        finally:
            thread.join(10)
    attack.needs_certificates = True
    return attack


@contextlib.contextmanager
def ssh_shell_server(tmp: Path) -> Iterator[dict]:
    """An SSH server on the loopback that the client knows and trusts (HOME is `tmp` for the
    attack: ~/.ssh holds the client's key and a known_hosts naming this server). It runs each
    exec request with /bin/sh in `tmp`, as the remote host's shell would. Yields {"port"}."""
    paramiko = pytest.importorskip("paramiko")
    if os.name != "posix":
        pytest.skip("POSIX shell")
    host_key = paramiko.ECDSAKey.generate()
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    (tmp / ".ssh").mkdir()
    paramiko.ECDSAKey.generate().write_private_key_file(str(tmp / ".ssh" / "id_ecdsa"))
    known = paramiko.HostKeys()
    known.add(f"[127.0.0.1]:{port}", host_key.get_name(), host_key)
    known.save(str(tmp / ".ssh" / "known_hosts"))
    def run(channel, command: str) -> None:
        done = subprocess.run(["/bin/sh", "-c", command], cwd=tmp, capture_output=True, timeout=10)
        channel.sendall(done.stdout)
        channel.send_exit_status(done.returncode)
        channel.close()

    class Shell(paramiko.ServerInterface):
        def get_allowed_auths(self, username: str) -> str:
            return "publickey"

        def check_auth_publickey(self, username: str, key) -> int:
            return paramiko.AUTH_SUCCESSFUL

        def check_channel_request(self, kind: str, chanid: int) -> int:
            return paramiko.OPEN_SUCCEEDED

        def check_channel_exec_request(self, channel, command: bytes) -> bool:
            threading.Thread(target=run, args=(channel, command.decode()), daemon=True).start()
            return True

    stop = threading.Event()
    thread = _serve_ssh(listener, host_key, Shell(), stop)
    saved = {key: os.environ.pop(key, None) for key in ("HOME", "SSH_AUTH_SOCK")}
    os.environ["HOME"] = str(tmp)
    try:
        yield {"port": port}
    finally:
        os.environ.pop("HOME")
        os.environ.update({key: value for key, value in saved.items() if value is not None})
        stop.set()
        thread.join(10)
        listener.close()


def remote_shell(code: dict, tmp: Path, server: dict) -> bool:
    """A log name that ends the remote `cat` and starts another command, or climbs out of
    /var/log/app to a file in tmp."""
    paramiko = pytest.importorskip("paramiko")
    (tmp / "secret.txt").write_text(MARKER, encoding="utf-8")
    for name in (f"none; echo {MARKER}", "../../.." + str(tmp / "secret.txt")):
        try:
            if MARKER in code["read_remote_log"]("127.0.0.1", name):
                return True
        except (ValueError, paramiko.SSHException):
            pass
    return False


remote_shell.around = ssh_shell_server


@contextlib.contextmanager
def tls_receiver(tmp: Path, certs: Path, legacy: bool = False) -> Iterator[dict]:
    """A loopback TLS server with the attacker's certificate that records what the first client
    to complete a handshake sends, and the protocol version it spoke. Yields {"port", "received",
    "versions", "done"}: `done()` waits until the server has finished with its client.

    `legacy`: the impostor also speaks TLS 1.0, as the old device it stands in for does; OpenSSL 3
    only allows TLS 1.0 and 1.1 at security level 0 (their handshake hashes with MD5 and SHA-1)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if legacy:
        with warnings.catch_warnings():  # deprecated on purpose: the impostor is an old device
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    context.load_cert_chain(certs / "attacker.pem", certs / "attacker.key")
    received: list[bytes] = []
    versions: list[str | None] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        with contextlib.suppress(OSError):  # ssl.SSLError too: the client refused the certificate
            conn, _ = listener.accept()
            with context.wrap_socket(conn, server_side=True) as tls:
                versions.append(tls.version())
                received.append(tls.recv(1024))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield {"port": listener.getsockname()[1], "received": received, "versions": versions,
               "done": lambda: thread.join(10)}
    finally:
        thread.join(10)
        listener.close()


def legacy_wrap_socket(code: dict, tmp: Path, certs: Path, server: dict) -> bool:
    """The log lines go to whoever answers on the syslog-over-TLS port (moved to the loopback)."""
    if not hasattr(ssl, "wrap_socket"):
        pytest.skip("ssl.wrap_socket was removed in Python 3.12")
    with contextlib.suppress(ssl.SSLError):
        code["send_logs"]("127.0.0.1", b"<14>payment service started")
    server["done"]()
    return server["received"] == [b"<14>payment service started"]


legacy_wrap_socket.around = tls_receiver


def _legacy_receiver(tmp: Path, certs: Path):
    return tls_receiver(tmp, certs, legacy=True)


CARD = b"card=4111111111111111"


def _read_over_tls1(connect, server: dict) -> bool:
    """`connect()` sends CARD over the connection the example opens to the impostor; the attack
    succeeds when the impostor read it over TLS 1.0."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PROTOCOL_TLSv1, ssl.wrap_socket
        with contextlib.suppress(ssl.SSLError, OSError):  # the fixed client refuses the certificate
            connect()
    server["done"]()
    return server["received"] == [CARD] and server["versions"] == ["TLSv1"]


def pinned_tls1(code: dict, tmp: Path, certs: Path, server: dict) -> bool:
    """B502: `open_tls` to a payment gateway whose address leads to the impostor."""
    if not hasattr(ssl, "wrap_socket"):
        pytest.skip("ssl.wrap_socket was removed in Python 3.12")
    return _read_over_tls1(lambda: code["open_tls"]("127.0.0.1", server["port"]).sendall(CARD), server)


def default_tls1(code: dict, tmp: Path, certs: Path, server: dict) -> bool:
    """B503: a caller that takes `make_context()`'s default and connects by name."""
    def connect() -> None:
        with socket.create_connection(("127.0.0.1", server["port"]), timeout=10) as raw, \
                code["make_context"]().wrap_socket(raw, server_hostname="reports.internal") as tls:
            tls.sendall(CARD)
    return _read_over_tls1(connect, server)


for _attack in (legacy_wrap_socket, pinned_tls1, default_tls1):
    _attack.needs_certificates = True
for _attack in (pinned_tls1, default_tls1):
    _attack.around = _legacy_receiver
