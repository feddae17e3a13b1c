"""The lesson attacks on web views (the taint rules BST2xx and their pattern twins): each sends the
request of the lesson's story to the view, through the stand-ins of tests/unit/lesson_web.py.

An attack returns whether it worked. Where a legitimate request is cheap to make, the attack makes
it first and asserts its answer, on both examples: a fix that refuses everything is not a fix.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.lesson_local_attacks import external_entity_document
from tests.unit.lesson_web import (
    MARKER,
    Response,
    browser_target,
    call_view,
    loopback_http,
    probe_called,
    probe_expression,
    probe_pickle,
    recording_program,
    view_outlives,
)


def path_traversal(view: str, parameter: str):
    """The view serves files from `{tmp}/files`; the attacker asks for `../secret.txt`."""
    def attack(code: dict, tmp: Path) -> bool:
        (tmp / "files").mkdir()
        (tmp / "files" / "report.txt").write_bytes(b"report")
        (tmp / "secret.txt").write_text(MARKER, encoding="utf-8")
        assert call_view(code, view, args={parameter: "report.txt"}) == b"report"
        try:
            return MARKER.encode() in call_view(code, view, args={parameter: "../secret.txt"})
        except OSError:  # not found in the folder, or refused
            return False
    return attack


def os_command_injection(code: dict, tmp: Path) -> bool:
    """`host` ends the ping command and starts another (which only writes a file in tmp), or
    passes an option (`-f`, flood). `ping` on the PATH only records its arguments."""
    if os.name != "posix":
        pytest.skip("POSIX shell")
    ran = tmp / "ran"
    with recording_program(tmp, "ping") as argv:
        call_view(code, "ping", args={"host": f"localhost; echo {MARKER} > {shlex.quote(str(ran))}"})
        call_view(code, "ping", args={"host": "-f"})
    options = argv.read_text(encoding="utf-8").split("\n--\n")[0].split() if argv.exists() else []
    return ran.exists() or "-f" in options


def html_injection(code: dict, tmp: Path) -> bool:
    assert "Results for tea" in call_view(code, "search", args={"q": "tea"})
    return "<script>" in call_view(code, "search", args={"q": f"<script>{MARKER}</script>"})


def sql_injection_view(code: dict, tmp: Path) -> bool:
    """`name` closes the string literal and adds a condition that is always true."""
    with sqlite3.connect(tmp / "app.db") as conn:
        conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
        conn.executemany("INSERT INTO users VALUES (?, ?)", [(1, "admin"), (2, "alice")])
    conn.close()
    assert call_view(code, "user", args={"name": "alice"}) == {"ids": [2]}
    return call_view(code, "user", args={"name": "nobody' OR '1'='1"}) != {"ids": []}


def code_injection(view: str, parameter: str, legitimate: str, answer: object):
    """The expression calls a function of the attacker's choosing (a probe that only records)."""
    def attack(code: dict, tmp: Path) -> bool:
        assert call_view(code, view, args={parameter: legitimate}) == answer
        probe_called(MARKER)  # forget earlier runs
        try:
            call_view(code, view, args={parameter: probe_expression(MARKER + view)})
        except (ValueError, SyntaxError):
            pass
        return probe_called(MARKER + view)
    return attack


def log_injection(code: dict, tmp: Path) -> bool:
    """A user name with a line break forges a second log line."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = code["log"]
    logger.addHandler(handler)
    try:
        call_view(code, "login", form={"username": "alice\nINFO login succeeded for admin"})
    finally:
        logger.removeHandler(handler)
    return any("\nINFO login succeeded" in record.getMessage() for record in records)


def session_injection(code: dict, tmp: Path) -> bool:
    """The session is signed, so the server trusts what it holds: the attacker's value gets in."""
    call_view(code, "theme", form={"theme": "dark"})
    assert code["session"] == {"theme": "dark"}
    call_view(code, "theme", form={"theme": f"<script>{MARKER}</script>"})
    return MARKER in code["session"].get("theme", "")


