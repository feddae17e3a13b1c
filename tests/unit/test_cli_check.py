"""`bastion check` as a user runs it: a real process on examples/vulnerable-app and tmp projects.

Output format, exit codes (0 clean, 1 findings at/above --fail-on, 2 usage/config error),
config errors that name file and line, unreadable files skipped with a clear line, and the same
findings as the engine gives in process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "examples/vulnerable-app"
PKG = f"{EXAMPLE}/src/shopfront"

# What is planted in the example (bandit ids only; Bastion's own BST rules may add more).
PLANTED = {
    (f"{PKG}/auth.py", "B105", 6), (f"{PKG}/auth.py", "B324", 15),
    (f"{PKG}/config.py", "B105", 5), (f"{PKG}/config.py", "B107", 9),
    (f"{PKG}/db.py", "B403", 3), (f"{PKG}/db.py", "B608", 11), (f"{PKG}/db.py", "B301", 16),
    (f"{PKG}/db.py", "B506", 20), (f"{PKG}/db.py", "B306", 24),
    (f"{PKG}/web.py", "B404", 3), (f"{PKG}/web.py", "B113", 23),
    (f"{PKG}/web.py", "B501", 23), (f"{PKG}/web.py", "B201", 28), (f"{PKG}/web.py", "B104", 28),
}
BANDIT_ID = re.compile(r"^B\d+$")
FINDING_LINE = re.compile(
    r"^(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<rule>B[A-Z]*\d+) "
    r"(?P<severity>low|medium|high)/(?P<confidence>low|medium|high) (?P<message>\S.*)$")
HINT_LINE = re.compile(r"^    hint: \S.*  \(bastion explain (?P<rule>B[A-Z]*\d+)\)$")
SUMMARY = re.compile(
    r"^Found (?P<total>\d+) issues? "
    r"\((?P<high>\d+) high, (?P<medium>\d+) medium, (?P<low>\d+) low\) "
    r"in (?P<with>\d+) of (?P<files>\d+) files; (?P<suppressed>\d+) suppressed; "
    r"(?P<lines>\d+) lines in \d+\.\d\ds\.")


def bastion(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=120)


def project(tmp_path: Path, files: dict[str, str | bytes], pyproject: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(pyproject or '[project]\nname = "t"\n',
                                             encoding="utf-8")
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def text_run() -> subprocess.CompletedProcess:
    return bastion("check", EXAMPLE)


@pytest.fixture(scope="module")
def json_run() -> dict:
    proc = bastion("check", "--format", "json", EXAMPLE)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


# ---- the example project, text ------------------------------------------------------------------

def test_text_report_lines_hints_and_summary(text_run):
    assert text_run.returncode == 1, text_run.stderr
    # the example declares dependencies and the shipped advisory index is dated: one hint, no more
    assert [line for line in text_run.stderr.splitlines()
            if not line.startswith("bastion: hint: The advisory index is")] == []
    lines = text_run.stdout.rstrip("\n").split("\n")
    findings, previous = [], None
    for line in lines[:-2]:
        if (m := FINDING_LINE.match(line)) is not None:
            findings.append(m)
            previous = m
        elif (h := HINT_LINE.match(line)) is not None:
            assert previous is not None and h["rule"] == previous["rule"], line
        else:
            pytest.fail(f"unexpected line in the text report: {line!r}")
    assert lines[-2] == ""
    summary = SUMMARY.match(lines[-1])
    assert summary, lines[-1]

    reported = {(m["path"], m["rule"], int(m["line"])) for m in findings}
    assert {r for r in reported if BANDIT_ID.match(r[1])} == PLANTED
    # The URL's order id reaches the shell: the taint finding (with its path) replaces B602.
    assert (f"{PKG}/web.py", "BST202", 15) in reported
    assert int(summary["total"]) == len(findings)
    assert int(summary["high"]) + int(summary["medium"]) + int(summary["low"]) == len(findings)
    assert sum(1 for m in findings if m["severity"] == "high") == int(summary["high"])
    assert int(summary["files"]) == 7  # 4 modules + __init__ + the test + pyproject.toml
    assert int(summary["suppressed"]) >= 1  # the `# nosec B324` in auth.py
    # a lesson hint follows findings whose rule the catalog knows
    assert any(HINT_LINE.match(line) for line in lines)


def test_text_column_is_code_points_after_non_ascii(text_run):
    line = (ROOT / PKG / "auth.py").read_text(encoding="utf-8").split("\n")[14]
    col = line.index("hashlib.md5") + 1  # str indexes are code points
    assert f"{PKG}/auth.py:15:{col}: B324 high/high " in text_run.stdout
    assert col == 36


def test_per_path_ignores_and_nosec(json_run):
    ids_in_tests = [r["rule_id"] for r in json_run["results"] if "/tests/" in r["path"]]
    assert "B101" not in ids_in_tests  # per_path_ignores = { "tests/*" = ["B101"] }
    suppressed = [(r["path"], r["rule_id"], r["line"]) for r in json_run["suppressed"]]
    assert (f"{PKG}/auth.py", "B324", 21) in suppressed
    nosec = next(r for r in json_run["suppressed"] if r["line"] == 21)
    assert nosec["suppressed_by"] == {"kind": "nosec", "line": 21, "comment": "# nosec B324",
                                     "reason": None, "until": None}


def test_json_report_matches_text(json_run, text_run):
    results = json_run["results"]
    assert {(r["path"], r["rule_id"], r["line"]) for r in results
            if BANDIT_ID.match(r["rule_id"])} == PLANTED
    text = {(m["path"], m["rule"], int(m["line"]), int(m["col"]), m["severity"], m["confidence"],
             m["message"]) for m in map(FINDING_LINE.match, text_run.stdout.split("\n")) if m}
    as_json = {(r["path"], r["rule_id"], r["line"], r["column"], r["severity"], r["confidence"],
                r["message"]) for r in results}
    assert text == as_json
    summary = json_run["summary"]
    assert summary["files"] == 7  # pyproject.toml is read too (secrets)
    assert summary["high"] + summary["medium"] + summary["low"] == len(results)
    assert json_run["errors"] == []
    for r in results:
        assert r["source"] and r["name"], r
        assert (r["end_line"], r["end_column"]) >= (r["line"], r["column"]), r


def test_same_findings_as_the_engine(json_run):
    from bastion.config import config_for_path
    from bastion.engine.registry import create_engine

    engine = create_engine()
    by_file: dict[str, set] = {}
    for r in json_run["results"]:
        by_file.setdefault(r["path"], set()).add(
            (r["rule_id"], r["line"], r["column"], r["end_line"], r["end_column"]))
    assert {f"{PKG}/{m}.py" for m in ("auth", "config", "db", "web")} <= set(by_file)
    for path in sorted((ROOT / EXAMPLE).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        config, _ = config_for_path(path)
        analysis = engine.analyse(path.read_text(encoding="utf-8"), str(path), config)
        mine = {(f.rule_id, f.span.start_line + 1, f.span.start_col + 1, f.span.end_line + 1,
                 f.span.end_col + 1) for f in analysis.findings}
        assert mine == by_file.get(rel, set()), rel


# ---- exit codes ---------------------------------------------------------------------------------

def test_fail_on_threshold(tmp_path):
    proj = project(tmp_path, {"app.py": "import subprocess\n\nsubprocess.run(['ls', '-l'])\n"})
    default = bastion("check", ".", cwd=proj)
    assert default.returncode == 1, default.stdout + default.stderr
    assert "B404 low/high" in default.stdout  # only low findings
    severities = {m["severity"] for m in map(FINDING_LINE.match, default.stdout.split("\n")) if m}
    assert severities == {"low"}, default.stdout
    for level in ("medium", "high", "never"):
        proc = bastion("check", "--fail-on", level, ".", cwd=proj)
        assert proc.returncode == 0, (level, proc.stdout, proc.stderr)
        assert "B404" in proc.stdout  # still reported, just not failing
    assert bastion("check", "--fail-on", "low", ".", cwd=proj).returncode == 1


def test_clean_project_exits_zero(tmp_path):
    proj = project(tmp_path, {"ok.py": "def add(a, b):\n    return a + b\n"})
    proc = bastion("check", ".", cwd=proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert SUMMARY.match(proc.stdout.strip().split("\n")[-1]), proc.stdout
    # the module and pyproject.toml (read for secrets)
    assert proc.stdout.startswith("Found 0 issues (0 high, 0 medium, 0 low) in 0 of 2 files")


def test_broken_pyproject_names_file_and_line(tmp_path):
    proj = project(tmp_path, {"app.py": "import pickle\n"},
                   pyproject='[project]\nname = "t"\n\n[tool.bastion]\nseverity = "low\n')
    proc = bastion("check", ".", cwd=proj)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert f"{proj / 'pyproject.toml'}:5: invalid TOML" in proc.stderr, proc.stderr


def test_invalid_setting_names_file_and_line(tmp_path):
    proj = project(tmp_path, {"app.py": "import pickle\n"},
                   pyproject='[project]\nname = "t"\n\n[tool.bastion]\nignore = ["B1"]\n'
                             'severity = "critical"\n')
    proc = bastion("check", ".", cwd=proj)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{proj / 'pyproject.toml'}:6:" in proc.stderr, proc.stderr
    assert "severity" in proc.stderr


def test_unknown_path_is_a_usage_error(tmp_path):
    proc = bastion("check", str(tmp_path / "no-such-dir"))
    assert proc.returncode == 2
    assert "no-such-dir: no such file or folder" in proc.stderr


def test_explicit_file_of_no_known_kind_is_skipped_with_one_line(tmp_path):
    """A README named on the command line is not read as Python (which would list every line
    that does not parse); a script without a suffix and a stub still are."""
    proj = project(tmp_path, {"README.md": "# Shop\n\nRun `make` and open the app.\n",
                              "deploy": "import pickle\npickle.loads(data)\n",
                              "api.pyi": "import pickle\n"})
    proc = bastion("check", "--output-format", "json", "README.md", "deploy", "api.pyi", cwd=proj)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.count("README.md: skipped, not a file Bastion reads") == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    assert {(f["path"], f["rule_id"]) for f in report["results"]} >= {
        ("deploy", "B301"), ("deploy", "B403"), ("api.pyi", "B403")}
    assert [f["path"] for f in report["files"]] == ["deploy", "api.pyi"]


def test_unknown_option_is_a_usage_error():
    proc = bastion("check", "--format", "xml", EXAMPLE)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


# ---- files that cannot be read as Python text ---------------------------------------------------

def test_a_file_with_several_broken_regions_counts_once(tmp_path):
    proj = project(tmp_path, {"two.py": "import os\ndef a(:\n    pass\nx = 1\n\n\ndef b(:\n    pass\n"})
    out = bastion("check", ".", cwd=proj).stdout
    assert out.count("two.py: error: lines") == 2, out
    assert "1 file(s) could not be analysed" in out


def test_non_utf8_and_binary_files_are_skipped_rest_analysed(tmp_path):
    proj = project(tmp_path, {
        "good.py": "import pickle\n\n\ndef load(b):\n    return pickle.loads(b)\n",
        "latin1.py": b"# caf\xe9 cr\xe8me\nimport pickle\n",            # no coding cookie
        "declared.py": b"# -*- coding: latin-1 -*-\n# caf\xe9\nimport pickle\n",
        "blob.py": b"\x00\x01\x02PK\x03\x04 not python at all\x00",
    })
    proc = bastion("check", ".", cwd=proj)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert re.search(r"^latin1\.py: error: skipped: not valid text in its declared encoding",
                     out, re.M), out
    assert re.search(r"^blob\.py: error: skipped: binary file \(contains NUL bytes\)$",
                     out, re.M), out
    assert "good.py:5:12: B301 medium/high" in out
    assert "declared.py:3:1: B403" in out  # a PEP 263 cookie is honoured
    assert "2 file(s) could not be analysed" in out
    as_json = json.loads(bastion("check", "--format", "json", ".", cwd=proj).stdout)
    assert sorted(e["path"] for e in as_json["errors"]) == ["blob.py", "latin1.py"]
    assert all(e["message"].startswith("skipped: ") for e in as_json["errors"])
    assert {r["path"] for r in as_json["results"]} == {"good.py", "declared.py"}


# ---- habits: hints once per rule, --no-hints ----------------------------------------------------

def test_text_hint_once_per_rule(text_run):
    hinted = [h["rule"] for h in map(HINT_LINE.match, text_run.stdout.split("\n")) if h]
    found = [m["rule"] for m in map(FINDING_LINE.match, text_run.stdout.split("\n")) if m]
    assert "B105" in hinted and found.count("B105") == 2  # two findings, one hint
    assert sorted(hinted) == sorted(set(hinted))


def test_no_hints_prints_findings_only(text_run):
    proc = bastion("check", "--no-hints", EXAMPLE)
    assert proc.returncode == 1, proc.stderr
    assert not any(HINT_LINE.match(line) for line in proc.stdout.split("\n"))
    # the same report without the hint lines (the summary's time aside)
    assert [line for line in text_run.stdout.split("\n") if not HINT_LINE.match(line)][:-2] == \
        proc.stdout.split("\n")[:-2]
