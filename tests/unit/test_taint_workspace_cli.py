"""`bastion check` with workspace summaries: a real process on a copy of the Flask fixture
(tests/fixtures/taint_workspace/flask_app), through the result cache and worker processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "tests" / "fixtures" / "taint_workspace" / "flask_app"


def check(cwd: Path, cache: Path, *args: str) -> dict:
    env = {**os.environ, "NO_COLOR": "1", "BASTION_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "bastion", "check", *args, "."],
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env,
                          timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def taint(report: dict, path: str) -> dict[int, dict]:
    return {r["line"]: r for r in report["results"]
            if r["path"] == path and r["rule_id"].startswith("BST2")}


def test_check_reports_across_files_and_a_helper_edit_invalidates_the_cache(tmp_path):
    app, cache = tmp_path / "app", tmp_path / "cache"
    shutil.copytree(APP, app)
    db = (app / "shop" / "db.py").resolve()
    cold = check(app, cache, "--output-format", "json")
    found = taint(cold, "shop/views.py")
    assert sorted(found) == [18, 29, 34, 45, 55, 65]
    assert found[18]["rule_id"] == "BST204"
    assert found[18]["steps"][-1] == {"line": 14, "column": 5,
                                      "message": "reaches `cursor.execute`", "path": str(db)}
    warm = check(app, cache, "--output-format", "json")
    assert taint(warm, "shop/views.py") == found

    db.write_text(db.read_text().replace("cursor.execute(sql)",
                                         "cursor.execute(\"SELECT 1 WHERE ? = 1\", (sql,))"))
    edited = check(app, cache, "--output-format", "json")
    assert sorted(taint(edited, "shop/views.py")) == [45, 55]


def test_sarif_code_flow_locates_the_step_in_the_other_file(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(APP, app)
    sarif = check(app, tmp_path / "cache", "--output-format", "sarif", "--no-cache")
    result = next(r for r in sarif["runs"][0]["results"]
                  if r["ruleId"] == "BST204"
                  and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 18)
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    uris = [s["location"]["physicalLocation"]["artifactLocation"]["uri"] for s in steps]
    assert uris[0].endswith("shop/views.py") and uris[-1].endswith("shop/db.py")
    assert steps[-1]["location"]["physicalLocation"]["region"]["startLine"] == 14


def test_worker_processes_give_the_same_results(tmp_path):
    """Enough files for the scan to fork workers: each finds the summaries itself."""
    app = tmp_path / "app"
    shutil.copytree(APP, app)
    views = (app / "shop" / "views.py").read_text()
    for n in range(30):
        (app / "shop" / f"views_{n}.py").write_text(views)
    report = check(app, tmp_path / "cache", "--output-format", "json", "--jobs", "2", "--no-cache")
    expected = {line: r["message"] for line, r in taint(report, "shop/views.py").items()}
    assert sorted(expected) == [18, 29, 34, 45, 55, 65]
    for n in range(30):
        copy = {line: r["message"] for line, r in taint(report, f"shop/views_{n}.py").items()}
        assert copy == expected
