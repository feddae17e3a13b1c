"""Whole modules as taint cases: each line that must report ends with `# BST2xx` (the rule), and
no other line may report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
ROOT = Path(__file__).resolve().parents[2]


def marked_and_found(source: str) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """(the marked (line, rule) pairs, the reported ones); lines count from 0, as findings do."""
    expected = {(i, m.group(1)) for i, line in enumerate(source.splitlines())
                if (m := re.search(r"# (BST2\d\d)$", line))}
    found = {(f.line, f.rule_id) for f in ANALYZER.analyse_file(source, "case.py")}
    return expected, found


def assert_marked(source: str) -> None:
    """Some line is marked, and the marked lines are exactly those reported."""
    expected, found = marked_and_found(source)
    assert expected and found == expected


def editor_found(source: str, name: str) -> set[tuple[int, str]]:
    """The taint findings (line, rule) the editor's engine reports for `source` as file `name`."""
    from bastion.config import Config
    from bastion.engine.registry import create_engine

    findings = create_engine().analyse(source, name, Config()).findings
    return {(f.line, f.rule_id) for f in findings if f.rule_id.startswith("BST2")}


def checked(apps: dict[str, str], folder: Path) -> list[dict]:
    """The taint results of `bastion check --no-cache --format json` on `apps` (file name ->
    source) written into `folder`."""
    for name, source in apps.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(source, encoding="utf-8")
    return [r for r in check_results(folder) if r["rule_id"].startswith("BST2")]


def check_results(folder: Path) -> list[dict]:
    """Every result of `bastion check --no-cache --format json` run in `folder`."""
    env = {**os.environ, "NO_COLOR": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "bastion", "check", "--no-cache", "--format", "json",
                           "."], capture_output=True, text=True, encoding="utf-8", cwd=folder,
                          env=env, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["results"]


# The CWE each taint rule reports (rules/bastion/BST2xx.toml).
RULE_CWE = {"BST201": 22, "BST202": 78, "BST203": 79, "BST204": 89, "BST205": 90, "BST206": 95,
            "BST207": 117, "BST208": 501, "BST209": 502, "BST210": 601, "BST211": 611, "BST212": 643,
            "BST213": 918, "BST214": 1336, "BST215": 1333, "BST216": 943, "BST217": 88}


def assert_edit_reaches(tainted: str, constant: str, rule: str) -> None:
    """The functions are cached (as in the editor): editing `tainted` into `constant`, and back,
    changes what the module reports (`rule` on one line, then nothing), both ways."""
    analyzer = TaintAnalyzer()
    for _ in range(2):
        assert [f.rule_id for f in analyzer.analyse_file(tainted, "tool.py")] == [rule]
        assert analyzer.analyse_file(constant, "tool.py") == []


def assert_checked_apps(apps: dict[str, str], folder: Path) -> None:
    """`bastion check` over `apps` (file path -> source, in subfolders as named) reports exactly
    their marked lines, each with its rule and CWE."""
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"])
             for r in checked(apps, folder)}
    assert found == expected_checked(apps, RULE_CWE)


def expected_checked(apps: dict[str, str], cwe: dict[str, int]) -> set[tuple[str, int, str, int]]:
    """The (file, 1-based line, rule, CWE) results the marked lines of `apps` must give."""
    return {(name, line + 1, rule, cwe[rule]) for name, source in apps.items()
            for line, rule in marked_and_found(source)[0]}


def store_found(apps: dict[str, str], folder: Path) -> dict[str, tuple[set, set]]:
    """For each marked file of `apps` (file name -> source) written into `folder`: (its marked
    (line, rule) pairs, what the editor's analysis reports once its workspace store prepared
    the file), the files prepared and analysed in turn."""
    from bastion.analyzers.taint.workspace import SummaryStore

    for name, source in apps.items():
        (folder / name).write_text(source, encoding="utf-8")
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(folder)], analyzer.models, analyzer.version, False)
    seen = {}
    for name, source in apps.items():
        if "# BST" in source:
            path = str(folder / name)
            analyzer.workspace.prepare(source, path)
            found = {(f.line, f.rule_id) for f in analyzer.analyse_file(source, path)}
            seen[name] = (marked_and_found(source)[0], found)
    return seen


def assert_checked_and_stored(apps: dict[str, str], folder: Path, cwe: dict[str, int]) -> None:
    """`bastion check` on `apps` written into `folder` (made with its packages' folders)
    reports exactly their marked lines, with the rules' CWEs; so does the editor's store."""
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"])
             for r in checked(apps, folder)}
    assert found == expected_checked(apps, cwe)
    store = store_found(apps, folder)
    assert {name: pair[0] for name, pair in store.items()} == {name: pair[1] for name, pair in store.items()}
