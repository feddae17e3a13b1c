"""Lesson attacks on parsers, loaders, files and processes (for tests/unit/test_lesson_attacks.py):
SQL injection against sqlite in memory, YAML and settings files that call a function, XML
entities, a program planted earlier on PATH, a secret in a log record, permission bits, a JWT
without a signature, a tar member escaping its folder, a shell command that only echoes, errors a
handler silences (a logout that leaves the session, a blocklist entry dropped), a cached value whose
length field decides what the loader allocates, a session cookie that is a pickle, an XML-RPC
answer declaring an entity. An attack returns whether it worked."""

from __future__ import annotations

import base64
import contextlib
import errno
import io
import ipaddress
import json
import logging
import os
import sqlite3
import struct
import subprocess
import tarfile
import tracemalloc
import types
from pathlib import Path

import pytest
from tests.unit.lesson_tls_attacks import _plain_environment
from tests.unit.lesson_web import MARKER, loopback_http, probe_called, probe_pickle


def sql_injection(code: dict, tmp: Path) -> bool:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT, email TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'admin', 'admin@example.com')")
    return code["find_user"](conn, "nobody@example.com' OR '1'='1") is not None


def yaml_text_code_execution(code: dict, tmp: Path) -> bool:
    pytest.importorskip("yaml")
    try:
        return code["read_pipeline"]("!!python/object/apply:builtins.sum [[40, 2]]\n") == 42
    except Exception:
        return False


def settings_code_execution(code: dict, tmp: Path) -> bool:
    path = tmp / "settings.conf"
    path.write_text("ANSWER = sum([40, 2])\n", encoding="utf-8")
    try:
        return code["load_settings"](path).get("ANSWER") == 42  # the file's code ran
    except ValueError:
        return False


def entity_expansion(function: str, kind: str, body: str, entity: str, expanded):
    """The document declares an entity and uses it: a parser that expands it is open to billion
    laughs and quadratic blowup (a bomb is this, nested); `defusedxml` refuses the declaration.
    `expanded(result)` says whether the entity's text or markup reached the result."""
    def attack(code: dict, tmp: Path) -> bool:
        defusedxml = pytest.importorskip("defusedxml")
        text = f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY m "{entity}">]>\n{body}\n'
        if kind == "path":
            (tmp / "doc.xml").write_text(text, encoding="utf-8")
            argument = str(tmp / "doc.xml")
        elif kind == "stream":
            argument = io.BytesIO(text.encode())
        else:
            argument = text if kind == "str" else text.encode()
        try:
            result = code[function](argument)
            if isinstance(result, types.GeneratorType):
                result = list(result)
        except defusedxml.DefusedXmlException:  # any other error is a broken example: loud
            return False
        return bool(expanded(result))
    return attack


def program_from_path(program: str, call):
    """The attacker drops an executable named `program` in a folder they can write that comes
    first on PATH; `call(code, tmp)` runs the example's function."""
    def attack(code: dict, tmp: Path) -> bool:
        if os.name != "posix":
            pytest.skip("POSIX executables")
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        fake = bin_dir / program
        fake.write_text(f"#!/bin/sh\necho {MARKER} > '{tmp / 'ran'}'\necho 0000\n", encoding="utf-8")
        fake.chmod(0o700)
        saved = os.environ["PATH"]
        os.environ["PATH"] = str(bin_dir)  # the attacker controls an earlier PATH entry
        try:
            call(code, tmp)
        except (OSError, subprocess.CalledProcessError):
            pass
        finally:
            os.environ["PATH"] = saved
        return (tmp / "ran").exists()
    return attack


def backup_of(code: dict, tmp: Path) -> None:
    config = tmp / "app.conf"
    config.write_text("debug = false\n", encoding="utf-8")
    code["backup_config"](str(config))


def secret_in_log(code: dict, tmp: Path) -> bool:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        code["login"]("alice", MARKER)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return any(MARKER in record.getMessage() for record in records)


def world_writable(function: str):
    def attack(code: dict, tmp: Path) -> bool:
        if os.name != "posix":
            pytest.skip("POSIX permission bits")
        path = tmp / "hook"
        path.write_text("#!/bin/sh\n", encoding="utf-8")
        code[function](str(path))
        return bool(path.stat().st_mode & 0o002)
    return attack


def jwt_none(code: dict, tmp: Path) -> bool:
    """The issuer's side: a token with no signature can be rewritten by whoever holds one."""
    jwt = pytest.importorskip("jwt")
    issue = code["issue_token"]
    issued = issue("alice") if issue.__code__.co_argcount == 1 else issue("alice", "k" * 32)
    forged = jwt.encode({"sub": "admin"}, None, algorithm="none")
    read = code.get("read_claims")
    if read is not None:
        try:
            if read(forged, "k" * 32)["sub"] == "admin":
                return True
        except jwt.InvalidTokenError:
            pass
    return jwt.get_unverified_header(issued).get("alg") == "none"  # its tokens bind nothing


