"""Each lesson's attack, run offline and harmlessly: it succeeds on `vulnerable`, fails on `fixed`.

Issue 13 item 2. An attack here is the lesson's own story reduced to a harmless marker: an SQL
injection against an in-memory sqlite database, a tar member escaping a temporary folder, a
shell command that only echoes, YAML that calls `sum`. Lessons not listed in ATTACKS have no
offline attack yet (web frameworks, cloud SDKs, network services or timing); see the issue note.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
import tarfile
import types
from pathlib import Path

import pytest

from bastion.catalog.loader import load_rule_files
from bastion.catalog.paths import rules_dir

BY_ID = {spec.id: spec for spec in load_rule_files(rules_dir())[0]}
MARKER = "BASTION_ATTACK_MARKER"


def _module(rule_id: str, which: str) -> dict:
    name = f"lesson_{rule_id}_{which}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        code = getattr(BY_ID[rule_id].lesson, which)
        exec(compile(code, f"<{name}>", "exec"), module.__dict__)  # noqa: S102 - lesson examples
    finally:
        del sys.modules[name]
    return module.__dict__


def sql_injection(code: dict, tmp: Path) -> bool:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT, email TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'admin', 'admin@example.com')")
    return code["find_user"](conn, "nobody@example.com' OR '1'='1") is not None


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


ATTACKS = {
    "B608": sql_injection,
    "B506": yaml_code_execution,
    "B202": tar_traversal("unpack_theme"),
    "BST111": tar_traversal("install_plugin"),
    "B602": shell_injection("ping", f"-h; echo {MARKER}"),
    "B605": shell_injection("resolve", f"-h; echo {MARKER}"),
    "B103": world_readable_key,
}


@pytest.mark.parametrize("rule_id", sorted(ATTACKS))
def test_attack_succeeds_on_vulnerable(rule_id, tmp_path):
    assert ATTACKS[rule_id](_module(rule_id, "vulnerable"), tmp_path), \
        f"{rule_id}: the lesson's attack does not work on its vulnerable example"


@pytest.mark.parametrize("rule_id", sorted(ATTACKS))
def test_attack_fails_on_fixed(rule_id, tmp_path):
    assert not ATTACKS[rule_id](_module(rule_id, "fixed"), tmp_path), \
        f"{rule_id}: the lesson's attack still works on its fixed example"
