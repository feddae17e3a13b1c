"""Bastion in a real editor: headless Neovim 0.7+ (Debian's 0.7.2) and its built-in LSP client.

Runs tests/realclient/nvim_lsp_check.sh (a copy of the shared harness) against
`python -m bastion lsp` and checks what a Neovim user sees: pushed diagnostics (0.7.2 cannot
pull), their code, line, column, severity and source, the "learn more" code action (Neovim shows
no codeDescription link), the hover, and client settings in initializationOptions.

Position encoding: Neovim 0.7.2 advertises neither `general.positionEncodings` (LSP 3.17) nor
`offsetEncoding` (the clangd extension), so the client (`client.offset_encoding`) and the server
(pygls' fallback) both use UTF-16. vim.diagnostic stores *byte* columns in the buffer, converted
from the server's UTF-16 positions; the harness prints those, 1-based. A line with an emoji before
a finding tells the three encodings apart: if the server sent code points, Neovim would put the
diagnostic one character early.

Without `nvim` these tests skip locally and FAIL when the environment variable CI is set, so CI
can never pass by skipping the real-editor check silently. The one exception: the set-up tried
and could not install Neovim (no root, apt's lock held, …) and recorded why in .tools/unavailable;
then they skip with that reason, which scripts/test-all.sh repeats in its summary.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.realclient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HARNESS = HERE / "nvim_lsp_check.sh"
SERVER = [sys.executable, "-m", "bastion", "lsp"]

PLANTED = """\
import hashlib
import subprocess

import yaml

PASSWORD = "hunter2"


def run(cmd):
    return subprocess.call(cmd, shell=True)


def load(text):
    return yaml.load(text)


def fingerprint(data):
    return hashlib.md5(data).hexdigest()
"""
# (code, line, col, severity) as Neovim shows them; columns 1-based
EXPECTED = {
    ("B404", 2, 1, "Information"),
    ("B105", 6, 12, "Information"),
    ("B602", 10, 12, "Error"),
    ("B506", 14, 12, "Warning"),
    ("B324", 18, 12, "Error"),
}

NON_ASCII = """\
import hashlib

# Prüfsumme — 校验和 ✔
def token(user):
    label = "Grüße 日本 🔑"; digest = hashlib.md5((label + user).encode()).hexdigest()
    return digest