def yaml_code_execution(code: dict, tmp: Path) -> bool:
    pytest.importorskip("yaml")
    path = tmp / "pipeline.yml"
    path.write_text("!!python/object/apply:builtins.sum [[40, 2]]\n", encoding="utf-8")
    try:
        return code["load_pipeline"](str(path)) == 42  # a function ran, chosen by the document
    except Exception:
        return False


def _escaping_tar(tmp: Path) -> Path:
    archive = tmp / "theme.tar"
    with tarfile.open(archive, "w") as tar:
        data = MARKER.encode()
        member = tarfile.TarInfo("../escaped.txt")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    return archive


def tar_traversal(function: str):
    def attack(code: dict, tmp: Path) -> bool:
        if not hasattr(tarfile, "data_filter"):
            pytest.skip("this Python predates tarfile extraction filters")
        dest = tmp / "dest"
        dest.mkdir()
        try:
            code[function](str(_escaping_tar(tmp)), str(dest))
        except tarfile.TarError:
            pass
        return (tmp / "escaped.txt").exists()
    return attack


def shell_injection(function: str, payload: str):
    def attack(code: dict, tmp: Path) -> bool:
        if os.name != "posix":
            pytest.skip("POSIX shell")
        try:
            output = code[function](payload)
        except (ValueError, OSError):
            return False
        return MARKER in output
    return attack


def world_readable_key(code: dict, tmp: Path) -> bool:
    if os.name != "posix":
        pytest.skip("POSIX permission bits")
    path = tmp / "key.pem"
    code["save_private_key"](str(path), b"-----BEGIN PRIVATE KEY-----")
    return bool(path.stat().st_mode & 0o077)


def has_marker(result) -> bool:
    return MARKER in repr(result)


def surviving_session(code: dict, tmp: Path) -> bool:
    """The lesson's story: the session folder changed owner, so removing the file is refused. The
    refusal is the operating system's `PermissionError`, raised here in its place because the
    tests may run as root, whom permission bits do not stop. The attack works when the logout
    returns as if done while the stolen session's file is still there."""
    session = tmp / "sessions" / "stolen"
    session.parent.mkdir()
    session.write_text(MARKER, encoding="utf-8")

    def refused(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    code["os"] = types.SimpleNamespace(remove=refused)
    try:
        code["revoke_session"](str(session))
    except PermissionError:
        return False  # the logout fails visibly: the session can be revoked by other means
    return session.exists()


def dropped_block(code: dict, tmp: Path) -> bool:
    """The operator's entry `203.0.113.7/24` has host bits set; the attacker at 203.0.113.7 is
    not blocked while the list loaded as if complete."""
    try:
        networks = code["load_blocklist"](["198.51.100.0/24", "203.0.113.7/24"])
    except ValueError:
        return False  # the load fails closed and names the line
    return not any(ipaddress.ip_address("203.0.113.7") in network for network in networks)


def allocation_by_length_field(code: dict, tmp: Path) -> bool:
    """B302: five bytes in the shared cache, a tuple header claiming 2**24 items, make the loader
    allocate what the header says (128 MiB here; 2**31 asks for 16 GiB) before it finds the data
    missing. A data-only parser's allocation follows the input's size."""
    code["cache"].set("scores:7", b"(" + struct.pack("<i", 2**24))
    tracemalloc.start()
    try:
        code["get_cached_scores"](7)
    except (EOFError, ValueError, MemoryError):
        pass  # the request fails either way: the attack is what it cost
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak > 2**26


def pickled_cookie(code: dict, tmp: Path) -> bool:
    """B403: the session cookie is a pickle whose loading calls a function of the attacker's
    choosing."""
    probe_called(MARKER)  # forget earlier runs
    cookie = base64.urlsafe_b64encode(probe_pickle(MARKER + "cookie")).decode()
    with contextlib.suppress(ValueError):  # not JSON: refused
        code["load_session"](cookie)
    return probe_called(MARKER + "cookie")


_RESPONSE = f"""<?xml version="1.0"?>
<!DOCTYPE methodResponse [<!ENTITY m "{MARKER}">]>
<methodResponse><params><param><value><array><data>
<value><int>7</int></value><value><string>Printer on fire</string></value><value><string>ops</string></value>
<value><struct><member><name>status</name><value><string>&m;</string></value></member></struct></value>
</data></array></value></param></params></methodResponse>
"""


def xmlrpc_entity(code: dict, tmp: Path, server: tuple[int, list[str]]) -> bool:
    """B411: the tracker (moved to the loopback) answers with an entity of its own; its JSON-RPC
    answer is the same ticket, in a format without entities. The fixed example must read it."""
    with _plain_environment():
        status = code["ticket_status"](7)
    assert status in (MARKER, "&m;", "open"), status
    return status == MARKER


xmlrpc_entity.around = lambda tmp: loopback_http({
    "/xmlrpc": _RESPONSE.encode(),
    "/jsonrpc": json.dumps({"result": [7, "Printer on fire", "ops", {"status": "open"}]}).encode()})
xmlrpc_entity.real = frozenset({"requests"})
