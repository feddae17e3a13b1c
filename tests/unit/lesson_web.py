"""Stand-ins for the web libraries lesson examples import (Flask, requests, a Redis client), for the lesson
attack harness (tests/unit/test_lesson_attacks.py): a lesson's view runs in-process, without those
packages, and its attack is the request a client would send.

Only plumbing is stood in, with the libraries' documented behaviour for what the lessons use:
`route` leaves the view as it is, `request` holds what the test sends, `redirect` puts its
argument unchanged in `Location` (as Flask does), `render_template_string` renders with the real
Jinja2 as Flask configures it, `requests.get` sends a GET. Every check an attack tests is the
lesson's own code or the real library's: a Flask helper that is itself the fix
(`send_from_directory`) is not stood in, and its lesson says it does not run.
The `requests` stand-in refuses any host but 127.0.0.1, so no attack leaves the machine.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import os
import queue
import shlex
import socket
import subprocess
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

LOOPBACK = "127.0.0.1"
MARKER = "BASTION_ATTACK_MARKER"


class Request:
    """What the client sent, set by the attack before it calls the view."""

    def __init__(self) -> None:
        self.args: dict[str, str] = {}
        self.form: dict[str, str] = {}
        self.data = b""
        self.json: object = None

    def get_data(self) -> bytes:
        return self.data

    def get_json(self) -> object:
        return self.json


class Response:
    def __init__(self, body: object = b"", status_code: int = 200, location: str | None = None):
        self.body, self.status_code, self.location = body, status_code, location


class Aborted(Exception):
    """`flask.abort`: the view stopped with an error status."""

    def __init__(self, status_code: int) -> None:
        super().__init__(status_code)
        self.status_code = status_code


class _Flask:
    def __init__(self, import_name: str, **_options) -> None:
        self.import_name = import_name

    def route(self, _rule: str, **_options):
        return lambda view: view

    get = post = route


def _abort(status_code: int, *_args) -> None:
    raise Aborted(status_code)


def _send_file(path, **_options) -> bytes:
    with open(path, "rb") as handle:  # Flask's send_file serves whatever path it is given
        return handle.read()


def _render_template_string(source: str, **context) -> str:
    """Flask renders a template string with Jinja2 and autoescaping on (`select_jinja_autoescape`
    is true for a template without a file name)."""
    import jinja2  # the real engine: the attack is on what it evaluates
    return jinja2.Environment(autoescape=True).from_string(source).render(**context)


def flask_standin() -> types.ModuleType:
    flask = types.ModuleType("flask")
    flask.Flask = _Flask
    flask.request = Request()
    flask.session = {}
    flask.redirect = lambda location, code=302, **_: Response(status_code=code, location=location)
    flask.jsonify = lambda *args, **kwargs: args[0] if args else kwargs
    flask.abort = _abort
    flask.send_file = _send_file
    flask.render_template_string = _render_template_string
    return flask


class _RequestsResponse:
    def __init__(self, status_code: int, content: bytes, headers: dict[str, str]) -> None:
        self.status_code, self.content, self.headers = status_code, content, headers
        self.text = content.decode("utf-8", "replace")

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise OSError(f"HTTP {self.status_code}")


def _get(url: str, timeout: float | None = None, allow_redirects: bool = True, **_options):
    """A GET that never follows a redirect (no attack here goes through one) and never leaves
    the loopback."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != LOOPBACK:
        raise ConnectionError(f"the test stand-in for requests only reaches http://{LOOPBACK}")
    conn = http.client.HTTPConnection(LOOPBACK, parts.port or 80, timeout=timeout)  # None: no limit
    try:
        conn.request("GET", parts.path or "/")
        answer = conn.getresponse()
        return _RequestsResponse(answer.status, answer.read(), dict(answer.getheaders()))
    finally:
        conn.close()


def requests_standin() -> types.ModuleType:
    requests = types.ModuleType("requests")
    requests.get = _get
    return requests


class _Redis:
    """A Redis server's string keys, for one client: the attack writes to the example's own
    `cache`, as another service with access to the shared instance would."""

    def __init__(self, **_options) -> None:
        self.values: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.values.get(key)

    def set(self, key: str, value: bytes) -> None:
        self.values[key] = value


def redis_standin() -> types.ModuleType:
    redis = types.ModuleType("redis")
    redis.Redis = _Redis
    return redis


STANDINS = {"flask": flask_standin, "requests": requests_standin, "redis": redis_standin}


@contextlib.contextmanager
def standins(real: frozenset[str] = frozenset()) -> Iterator[None]:
    """Fresh stand-ins in `sys.modules`, but for the `real` ones, while a lesson module is
    executed (its views keep the objects they imported); whatever was there comes back after."""
    saved = {name: sys.modules.get(name) for name in STANDINS if name not in real}
    sys.modules.update({name: STANDINS[name]() for name in saved})
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def call_view(code: dict, view: str, **sent) -> object:
    """Call a lesson's view as a request with `args`, `form`, `data` or `json`; an `abort` is
    its status code."""
    request = code["request"]
    request.__init__()
    for field, value in sent.items():
        setattr(request, field, value)
    code.get("session", {}).clear()
    try:
        return code[view]()
    except Aborted as stop:
        return stop.status_code


def browser_target(location: str, page: str = "https://shop.example.com/login") -> str:
    """The host a browser goes to for a `Location` header: WHATWG URL parsing drops tabs and
    line breaks and reads `\\` as `/` in http(s) URLs."""
    cleaned = location.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    return urlsplit(urljoin(page, cleaned.replace("\\", "/"))).hostname or ""