"""


def setup_could_not_install(tool: str) -> str | None:
    """The reason scripts/setup.sh recorded for not installing `tool` (.tools/unavailable)."""
    record = Path(os.environ.get("BASTION_UNAVAILABLE_FILE") or ROOT / ".tools" / "unavailable")
    try:
        lines = record.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((line.split("\t", 1)[1] for line in lines if line.startswith(tool + "\t")), None)


@pytest.fixture(scope="module")
def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        message = ("nvim (Neovim 0.7+) is not installed: run .ci/run, or `apt-get install -y "
                   "neovim`, to run the real-editor tests")
        if reason := setup_could_not_install("neovim"):
            pytest.skip(f"{message}; the set-up could not install it: {reason}")
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(message)
    return found


def run_harness(file: Path, *options: str, timeout: int = 60) -> tuple[int, list[dict], str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(["bash", str(HARNESS), "--file", str(file), "--timeout", str(timeout),
                           *options, "--", *SERVER],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=timeout + 60)
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    return proc.returncode, rows, proc.stderr


def kind(rows: list[dict], name: str) -> list[dict]:
    return [r for r in rows if r["kind"] == name]


def write(tmp_path: Path, name: str, text: str) -> Path:
    # a pyproject.toml in the workspace keeps settings from folders above out of the test
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "ws"\n', encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_neovim_advertises_no_position_encoding(nvim, tmp_path):
    """What makes both sides fall back to UTF-16 (checked on the installed Neovim)."""
    out = tmp_path / "caps.json"
    lua = ("local c = vim.lsp.protocol.make_client_capabilities() "
           "local f = io.open(os.getenv('CAPS_OUT'), 'w') "
           "f:write(vim.json.encode({general = c.general or vim.NIL, "
           "offsetEncoding = c.offsetEncoding or vim.NIL, "
           "pull = (c.textDocument.diagnostic ~= nil), "
           "version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)})) "
           "f:close()")
    subprocess.run([nvim, "--headless", "--clean", "-c", f"lua {lua}", "-c", "qall!"],
                   env={**os.environ, "CAPS_OUT": str(out)}, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=60, check=True)
    caps = json.loads(out.read_text())
    major, minor = map(int, caps["version"].split("."))
    assert (major, minor) >= (0, 7), caps
    encodings = ((caps["general"] or {}).get("positionEncodings")) or caps["offsetEncoding"]
    if (major, minor) < (0, 10):
        assert encodings is None, caps  # no choice offered: UTF-16 on both sides
        assert caps["pull"] is False, caps  # and no pull diagnostics: the server must push


def test_diagnostics_pushed_to_neovim(nvim, tmp_path):
    path = write(tmp_path, "planted.py", PLANTED)
    rc, rows, stderr = run_harness(path, "--min-diagnostics", str(len(EXPECTED)))
    assert rc == 0, (rows, stderr)
    server = kind(rows, "server")[0]
    assert server["name"] == "bastion" and server["client"].startswith("neovim 0."), server
    diagnostics = kind(rows, "diagnostic")
    seen = {(d["code"], d["line"], d["col"], d["severity"]) for d in diagnostics}
    assert EXPECTED <= seen, diagnostics
    assert {d["code"] for d in diagnostics if d["code"].startswith("B") and
            d["code"][1:].isdigit()} == {c for c, *_ in EXPECTED}
    for d in diagnostics:
        assert d["source"] == "bastion", d
        assert d["message"], d
    b602 = next(d for d in diagnostics if d["code"] == "B602")
    assert (b602["end_line"], b602["end_col"]) == (10, 12 + len("subprocess.call(cmd, shell=True)"))
    # Neovim has no codeDescription link: "learn more" must be a code action
    actions = {a["code"]: a["titles"] for a in kind(rows, "code_actions")}
    for code, *_ in EXPECTED:
        assert any("Learn more" in t and code in t for t in actions.get(code, [])), actions
    assert any(t.startswith("Suppress B602") for t in actions["B602"]), actions
    summary = kind(rows, "summary")[0]
    assert summary["publishes"] >= 1 and summary["exit"] == 0, summary


def test_hover_shows_rule_title(nvim, tmp_path):
    from bastion.catalog.index import load_catalog

    spec = load_catalog().get("B324")
    assert spec is not None, "the rule catalog lost B324"
    path = write(tmp_path, "planted.py", PLANTED)
    rc, rows, stderr = run_harness(path, "--no-code-actions", "--min-diagnostics",
                                   str(len(EXPECTED)), "--hover", "18:20")
    assert rc == 0, (rows, stderr)
    hover = kind(rows, "hover")[0]
    assert hover["error"] is None, hover
    assert hover["text"] and spec.title in hover["text"], hover
    assert "B324" in hover["text"]


def test_column_after_non_ascii_text(nvim, tmp_path):
    path = write(tmp_path, "unicode.py", NON_ASCII)
    line_no = 5
    line = NON_ASCII.split("\n")[line_no - 1]
    prefix = line.split("hashlib.md5(")[0]
    byte_col = len(prefix.encode("utf-8")) + 1        # what Neovim shows (buffer bytes)
    code_point_col = len(prefix) + 1                  # what Bastion computes
    utf16_col = len(prefix.encode("utf-16-le")) // 2 + 1  # what goes over the wire
    assert len({byte_col, code_point_col, utf16_col}) == 3
    call = "hashlib.md5((label + user).encode())"
    end_byte_col = byte_col + len(call)               # the call itself is ASCII

    rc, rows, stderr = run_harness(path, "--no-code-actions", "--min-diagnostics", "1",
                                   "--hover", f"{line_no}:{byte_col + 3}")
    assert rc == 0, (rows, stderr)
    b324 = [d for d in kind(rows, "diagnostic") if d["code"] == "B324"]
    assert len(b324) == 1, rows
    assert (b324[0]["line"], b324[0]["col"]) == (line_no, byte_col), b324
    assert (b324[0]["end_line"], b324[0]["end_col"]) == (line_no, end_byte_col), b324
    # and back: a hover on the call, sent as UTF-16 by Neovim, finds the finding
    hover = kind(rows, "hover")[0]
    assert hover["text"] and "B324" in hover["text"], hover


# Neovim 0.7.2 sends code-action context diagnostics with byte columns (diagnostic_vim_to_lsp
# does not convert back to UTF-16): the server must still recognise the finding.
def test_suppress_action_after_non_ascii_text(nvim, tmp_path):
    path = write(tmp_path, "unicode.py", NON_ASCII)
    rc, rows, stderr = run_harness(path, "--min-diagnostics", "1")
    assert rc == 0, (rows, stderr)
    actions = {a["code"]: a["titles"] for a in kind(rows, "code_actions")}
    assert any(t.startswith("Suppress B324") for t in actions.get("B324", [])), actions


def test_settings_from_initialization_options(nvim, tmp_path):
    """Client settings (camelCase) in initializationOptions override defaults and pyproject.toml.

    Neovim 0.7.2 does not advertise `workspace.configuration` and sends no
    didChangeConfiguration by itself (nvim-lspconfig does, from on_init), so with a bare
    `vim.lsp.start_client` the settings travel in `init_options = { settings = {...} }`.
    """
    path = write(tmp_path, "planted.py", PLANTED)
    options = {"settings": {"ignore": ["B404", "B1"], "severityMap": {"high": "hint"}}}
    rc, rows, stderr = run_harness(path, "--no-code-actions", "--init-options",
                                   json.dumps(options), "--min-diagnostics", "3")
    assert rc == 0, (rows, stderr)
    assert not kind(rows, "show_message"), rows  # valid settings: no complaint
    diagnostics = {(d["code"], d["line"], d["severity"]) for d in kind(rows, "diagnostic")}
    assert diagnostics >= {("B602", 10, "Hint"), ("B506", 14, "Warning"), ("B324", 18, "Hint")}
    assert not {c for c, *_ in diagnostics} & {"B404", "B105"}, diagnostics


def test_invalid_settings_are_reported_to_the_user(nvim, tmp_path):
    path = write(tmp_path, "planted.py", PLANTED)
    options = {"settings": {"severity": "critical"}}
    rc, rows, stderr = run_harness(path, "--no-code-actions", "--init-options",
                                   json.dumps(options), "--min-diagnostics", str(len(EXPECTED)))
    assert rc == 0, (rows, stderr)
    messages = [m["message"] for m in kind(rows, "show_message")]
    assert any("severity" in m and "critical" in m for m in messages), rows
    # defaults are kept: every planted finding is still shown
    seen = {(d["code"], d["line"], d["col"], d["severity"]) for d in kind(rows, "diagnostic")}
    assert EXPECTED <= seen


FLASK_VIEW = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


def ping(host):
    return subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True).stdout


@app.route("/ping")
def ping_view():
    host = request.args.get("host", "localhost")
    return {"output": ping(host).decode()}
"""


