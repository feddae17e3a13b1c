"""Baselines: `bastion baseline create|update` and `bastion check` with a baseline.

Round trip as a team adopts Bastion: create -> check passes -> a new vulnerable line fails
alone -> fixing an old finding and `update` shrinks the file. Also: the file's format (sorted,
relative paths, indent 2, trailing newline), moved and reformatted code staying matched,
`[tool.bastion] baseline`, errors (exit 2), and the pure functions the language server uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bastion.baseline import (
    DEFAULT_NAME,
    Baseline,
    BaselineError,
    Entry,
    apply_baseline,
    baseline_for_config,
    configured_path,
    fingerprints,
    load_baseline,
    parse_baseline,
    split_baselined,
)
from bastion.config import Config, ConfigError, build_config, load_pyproject, validate_layer
from bastion.engine.registry import create_engine

ROOT = Path(__file__).resolve().parents[2]

APP = """\
import subprocess


def deploy(target):
    subprocess.call("deploy " + target, shell=True)


def digest(data):
    import hashlib
    return hashlib.md5(data).hexdigest()
"""
UTIL = "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n"


def bastion(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=180)


def project(tmp_path: Path, files: dict[str, str], pyproject: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(pyproject or '[project]\nname = "t"\n',
                                             encoding="utf-8")
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return tmp_path


def reported(proc: subprocess.CompletedProcess) -> list[tuple[str, str]]:
    """(path, rule) of each finding in the JSON report."""
    return sorted((r["path"].replace(os.sep, "/"), r["rule_id"])
                  for r in json.loads(proc.stdout)["results"])


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# ---- the round trip -----------------------------------------------------------------------------

def test_round_trip_create_check_new_fix_update(tmp_path):
    project(tmp_path, {"src/app.py": APP, "src/util.py": UTIL})
    assert bastion("check", cwd=tmp_path).returncode == 1  # findings before the baseline

    created = bastion("baseline", "create", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert "5 findings in 2 files" in created.stderr, created.stderr
    baseline_file = tmp_path / DEFAULT_NAME
    assert len(read(baseline_file)["findings"]) == 5

    clean = bastion("check", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Found 0 issues" in clean.stdout
    assert "5 known findings in the baseline (.bastion-baseline.json) not reported" in clean.stderr

    # A new vulnerable line (and code moved around it) fails alone.
    (tmp_path / "src/app.py").write_text(
        '"""App."""\n\n' + APP + "\n\ndef run(expr):\n    return eval(expr)\n", encoding="utf-8")
    new = bastion("check", "--format", "json", cwd=tmp_path)
    assert new.returncode == 1
    assert reported(new) == [("src/app.py", "B307")]

    # Fix an old finding; update drops its entry and never adds the new one.
    fixed = APP.replace("hashlib.md5(data)", "hashlib.sha256(data)")
    (tmp_path / "src/app.py").write_text(
        fixed + "\n\ndef run(expr):\n    return eval(expr)\n", encoding="utf-8")
    updated = bastion("baseline", "update", cwd=tmp_path)
    assert updated.returncode == 0, updated.stderr
    assert "removed 1 entry" in updated.stderr and "4 remain" in updated.stderr
    entries = read(baseline_file)["findings"]
    assert len(entries) == 4
    assert {e["rule"] for e in entries} == {"B404", "B602", "B403", "B301"}
    still = bastion("check", "--format", "json", cwd=tmp_path)
    assert reported(still) == [("src/app.py", "B307")]  # update did not accept it

    again = bastion("baseline", "update", cwd=tmp_path)
    assert "removed 0 entries" in again.stderr and "nothing was fixed" in again.stderr
    assert len(read(baseline_file)["findings"]) == 4


def test_file_format_is_sorted_relative_and_diff_friendly(tmp_path):
    project(tmp_path, {"src/b.py": UTIL, "src/a.py": APP})
    assert bastion("baseline", "create", "src", cwd=tmp_path).returncode == 0
    text = (tmp_path / DEFAULT_NAME).read_text(encoding="utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '\n  "findings": [\n    {\n      "path": "src/a.py",' in text  # indent 2
    doc = json.loads(text)
    assert doc["version"] == 1 and doc["root"] == "."
    keys = [(e["path"], e["line"]) for e in doc["findings"]]
    assert keys == sorted(keys)
    for entry in doc["findings"]:
        assert list(entry) == ["path", "line", "rule", "message", "fingerprint"]
        assert not os.path.isabs(entry["path"]) and "\\" not in entry["path"]
    # the same code gives the same bytes
    first = text
    assert bastion("baseline", "create", "src", cwd=tmp_path).returncode == 0
    assert (tmp_path / DEFAULT_NAME).read_text(encoding="utf-8") == first


def test_moved_reindented_and_reformatted_code_stays_baselined(tmp_path):
    project(tmp_path, {"app.py": APP})
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    reformatted = (
        "# -*- coding: utf-8 -*-\n"
        '"""Moved things around."""\n'
        "import subprocess\n\n\n"
        "def digest(data):\n"
        "  import hashlib\n"
        "  return hashlib.md5( data ).hexdigest()  # legacy\n\n\n"
        "def deploy(target):\n"
        "  if target:\n"
        "    subprocess.call(\n"
        "        'deploy ' + target,\n"
        "        shell=True,\n"
        "    )\n")
    (tmp_path / "app.py").write_text(reformatted, encoding="utf-8")
    proc = bastion("check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "bastion baseline update" not in proc.stderr  # nothing looks fixed


def test_subfolder_check_and_file_arguments_find_the_project_baseline(tmp_path):
    project(tmp_path, {"src/app.py": APP, "src/util.py": UTIL})
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    assert bastion("check", "src/util.py", "src/app.py", cwd=tmp_path).returncode == 0
    assert bastion("check", ".", cwd=tmp_path / "src").returncode == 0
    assert bastion("check", "--no-baseline", "src/util.py", cwd=tmp_path).returncode == 1


def test_pyproject_baseline_setting_is_used_by_default(tmp_path):
    project(tmp_path, {"app.py": APP},
            pyproject='[project]\nname = "t"\n\n[tool.bastion]\nbaseline = "ci/known.json"\n')
    created = bastion("baseline", "create", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "ci/known.json").is_file() and not (tmp_path / DEFAULT_NAME).exists()
    doc = read(tmp_path / "ci/known.json")
    assert doc["root"] == ".." and doc["findings"][0]["path"] == "app.py"
    assert bastion("check", cwd=tmp_path).returncode == 0
    assert bastion("check", "--no-baseline", cwd=tmp_path).returncode == 1


def test_explicit_baseline_option_and_output_option(tmp_path):
    project(tmp_path, {"app.py": APP})
    assert bastion("baseline", "create", "-o", "elsewhere.json", cwd=tmp_path).returncode == 0
    assert not (tmp_path / DEFAULT_NAME).exists()
    assert bastion("check", cwd=tmp_path).returncode == 1  # not found by default
    assert bastion("check", "--baseline", "elsewhere.json", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("setup, args, message", [
    (None, ("--baseline", "missing.json"), "baseline file not found"),
    ("{not json", ("--baseline", "bad.json"), "not valid JSON"),
    ('{"findings": 3}', ("--baseline", "bad.json"), "not a Bastion baseline"),
    ('{"version": 9, "findings": []}', ("--baseline", "bad.json"), "format version 9"),
    (None, ("--baseline", "x.json", "--no-baseline"), "cannot be used together"),
])
def test_baseline_errors_exit_2(tmp_path, setup, args, message):
    project(tmp_path, {"app.py": APP})
    if setup is not None:
        (tmp_path / "bad.json").write_text(setup, encoding="utf-8")
    proc = bastion("check", *args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr, proc.stderr
    assert proc.stdout == ""  # stopped before analysing


def test_configured_but_missing_baseline_is_an_error(tmp_path):
    project(tmp_path, {"app.py": APP},
            pyproject='[project]\nname = "t"\n\n[tool.bastion]\nbaseline = "known.json"\n')
    proc = bastion("check", cwd=tmp_path)
    assert proc.returncode == 2
    assert "known.json: baseline file not found" in proc.stderr
    assert "bastion baseline create" in proc.stderr
    update = bastion("baseline", "update", cwd=tmp_path)
    assert update.returncode == 2 and "not found" in update.stderr


def test_update_keeps_entries_of_files_it_did_not_analyse(tmp_path):
    project(tmp_path, {"src/app.py": APP, "lib/util.py": UTIL})
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    (tmp_path / "src/app.py").write_text("x = 1\n", encoding="utf-8")  # all fixed
    proc = bastion("baseline", "update", "src", cwd=tmp_path)
    assert "removed 3 entries" in proc.stderr, proc.stderr
    assert {e["path"] for e in read(tmp_path / DEFAULT_NAME)["findings"]} == {"lib/util.py"}
    (tmp_path / "lib/util.py").unlink()  # a deleted file's entries go too
    proc = bastion("baseline", "update", cwd=tmp_path)
    assert "removed 2 entries" in proc.stderr and read(tmp_path / DEFAULT_NAME)["findings"] == []


def test_update_refreshes_lines_for_reviewers(tmp_path):
    project(tmp_path, {"util.py": UTIL})
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    (tmp_path / "util.py").write_text("# header\n# more\n" + UTIL, encoding="utf-8")
    assert bastion("baseline", "update", cwd=tmp_path).returncode == 0
    lines = {e["rule"]: e["line"] for e in read(tmp_path / DEFAULT_NAME)["findings"]}
    assert lines == {"B403": 3, "B301": 7}


def test_stale_entries_are_pointed_out(tmp_path):
    project(tmp_path, {"util.py": UTIL})
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    (tmp_path / "util.py").write_text("import pickle\n", encoding="utf-8")
    proc = bastion("check", cwd=tmp_path)
    assert proc.returncode == 0
    assert "1 baseline entry no longer match" in proc.stderr
    assert "bastion baseline update" in proc.stderr


def test_suppressed_findings_are_not_baselined(tmp_path):
    project(tmp_path, {"a.py": "import pickle  # nosec\npickle.loads(b)\n"})
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    assert [e["rule"] for e in read(tmp_path / DEFAULT_NAME)["findings"]] == ["B301"]


def test_baseline_without_subcommand_prints_usage(tmp_path):
    proc = bastion("baseline", cwd=tmp_path)
    assert proc.returncode == 2 and "create" in proc.stderr and "update" in proc.stderr
    assert "--allow-new" not in bastion("baseline", "update", "--help", cwd=tmp_path).stdout


# ---- in process: what the language server calls ----------------------------------------------

@pytest.fixture(scope="module")
def engine():
    return create_engine()


def _baseline_for(tmp_path: Path, text: str, engine, name: str = "app.py") -> Baseline:
    analysis = engine.analyse(text, str(tmp_path / name), Config(root=str(tmp_path)))
    prints = fingerprints(analysis.findings + analysis.suppressed, text)
    entries = [Entry(name, f.rule_id, prints[f], f.span.start_line + 1, f.message)
               for f in analysis.findings]
    return Baseline(tmp_path / DEFAULT_NAME, tmp_path, tuple(entries))


def test_apply_baseline_splits_new_and_known(tmp_path, engine):
    baseline = _baseline_for(tmp_path, APP, engine)
    text = APP + "\n\ndef run(expr):\n    return eval(expr)\n"
    analysis = engine.analyse(text, str(tmp_path / "app.py"), Config(root=str(tmp_path)))
    new, known = apply_baseline(analysis.findings, tmp_path / "app.py", baseline, text,
                                analysis.suppressed)
    assert [f.rule_id for f in new] == ["B307"]
    assert sorted(f.rule_id for f in known) == ["B324", "B404", "B602"]
    # another file, or no text, or no baseline: everything is new
    assert apply_baseline(analysis.findings, tmp_path / "other.py", baseline, text)[1] == ()
    assert apply_baseline(analysis.findings, tmp_path / "app.py", None, text)[1] == ()
    # the server's helper: an Analysis with only new findings, plus the baselined ones
    narrowed, hinted = split_baselined(analysis, str(tmp_path / "app.py"), text, baseline)
    assert [f.rule_id for f in narrowed.findings] == ["B307"] and len(hinted) == 3
    assert narrowed.suppressed == analysis.suppressed


def test_identical_findings_are_matched_one_for_one(tmp_path, engine):
    one = "import pickle\n\n\ndef f(a):\n    return pickle.loads(a)\n"
    baseline = _baseline_for(tmp_path, one, engine)
    two = one + "\n\ndef g(a):\n    pickle.loads(a)\n    pickle.loads(a)\n"
    analysis = engine.analyse(two, str(tmp_path / "app.py"), Config())
    new, known = apply_baseline(analysis.findings, tmp_path / "app.py", baseline, two)
    assert sorted(f.rule_id for f in known) == ["B301", "B403"]
    assert [f.rule_id for f in new] == ["B301", "B301"]


def test_loader_is_cached_by_mtime(tmp_path):
    file = tmp_path / DEFAULT_NAME
    file.write_text('{"version": 1, "root": ".", "findings": []}\n', encoding="utf-8")
    first = load_baseline(file)
    assert load_baseline(file) is first
    time.sleep(0.01)
    file.write_text('{"version": 1, "root": ".", "findings": [{"path": "a.py", "rule": "B1", '
                    '"fingerprint": "' + "a" * 32 + ':0"}]}\n', encoding="utf-8")
    os.utime(file, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    second = load_baseline(file)
    assert second is not first and len(second) == 1
    with pytest.raises(BaselineError):
        load_baseline(tmp_path / "missing.json")


def test_parse_baseline_root_is_relative_to_the_file(tmp_path):
    fingerprint = "f" * 32 + ":0"
    text = '{"version": 1, "root": "..", "findings": [{"path": "src/a.py", "rule": "B602", ' \
           f'"fingerprint": "{fingerprint}", "line": 3}}]}}'
    baseline = parse_baseline(text, tmp_path / "ci" / "b.json")
    assert baseline.root == tmp_path
    assert baseline.relative(tmp_path / "src" / "a.py") == "src/a.py"
    assert baseline.relative("/elsewhere/a.py") is None
    assert baseline.count("src/a.py", "B602", fingerprint) == 1


def test_server_finds_the_baseline_from_config(tmp_path):
    config = Config(root=str(tmp_path))
    assert baseline_for_config(config) is None
    (tmp_path / DEFAULT_NAME).write_text('{"version": 1, "root": ".", "findings": []}\n',
                                         encoding="utf-8")
    assert baseline_for_config(config) is not None
    assert configured_path(Config(root=str(tmp_path), baseline="")) == (None, True)
    assert configured_path(Config(root=str(tmp_path), baseline="ci/b.json"))[0] == \
        tmp_path / "ci" / "b.json"
    assert baseline_for_config(Config(root=str(tmp_path), baseline="nope.json")) is None


def test_config_keys(tmp_path):
    values, unknown = validate_layer({"baseline": "ci/b.json", "baseline_mode": "hide"})
    assert values == {"baseline": "ci/b.json", "baseline_mode": "hide"} and not unknown
    values, unknown = validate_layer({"baseline": "b.json", "baselineMode": "HINT"}, camel=True)
    assert values == {"baseline": "b.json", "baseline_mode": "hint"} and not unknown
    with pytest.raises(ConfigError, match="hint"):
        validate_layer({"baseline_mode": "show"})
    with pytest.raises(ConfigError, match="a string"):
        validate_layer({"baseline": 3})
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.bastion]\nbaseline = "b.json"\nbaseline_mode = "hide"\n',
                         encoding="utf-8")
    config = build_config(load_pyproject(pyproject).values, root=str(tmp_path))
    assert config.baseline == "b.json" and config.baseline_mode == "hide"
    assert Config().baseline is None and Config().baseline_mode == "hint"


def test_the_package_gives_each_name_it_lists_from_the_module_that_defines_it():
    """bastion/baseline/__init__.py imports its names when first asked for: each one it lists
    is its module's own object, and an unknown name is an AttributeError."""
    import importlib

    import bastion.baseline as package

    assert sorted(package._MODULES) == sorted(package.__all__)
    for name, module in package._MODULES.items():
        assert getattr(package, name) is getattr(importlib.import_module(f"bastion.baseline.{module}"), name)
    with pytest.raises(AttributeError):
        package.no_such_name  # noqa: B018