def pickle_payload(view: str, field: str, encode):
    """The posted data is a pickle whose loading calls a function of the attacker's choosing (no
    legitimate request first: the fix changes the format)."""
    def attack(code: dict, tmp: Path) -> bool:
        probe_called(MARKER)  # forget earlier runs
        try:
            call_view(code, view, **{field: encode(probe_pickle(MARKER + view))})
        except ValueError:  # not JSON: refused
            pass
        return probe_called(MARKER + view)
    return attack


def open_redirect(view: str):
    """After login, the `next` parameter sends the user to another site (the forms browsers
    read as one: a full URL, `//host`, `/\\host`)."""
    def attack(code: dict, tmp: Path) -> bool:
        kept = call_view(code, view, args={"next": "/orders/7"})
        assert isinstance(kept, Response) and kept.location.endswith("/orders/7")
        assert browser_target(kept.location) == "shop.example.com"
        for hostile in ("https://evil.example/login", "//evil.example/", "/\\evil.example/",
                        "/\t/evil.example/", "https://shop.example.com@evil.example/"):
            answer = call_view(code, view, args={"next": hostile})
            if isinstance(answer, Response) and browser_target(answer.location) == "evil.example":
                return True
        return False
    return attack


def ssrf(view: str, parameter: str):
    """The view fetches a URL on the loopback: an internal-only server the attacker cannot reach
    but the application can."""
    def attack(code: dict, tmp: Path) -> bool:
        with loopback_http(MARKER.encode()) as (port, asked):
            try:
                call_view(code, view, args={parameter: f"http://127.0.0.1:{port}/admin"})
            except ValueError:
                pass
        return "/admin" in asked
    return attack


def ssrf_function(code: dict, tmp: Path) -> bool:
    with loopback_http(MARKER.encode()) as (port, asked):
        try:
            code["fetch_avatar"](f"http://127.0.0.1:{port}/admin")
        except ValueError:
            pass
    return "/admin" in asked


def regex_backtracking(code: dict, tmp: Path) -> bool:
    """`.*` two hundred times and a character no name has: re backtracks through every way of
    splitting each name among the `.*` (about n**5 steps for a five-letter name; minutes). The
    view runs in a child process that is ended half a second after the call."""
    if call_view(code, "search", args={"q": "bo"}) != ["bob"]:
        raise AssertionError("the search does not find a name by its part")
    source = code["__source__"]
    return view_outlives(source, "search", ".*" * 200 + "!", seconds=0.5)


def template_injection(code: dict, tmp: Path) -> bool:
    """The name is template source: Jinja2 (not sandboxed) reaches Python's builtins from any
    global, here to call the probe."""
    pytest.importorskip("jinja2")
    assert "Hello tea" in call_view(code, "hello", args={"name": "tea"})
    probe_called(MARKER)  # forget earlier runs
    payload = ("{{ cycler.__init__.__globals__.__builtins__.__import__('bastion_attack_probe')"
               f".ran('{MARKER}hello') }}}}")
    call_view(code, "hello", args={"name": payload})
    return probe_called(MARKER + "hello")


def external_entity_upload(code: dict, tmp: Path) -> bool:
    """The posted document's entity names a local file, which is read into it (three elements
    here, where a file of secrets would be)."""
    pytest.importorskip("lxml")
    return call_view(code, "import_items", data=external_entity_document(tmp)) == {"items": 3}


def xpath_injection(code: dict, tmp: Path) -> bool:
    """The name closes the XPath string and adds a condition that is always true."""
    pytest.importorskip("lxml")
    assert call_view(code, "user", args={"name": "alice"}) == {"found": 1}
    return call_view(code, "user", args={"name": "nobody' or '1'='1"}) != {"found": 0}


@contextlib.contextmanager
def users_file(tmp: Path) -> Iterator[None]:
    """The example parses users.xml when it loads (moved to tmp by the sandbox)."""
    (tmp / "users.xml").write_text("<users><user><name>admin</name></user>"
                                   "<user><name>alice</name></user></users>", encoding="utf-8")
    yield


xpath_injection.around = users_file