def test_taint_message_and_path_in_neovim(nvim, tmp_path):
    """Request data reaching a shell through a helper of a Flask view: Neovim shows the taint
    finding's message (source, sink and the call that passed the data) at the sink, in place of
    bandit's B602 there, and its hover the path."""
    path = write(tmp_path, "views.py", FLASK_VIEW)
    rc, rows, stderr = run_harness(path, "--no-code-actions", "--min-diagnostics", "2",
                                   "--hover", "9:13")
    assert rc == 0, (rows, stderr)
    assert "B602" not in [d["code"] for d in kind(rows, "diagnostic")]
    [taint] = [d for d in kind(rows, "diagnostic") if d["code"] == "BST202"]
    assert taint["message"] == ("Request data (`request.args`, line 14) reaches `subprocess.run` "
                                "(through `ping`, called line 15): OS command injection")
    assert (taint["line"], taint["col"], taint["severity"]) == (9, 12, "Error"), taint
    assert taint["source"] == "bastion"
    hover = kind(rows, "hover")[0]
    assert hover["error"] is None, hover
    assert "**Path in your code**" in hover["text"], hover
    assert '- line 14: `host = request.args.get("host", "localhost")`' in hover["text"], hover
    assert "- line 9: `return subprocess.run(" in hover["text"], hover


