"""Scanned text cannot drive the terminal or the CI log: a string literal, a file name or a
comment with a line break, an ESC sequence or a bidi override is printed escaped in the text
and GitHub formats, and SARIF artifact URIs are percent-encoded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from tests.unit.test_safe_reader import bastion

from bastion.report.escape import escape_control

# B105 quotes the literal in its message: the attack from the issue, plus terminal sequences.
FORGED = "x\\n::error file=README.md,line=1::forged\\x1b]0;pwned\\x07\\x1b[2J\\u202e\\u2028"
HOSTILE_NAME = "a\n::error::named\x1b[31m.py"
RAW = ("\x1b", "\x07", "\u202e", "\u2028")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n')
    (tmp_path / "app.py").write_text(f'password = "{FORGED}"\n')
    if sys.platform != "win32":
        (tmp_path / HOSTILE_NAME).write_text("eval(data)\nx = 1  # nosec B999\x1b[8m\n")
    return tmp_path


def _no_control(output: str) -> None:
    assert not any(ch in output for ch in RAW), repr(output)


def test_text_format_escapes_literals_paths_and_comments(tree):
    proc = bastion("check", "--no-cache", ".", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    _no_control(proc.stdout)
    lines = proc.stdout.splitlines()
    assert not [line for line in lines if line.startswith("::")], proc.stdout
    # B105 shows the hostile password literal redacted: its last character still escaped
    assert any("[redacted: 55 characters, x...\\u2028]" in line for line in lines), proc.stdout
    assert "forged" not in proc.stdout
    if sys.platform != "win32":
        assert any(line.startswith("a\\x0a::error::named\\x1b[31m.py:1:1: B307") for line in lines)


def test_github_format_lines_are_only_bastions_commands(tree):
    proc = bastion("check", "--no-cache", "--format", "github", ".", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    _no_control(proc.stdout)
    lines = proc.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert all(line.split("::")[1].split(" ")[0] in ("error", "warning", "notice")
               for line in commands), proc.stdout
    assert len(commands) == len(lines) - 1 and lines[-1].startswith("Bastion: ")
    assert not any("file=README.md" in line.split("::")[1] for line in commands)
    if sys.platform != "win32":
        # the name's `:` and `,` are escaped in the property, its line break in the data sense
        assert any("file=a\\x0a%3A%3Aerror%3A%3Anamed\\x1b[31m.py," in line for line in commands)


def test_sarif_uris_are_percent_encoded_and_valid(tmp_path):
    from tests.unit.test_sarif_schema import _fetch_schema, _validate

    name = "sp ace%25#frag?q=é\n中.py"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n')
    (tmp_path / name).write_text("eval(data)\n")
    (tmp_path / "bin.py").write_bytes(b"\x00")  # an error notification, with its own URI
    proc = bastion("check", "--no-cache", "--format", "sarif", ".", cwd=tmp_path)
    document = json.loads(proc.stdout)
    _validate(document, json.loads(_fetch_schema().read_text(encoding="utf-8")))
    run = document["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"sp%20ace%2525%23frag%3Fq%3D%C3%A9%0A%E4%B8%AD.py"}
    assert {unquote(uri) for uri in uris} == {name}
    notified = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for n in notified] == ["bin.py"]


def test_sarif_paths_outside_the_folder_are_file_uris(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "a b.py").write_text("eval(data)\n")
    proc = bastion("check", "--no-cache", "--format", "sarif", str(tmp_path / "a b.py"),
                   cwd=tmp_path / "elsewhere")
    result = json.loads(proc.stdout)["runs"][0]["results"][0]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (tmp_path / "a b.py").as_uri() and "%20" in uri


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[31m", "\\x1b[31m"), ("\r\n\t\x00\x7f", "\\x0d\\x0a\\x09\\x00\\x7f"),
    ("\x85\x9b", "\\x85\\x9b"),  # C1: NEL, CSI
    ("\u2028\u2029", "\\u2028\\u2029"),
    ("\u202a\u202e\u2066\u2069\u200e\u200f\u061c", "\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c"),
    ("é 中 \\x1b", "é 中 \\x1b"),  # printable text and backslashes stay as they are
])
def test_escape_control(raw, shown):
    assert escape_control(raw) == shown