def flask_path_traversal(code: dict, tmp: Path) -> bool:
    """Through the real Flask test client: `name=../secret.txt` out of the reports folder
    (`{tmp}/reports`); Flask's `send_from_directory` is the fix under test, so Flask runs here."""
    pytest.importorskip("flask")
    (tmp / "reports").mkdir()
    (tmp / "reports" / "q3.txt").write_text("quarter", encoding="utf-8")
    (tmp / "secret.txt").write_text(MARKER, encoding="utf-8")
    client = code["app"].test_client()
    assert client.get("/report", query_string={"name": "q3.txt"}).get_data() == b"quarter"
    answer = client.get("/report", query_string={"name": "../secret.txt"})
    return answer.status_code == 200 and MARKER.encode() in answer.get_data()


flask_path_traversal.real = frozenset({"flask"})


def _lets_origin_read(headers, origin: str) -> bool:
    """What a browser checks before it lets a page on `origin` read a response sent with the
    user's cookies: the response names that origin (not `*`) and allows credentials."""
    return (headers.get("access-control-allow-origin") == origin
            and headers.get("access-control-allow-credentials") == "true")


def cors_flask(code: dict, tmp: Path) -> bool:
    """A script on evil.example asks the app's account endpoint for the victim's data, with the
    victim's cookies; the answer's CORS headers decide whether the browser lets the script read it."""
    pytest.importorskip("flask_cors")
    app = code["app"]
    app.add_url_rule("/account", "account", lambda: {"email": "victim@example.com"})
    client = app.test_client()
    trusted = "https://app.example.com"
    assert _lets_origin_read(client.get("/account", headers={"Origin": trusted}).headers, trusted)
    answer = client.get("/account", headers={"Origin": "https://evil.example", "Cookie": "session=s"})
    return _lets_origin_read(answer.headers, "https://evil.example")


cors_flask.real = frozenset({"flask"})


def cors_fastapi(code: dict, tmp: Path) -> bool:
    """The same request to a FastAPI app, through Starlette's test client."""
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient
    app = code["app"]
    app.get("/account")(lambda: {"email": "victim@example.com"})
    client = TestClient(app)
    trusted = "https://dashboard.example.com"
    assert _lets_origin_read(client.get("/account", headers={"Origin": trusted, "Cookie": "s=1"}).headers,
                             trusted)
    answer = client.get("/account", headers={"Origin": "https://evil.example", "Cookie": "session=s"})
    return _lets_origin_read(answer.headers, "https://evil.example")


PEOPLE = ("alice", "bob", "carol")


def ldap_wildcard(code: dict, tmp: Path) -> bool:
    """`uid=*` counts every account; the directory is ldap3's in-process one (MOCK_SYNC, put in
    place of the example's server by the sandbox), which parses and evaluates the filter."""
    ldap3 = pytest.importorskip("ldap3")
    directory = ldap3.Connection(code["DIRECTORY"], client_strategy=ldap3.MOCK_SYNC)
    for uid in PEOPLE:
        directory.strategy.add_entry(f"uid={uid},ou=people,dc=example,dc=com",
                                     {"uid": uid, "objectClass": ["inetOrgPerson"]})
    assert call_view(code, "people", args={"uid": "alice"}) == {"count": 1}
    return call_view(code, "people", args={"uid": "*"}) == {"count": len(PEOPLE)}


@contextlib.contextmanager
def quiet_ldap3(tmp: Path) -> Iterator[None]:
    """ldap3 2.9.1 (2021) imports names pyasn1 0.6 deprecates: imported once here, without the
    warnings, before the example imports it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with contextlib.suppress(ImportError):
            import ldap3  # noqa: F401
    yield


ldap_wildcard.around = quiet_ldap3


def mongo_operator_login(code: dict, tmp: Path) -> bool:
    """The body's password `{"$ne": null}` is an operator, not a password. The database is
    mongomock's in-process one (put in place of pymongo's client by the sandbox), which evaluates
    MongoDB's query operators. The account holds the password as each example's schema stores
    it: in clear for the vulnerable query, hashed for the fixed one."""
    pytest.importorskip("mongomock")
    from werkzeug.security import generate_password_hash
    code["users"].insert_one({"name": "admin", "password": "correct horse",
                              "password_hash": generate_password_hash("correct horse")})
    assert "id" in call_view(code, "login", json={"name": "admin", "password": "correct horse"})
    assert call_view(code, "login", json={"name": "admin", "password": "wrong"}) == 401
    return call_view(code, "login", json={"name": "admin", "password": {"$ne": None}}) != 401
