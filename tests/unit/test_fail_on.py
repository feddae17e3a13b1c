"""Risk tolerance: `--fail-on` by severity and confidence, the documented exit statuses, and the
GitHub Actions annotation format.

Each sample file holds one finding of a known severity/confidence; every threshold is checked
against a reference rule (fail when severity >= S and confidence >= C).
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from bastion.cli.gate import FailOn, GateError, parse_fail_on
from bastion.model import Level
from bastion.report.github import annotation, escape_data, escape_property

ROOT = Path(__file__).resolve().parents[2]
LEVELS = ("low", "medium", "high")

# One finding each: (file body, rule, severity, confidence)
SAMPLES = {
    "shell": ("import subprocess  # nosec B404\nsubprocess.call(cmd, shell=True)\n",
              "B602", "high", "high"),
    "bind": ('HOST = "0.0.0.0"\n', "B104", "medium", "medium"),
    "sql": ("q = \"SELECT * FROM t WHERE a = '%s'\" % x\n", "B608", "medium", "low"),
    "password": ('password = "hunter2"\n', "B105", "low", "medium"),
    "rand": ("import random\nrandom.random()\n", "B311", "low", "high"),
}


def bastion(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=180)


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fail-on")
    (root / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    # (no file may be named like a stdlib module: `python -m` puts the folder on sys.path)
    for name, (body, *_rest) in SAMPLES.items():
        (root / f"{name}.py").write_text(body, encoding="utf-8")
    return root


def test_samples_have_the_expected_levels(samples):
    import json

    proc = bastion("check", "--format", "json", cwd=samples)
    found = {(r["path"], r["rule_id"], r["severity"], r["confidence"])
             for r in json.loads(proc.stdout)["results"]}
    assert found == {(f"{name}.py", rule, sev, conf)
                     for name, (_, rule, sev, conf) in SAMPLES.items()}


def _expected(sample: str, severity: str, confidence: str) -> int:
    _, _, sev, conf = SAMPLES[sample]
    return int(Level.parse(sev) >= Level.parse(severity)
               and Level.parse(conf) >= Level.parse(confidence))


def run_in_process(*args: str) -> int:
    from bastion.cli.main import main

    return main(list(args))


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_every_threshold_combination(samples, sample, monkeypatch, capsys):
    monkeypatch.chdir(samples)
    monkeypatch.setenv("NO_COLOR", "1")
    for severity, confidence in itertools.product(LEVELS, LEVELS):
        want = _expected(sample, severity, confidence)
        combined = run_in_process("check", f"{sample}.py", "--fail-on", f"{severity}/{confidence}")
        out = capsys.readouterr().out
        assert combined == want, (severity, confidence, out)
        assert SAMPLES[sample][1] in out  # the report is the same whatever the threshold
        split = run_in_process("check", f"{sample}.py", "--fail-on", severity,
                               "--fail-on-confidence", confidence)
        capsys.readouterr()
        assert split == want, (severity, confidence)


def test_whole_project_thresholds(samples):
    cases = {
        ("low", None): 1, ("medium", None): 1, ("high", None): 1,
        ("high", "high"): 1, ("medium/high", None): 1,
        ("never", None): 0, ("never", "high"): 0,
        ("HIGH/Medium", None): 1,
    }
    for (fail_on, confidence), want in cases.items():
        args = ["check", "--fail-on", fail_on] + (
            ["--fail-on-confidence", confidence] if confidence else [])
        assert bastion(*args, cwd=samples).returncode == want, (fail_on, confidence)
    # only the low-severity samples: --fail-on medium passes
    assert bastion("check", "password.py", "rand.py", "--fail-on", "medium",
                   cwd=samples).returncode == 0
    assert bastion("check", "password.py", "rand.py", cwd=samples).returncode == 1


@pytest.mark.parametrize("args, message", [
    (("--fail-on", "critical"), "invalid value 'critical'"),
    (("--fail-on", "high/extreme"), "invalid value"),
    (("--fail-on", "high/medium/low"), "invalid value"),
    (("--fail-on-confidence", "sure"), "invalid choice"),
    (("--fail-on", "high/medium", "--fail-on-confidence", "high"), "disagree"),
])
def test_bad_thresholds_are_usage_errors(samples, args, message):
    proc = bastion("check", *args, cwd=samples)
    assert proc.returncode == 2
    assert message in proc.stderr, proc.stderr


def test_config_and_path_errors_are_exit_2(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.bastion\n", encoding="utf-8")
    assert bastion("check", cwd=tmp_path).returncode == 2
    assert bastion("check", "missing.py", cwd=tmp_path).returncode == 2


def test_clean_project_is_exit_0(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (tmp_path / "ok.py").write_text("print('hello')\n", encoding="utf-8")
    assert bastion("check", cwd=tmp_path).returncode == 0


def test_help_documents_exit_statuses_and_options(tmp_path):
    text = bastion("check", "--help", cwd=tmp_path).stdout
    for needle in ("exit status:", "0  no reported finding", "1  at least one reported finding",
                   "2  usage, configuration, baseline or git error", "--fail-on-confidence",
                   "--diff-base REF", "--baseline FILE", "--no-baseline", "github"):
        assert needle in text, needle
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for needle in ("| 0 |", "| 1 |", "| 2 |", "--fail-on-confidence", "--fail-on high/medium",
                   "github/codeql-action/upload-sarif", "bastion check --format sarif -o "
                   "bastion.sarif", "gitlab", "bastion baseline create", "pre-commit"):
        assert needle.lower() in docs.lower(), needle


def test_fail_on_parsing_unit():
    assert parse_fail_on(" High ") == "high"
    assert parse_fail_on("high/LOW") == "high/low"
    assert FailOn.from_args("high/medium", None) == FailOn(Level.HIGH, Level.MEDIUM)
    assert FailOn.from_args("medium", "high") == FailOn(Level.MEDIUM, Level.HIGH)
    assert FailOn.from_args("never", "high").severity is None
    with pytest.raises(GateError):
        FailOn.from_args("high/low", "medium")


# ---- --format github ---------------------------------------------------------------------------

ANNOTATION = re.compile(
    r"^::(?P<cmd>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>[A-Z]+\d+)::(?P<msg>.+)$")


def test_github_annotations(samples):
    proc = bastion("check", "--format", "github", cwd=samples)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    annotations = [ANNOTATION.match(line) for line in lines[:-1]]
    assert all(annotations), lines
    by_rule = {m["title"]: m for m in annotations}
    assert set(by_rule) == {rule for _, rule, _, _ in SAMPLES.values()}
    shell = by_rule["B602"]
    where = (shell["cmd"], shell["file"], shell["line"], shell["col"])
    assert where == ("error", "shell.py", "2", "1")
    assert by_rule["B104"]["cmd"] == "warning" and by_rule["B311"]["cmd"] == "notice"
    assert "%0AFix: " in shell["msg"] and "severity high, confidence high" in shell["msg"]
    assert "\x1b[" not in proc.stdout  # no colour codes in CI logs
    assert lines[-1].startswith("Bastion: 5 issues (1 high, 2 medium, 2 low)")


def test_github_escaping_cannot_inject_commands():
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x,y:z") == "x%2Cy%3Az"
    line = annotation("error", "bad\n::warning::injected", file="a,b.py", line=1, title="B1")
    assert line == "::error file=a%2Cb.py,line=1,title=B1::bad%0A::warning::injected"
    assert "\n" not in line


def test_github_format_reports_unreadable_files(tmp_path):
    from bastion.report.github import write_github
    from bastion.report.results import CheckResults

    results = CheckResults(errors=[("bad.py", "skipped: binary file")])
    out = StringIO()
    write_github(results, out)
    first, summary = out.getvalue().splitlines()
    assert first == "::warning file=bad.py,title=bastion::skipped: binary file"
    assert summary.startswith("Bastion: 0 issues")