def test_vulnerable_pin_in_requirements_shows_the_advisory_and_the_bump(nvim, tmp_path):
    path = write(tmp_path, "requirements.txt",
                 "flask==3.0.3\nrequests[socks]==2.19.0  # HTTP client\n")
    # Neovim's own filetype for the file; the bump is applied through vim.lsp.buf.code_action()
    rc, rows, stderr = run_harness(path, "--min-diagnostics", "1", "--language-id", "requirements",
                                   "--apply", "Upgrade requests to 2.31.0")
    assert rc == 0, (rows, stderr)
    (advisory,) = [d for d in kind(rows, "diagnostic") if d["code"] == "BST401"]
    assert (advisory["line"], advisory["col"]) == (2, 16), advisory
    assert "PYSEC-2018-28" in advisory["message"] and "2.31.0" in advisory["message"]
    actions = {a["code"]: a["titles"] for a in kind(rows, "code_actions")}
    assert any(t.startswith("Upgrade requests to 2.31.0") for t in actions["BST401"]), actions
    (applied,) = kind(rows, "applied")
    assert applied["changed"], applied
    assert applied["text"] == "flask==3.0.3\nrequests[socks]==2.31.0  # HTTP client\n", applied
    assert not [d for d in kind(rows, "diagnostic_after_apply") if d["code"] == "BST401"], rows
    (summary,) = kind(rows, "summary")  # a number: the diagnostics after the edit were read
    assert summary["diagnostics_after_apply"] == len(kind(rows, "diagnostic_after_apply")), summary
    assert path.read_text(encoding="utf-8").startswith("flask==3.0.3\nrequests[socks]==2.19.0")


def test_planted_key_in_dotenv_is_shown_redacted_only(nvim, tmp_path):
    key = "AKIAQ7TB4MZ2WLX6RN3D"  # made up, in the AWS format
    path = write(tmp_path, ".env", f"# planted for the test\nAWS_ACCESS_KEY_ID={key}\n")
    log = tmp_path / "lsp.log"
    # Neovim's own filetype for .env is sh
    rc, rows, stderr = run_harness(path, "--min-diagnostics", "1", "--language-id", "sh",
                                   "--hover", "2:19", "--log", str(log))
    assert rc == 0, (rows, stderr)
    (secret,) = [d for d in kind(rows, "diagnostic") if d["code"] == "BST301"]
    assert (secret["line"], secret["col"]) == (2, 19), secret
    assert "[redacted: 20 characters" in secret["message"], secret
    (hover,) = kind(rows, "hover")
    assert hover["text"] and "BST301" in hover["text"], hover
    # what Neovim was sent and showed, and its LSP log, which holds the server's stderr
    logged = log.read_text(encoding="utf-8", errors="replace")
    for shown in (json.dumps(rows), stderr, logged):
        assert key not in shown
    assert "Fatal Python error" not in logged  # the server's exit (lsp/transport.py)
