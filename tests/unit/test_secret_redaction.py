"""No secret on screen (issue 13): a planted password never leaves Bastion in clear.

Bandit's B105/B106/B107 messages quote the literal they found; every output (text, JSON, SARIF,
GitHub annotations, baseline files, the result cache on disk) must show only its redacted form.
The editor side (diagnostics, hover, code actions, log messages) is in tests/lsp.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.model import Finding, Level, Span
from bastion.model.redact import redact_message, redacted

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7-planted-Secret-91x"
SOURCE = (f'DB_PASSWORD = "{SECRET}"\n\n\ndef connect(user, password="{SECRET}"):\n'
          f'    return user, password\n\n\nconnect("app", password="{SECRET}")\n')
SHOWN = "[redacted: 22 characters, Z...x]"


def test_redacted_form_is_length_and_ends_only():
    assert redacted(SECRET) == SHOWN
    assert redacted("hunter2") == "[redacted: 7 characters]"  # short: no ends given away
    assert redacted("") == "[redacted: 0 characters]"


def test_message_redaction_is_idempotent_and_leaves_others_alone():
    once = redact_message(f"Possible hardcoded password: '{SECRET}'")
    assert once == f"Possible hardcoded password: {SHOWN}"
    assert redact_message(once) == once
    assert redact_message("Possible hardcoded password: 'it's-a-Secret'").endswith(
        "[redacted: 13 characters, i...t]")
    other = "subprocess call with shell=True identified, security issue."
    assert redact_message(other) == other


def test_every_finding_holds_the_redacted_message():
    finding = Finding("B105", "hardcoded_password_string", Level.LOW, Level.MEDIUM, 259,
                      f"Possible hardcoded password: '{SECRET}'", Span(0, 0, 0, 5))
    assert SECRET not in repr(finding) and finding.message.endswith(SHOWN)
    assert SECRET not in repr(finding.shifted(3))


def _bastion(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "BASTION_CACHE_DIR": str(cache), "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, timeout=180)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    (root / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (root / "app.py").write_text(SOURCE, encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_output_never_shows_the_secret(planted, fmt, tmp_path):
    result = _bastion("check", "--format", fmt, "app.py", cwd=planted, cache=tmp_path / "cache")
    assert result.returncode == 1, result.stderr
    for code in ("B105", "B106", "B107"):
        assert code in result.stdout
    assert SHOWN in result.stdout
    assert SECRET not in result.stdout + result.stderr
    cached = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert any(p.name.startswith("results-") for p in cached), "no result cache to check"
    for path in cached:
        assert SECRET.encode() not in path.read_bytes(), path


def test_baseline_file_never_holds_the_secret(planted, tmp_path):
    result = _bastion("baseline", "create", "app.py", cwd=planted, cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    baseline = [p for p in planted.rglob("*baseline*") if p.is_file()]
    assert baseline, list(planted.iterdir())
    text = "".join(p.read_text(encoding="utf-8") for p in baseline)
    assert SHOWN in text and SECRET not in text + result.stdout + result.stderr
