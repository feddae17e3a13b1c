"""Hostile baselines: a repository or a careless user hands `bastion check` a baseline that is not
a regular file, is huge, deeply nested or has values of the wrong type or range. Each is a
clear `file: problem` and exit 2, never a traceback (exit 1 means "findings"), never a hang and
never unbounded memory. The children run under a 2 GiB address-space limit, so that a reader
that swallows /dev/zero fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.baseline import (
    DEFAULT_NAME,
    MAX_BYTES,
    MAX_ENTRIES,
    BaselineError,
    Entry,
    dumps,
    load_baseline,
    parse_baseline,
)

ROOT = Path(__file__).resolve().parents[2]
APP = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
GOOD = {"path": "app.py", "line": 5, "rule": "B602", "message": "shell",
        "fingerprint": "0123456789abcdef0123456789abcdef:0"}
ADDRESS_SPACE = 2 * 1024 ** 3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def bastion(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "BASTION_NO_CACHE": "1",
           "PYTHONPATH": str(ROOT / "server")}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=timeout,
                          preexec_fn=_limit_memory)


def project(tmp_path: Path, baseline_setting: str | None = None) -> Path:
    tool = f'\n[tool.bastion]\nbaseline = "{baseline_setting}"\n' if baseline_setting else ""
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "t"\n{tool}', encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def write(path: Path, doc) -> Path:
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def assert_clear_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


# ---- the reproducers of issue 11 ---------------------------------------------------------------

def test_line_1e999_is_exit_2_not_a_traceback(tmp_path):
    project(tmp_path)
    file = tmp_path / DEFAULT_NAME
    file.write_text('{"version": 1, "findings": [{"path": "app.py", "line": 1e999, "rule": '
                    '"B602", "fingerprint": "0123456789abcdef0123456789abcdef:0"}]}')
    assert_clear_error(bastion("check", ".", cwd=tmp_path), f"{file}: findings[0].line")


def test_deep_nesting_is_exit_2_not_a_traceback(tmp_path):
    project(tmp_path)
    file = tmp_path / DEFAULT_NAME
    file.write_text('{"findings": [' + "[" * 100_000 + "]" * 100_000 + "]}")
    assert_clear_error(bastion("check", ".", cwd=tmp_path), f"{file}: ", "nested too deeply")


def test_baseline_over_the_size_cap_is_refused_unread(tmp_path):
    project(tmp_path)
    file = tmp_path / DEFAULT_NAME
    entry = json.dumps(GOOD)
    with open(file, "w", encoding="utf-8") as out:  # valid JSON, 174 MB as in the issue
        out.write('{"version": 1, "findings": [' + entry)
        chunk = ("," + entry) * 10_000
        while out.tell() < 174 * 1024 * 1024:
            out.write(chunk)
        out.write("]}")
    proc = bastion("check", ".", cwd=tmp_path)
    assert_clear_error(proc, f"{file}: ", "too large")


def test_baseline_option_on_a_fifo_does_not_hang(tmp_path):
    project(tmp_path)
    os.mkfifo(tmp_path / "fifo.json")
    proc = bastion("check", "--baseline", "fifo.json", ".", cwd=tmp_path)
    assert_clear_error(proc, "fifo.json", "not a regular file (FIFO)")


def test_pyproject_baseline_on_a_fifo_does_not_hang(tmp_path):
    project(tmp_path, "fifo.json")
    os.mkfifo(tmp_path / "fifo.json")
    assert_clear_error(bastion("check", ".", cwd=tmp_path), "fifo.json",
                       "not a regular file (FIFO)")
    assert_clear_error(bastion("baseline", "update", cwd=tmp_path), "fifo.json",
                       "not a regular file (FIFO)")


def test_pyproject_baseline_dev_zero_is_refused_before_reading(tmp_path):
    project(tmp_path, "/dev/zero")
    proc = bastion("check", ".", cwd=tmp_path)
    assert_clear_error(proc, "/dev/zero", "not a regular file (character device)")


# ---- the schema --------------------------------------------------------------------------------

def _doc(**changes) -> dict:
    return {"version": 1, "tool": "bastion", "root": ".", "findings": [{**GOOD, **changes}]}


@pytest.mark.parametrize(("doc", "problem"), [
    (_doc(line="15"), "findings[0].line must be an integer"),
    (_doc(line=True), "findings[0].line must be an integer"),
    (_doc(line=-1), "findings[0].line must be an integer"),
    (_doc(line=10 ** 30), "findings[0].line must be an integer"),
    (_doc(path="/etc/passwd"), "findings[0].path must be"),
    (_doc(path="../outside.py"), "findings[0].path must be"),
    (_doc(path="a\x1b[31m.py"), "findings[0].path must be"),
    (_doc(path=""), "findings[0].path must be"),
    (_doc(path=["app.py"]), "findings[0].path must be"),
    (_doc(path="a/" * 3000 + "b.py"), "findings[0].path must be"),
    (_doc(rule="B" * 100), "findings[0].rule must be"),
    (_doc(rule=602), "findings[0].rule must be"),
    (_doc(fingerprint="x"), "findings[0].fingerprint must be"),
    (_doc(fingerprint={"a": 1}), "findings[0].fingerprint must be"),
    (_doc(message=["a"]), "findings[0].message must be"),
    (_doc(message="m" * 100_000), "findings[0].message must be"),
    ({"version": 1, "findings": [GOOD], "root": 7}, '"root" must be'),
    ({"version": 1, "findings": [GOOD], "root": "x" * 10_000}, '"root" must be'),
    ({"version": "1", "findings": [GOOD]}, "version"),
    ({"version": 1, "tool": "other", "findings": [GOOD]}, '"tool"'),
    ({"version": 1, "findings": {"a": GOOD}}, '"findings" list'),
    ({"version": 1, "findings": [GOOD, 3]}, "findings[1] must be an object"),
    ([GOOD], '"findings" list'),
    ('{"version": 1, "findings": [], "x": NaN}', "not valid JSON"),
    (_doc(line=1.5), "findings[0].line must be an integer"),
    (_doc(line=int("9" * 30)), "findings[0].line must be an integer"),
])
def test_invalid_content_names_the_file_and_the_field(tmp_path, doc, problem):
    file = write(tmp_path / DEFAULT_NAME, doc)
    with pytest.raises(BaselineError) as caught:
        load_baseline(file)
    message = str(caught.value)
    assert message.startswith(f"{file}: "), message
    assert problem in message, message
    assert "\x1b" not in message and len(message) < 500, message


def test_too_many_entries_is_refused_without_building_them(tmp_path):
    findings = ",".join(['{"path":"a.py","rule":"B602","fingerprint":"'
                         '0123456789abcdef0123456789abcdef:0"}'] * (MAX_ENTRIES + 1))
    with pytest.raises(BaselineError, match=f"more than {MAX_ENTRIES} findings"):
        parse_baseline('{"version": 1, "findings": [' + findings + "]}", tmp_path / "b.json")


def test_a_baseline_at_the_entry_limit_loads(tmp_path):
    entries = [Entry(f"src/m{i % 500}.py", "B602", f"{i:032x}:0", i % 1000 + 1, "shell")
               for i in range(MAX_ENTRIES)]
    file = tmp_path / DEFAULT_NAME
    file.write_text(dumps(entries), encoding="utf-8")
    assert file.stat().st_size <= MAX_BYTES
    assert len(load_baseline(file)) == MAX_ENTRIES


def test_create_writes_what_it_can_read_back(tmp_path):
    """A finding whose message is longer than the schema allows is stored shortened, so that
    `baseline create` never writes a file that `bastion check` then refuses."""
    project(tmp_path)
    secret = "x" * 5000
    (tmp_path / "app.py").write_text(APP + f'\npassword = "{secret}"\n', encoding="utf-8")
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    stored = json.loads((tmp_path / DEFAULT_NAME).read_text(encoding="utf-8"))["findings"]
    assert {e["rule"] for e in stored} == {"B404", "B602", "B105"}
    proc = bastion("check", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_create_into_an_impossible_place_is_exit_2(tmp_path):
    project(tmp_path)
    proc = bastion("baseline", "create", "-o", "app.py/baseline.json", cwd=tmp_path)
    assert_clear_error(proc, "app.py/baseline.json", "cannot write the baseline")


def test_update_writes_a_new_file_not_through_a_planted_one(tmp_path):
    """The temporary file is created anew: a symbolic link planted where it used to be made
    (`.NAME.PID.tmp`) is never followed, and the baseline itself is replaced, not its target."""
    project(tmp_path)
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    for pid in range(os.getpid(), os.getpid() + 200):
        os.symlink(victim, tmp_path / f".{DEFAULT_NAME}.{pid}.tmp")
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    proc = bastion("baseline", "update", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "keep me\n"
    assert json.loads((tmp_path / DEFAULT_NAME).read_text())["findings"] == []