@contextlib.contextmanager
def loopback_http(body: bytes | dict[str, bytes]) -> Iterator[tuple[int, list[str]]]:
    """An internal-only HTTP server on the loopback: it answers every GET and POST with `body`
    (or `body[path]`) and records the paths asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            asked.append(self.path)
            answer = body if isinstance(body, bytes) else body[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.do_GET()

        def log_message(self, *_args) -> None:
            pass

    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def accept_until(listener: socket.socket, stop: threading.Event) -> socket.socket | None:
    """The next client of `listener`, or None once `stop` is set (a blocked accept would not
    notice it)."""
    listener.settimeout(0.05)
    while not stop.is_set():
        try:
            return listener.accept()[0]
        except OSError:
            continue
    return None


@contextlib.contextmanager
def serving(listener: socket.socket, serve, stop: threading.Event) -> Iterator[int]:
    """Run `serve()` in a thread while the block runs, then set `stop`, wait for the thread and
    close `listener`. Yields the listener's port."""
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(10)
        listener.close()


@contextlib.contextmanager
def silent_http() -> Iterator[int]:
    """A loopback server that accepts connections, reads the request and never answers (a stuck
    upstream, or one an attacker slows down); the connections close when the block ends."""
    listener = socket.create_server((LOOPBACK, 0))
    held: list[socket.socket] = []
    done = threading.Event()

    def hold() -> None:
        while (conn := accept_until(listener, done)) is not None:
            held.append(conn)

    try:
        with serving(listener, hold, done) as port:
            yield port
    finally:
        for conn in held:
            conn.close()


def still_running_after(call, seconds: float) -> bool:
    """Whether `call()`, run in a thread, is still waiting `seconds` later (its error, if any, is
    the call's own business)."""
    def run() -> None:
        with contextlib.suppress(Exception):
            call()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return thread.is_alive()


# The attacker's function for payloads that call one (pickle's `__reduce__`, `eval`): it records
# its argument and does nothing else.
PROBE = types.ModuleType("bastion_attack_probe")
PROBE.calls = []


def _ran(marker: str) -> str:
    PROBE.calls.append(marker)
    return marker


_ran.__module__, _ran.__qualname__ = PROBE.__name__, "ran"
PROBE.ran = _ran
sys.modules[PROBE.__name__] = PROBE


class PickledCall:
    """An object whose unpickling calls the probe with `marker`."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return PROBE.ran, (self.marker,)


def probe_pickle(marker: str) -> bytes:
    """A pickle whose loading calls the probe with `marker`."""
    import pickle  # noqa: S403 - the attacker's payload
    return pickle.dumps(PickledCall(marker))


def probe_expression(marker: str) -> str:
    return f"__import__({PROBE.__name__!r}).ran({marker!r})"


def probe_called(marker: str) -> bool:
    """Whether the probe ran with `marker` since the last question."""
    called = marker in PROBE.calls
    PROBE.calls.clear()
    return called


def run_view_in_child() -> None:
    """The child side of `view_outlives`: argv is the view, the query `q` and the lesson's
    source."""
    view, query, source = sys.argv[1:4]
    with standins():
        code: dict = {"__name__": "lesson"}
        exec(compile(source, "<lesson>", "exec"), code)  # noqa: S102 - a lesson example
    print("ready", flush=True)
    call_view(code, view, args={"q": query})
    print("done", flush=True)


@contextlib.contextmanager
def recording_program(tmp: Path, name: str) -> Iterator[Path]:
    """`name` on the PATH (first, then /usr/bin and /bin) is a script that only appends its
    arguments, one a line, to the file yielded: the real program never runs."""
    bin_dir, arguments = tmp / "bin", tmp / f"{name}-arguments"
    bin_dir.mkdir(exist_ok=True)
    record = f'for a in "$@"; do echo "$a"; done >> {shlex.quote(str(arguments))}'
    (bin_dir / name).write_text(f"#!/bin/sh\n{record}\n", encoding="utf-8")
    (bin_dir / name).chmod(0o700)
    saved = os.environ["PATH"]
    os.environ["PATH"] = os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"])
    try:
        yield arguments
    finally:
        os.environ["PATH"] = saved


def _next_line(lines: queue.Queue, seconds: float) -> str | None:
    try:
        return lines.get(timeout=seconds)
    except queue.Empty:
        return None


def _stderr(child: subprocess.Popen) -> str:
    child.kill()
    child.wait(10)
    return child.stderr.read()


def view_outlives(source: str, view: str, query: str, seconds: float) -> bool:
    """Whether the view, asked with `?q=query` in a child process, has not answered `seconds`
    after it was called (the child is then ended): a regular expression that backtracks for
    minutes shows in a bounded time, without a hang in the test process (`re` holds the GIL).
    The time runs from the child's "ready" to its "done", not to its exit."""
    child = subprocess.Popen(
        [sys.executable, "-c", "from tests.unit.lesson_web import run_view_in_child; run_view_in_child()",
         view, query, source], cwd=Path(__file__).resolve().parents[2], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in child.stdout:
            lines.put(line.strip())
        lines.put("exited")  # a crash is not a slow answer

    threading.Thread(target=read, daemon=True).start()
    try:
        if _next_line(lines, 30) != "ready":
            raise AssertionError(f"the child did not load the lesson: {_stderr(child)}")
        answer = _next_line(lines, seconds)
        if answer is None:
            return True
        if answer != "done":
            raise AssertionError(f"the view failed: {_stderr(child)}")
        return False
    finally:
        child.kill()
        child.wait(10)
        child.stderr.close()
