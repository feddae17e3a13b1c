"""Every rule names one CWE (issue 12 item 5): the finding (JSON, LSP diagnostic data and link),
the SARIF rule, its taxon and the lesson agree, for every rule the catalog ships. Each rule's
lesson example is checked by the real `bastion check`, with bandit's findings as bandit reports
them (`--bandit-exact`) so that every bandit rule is present."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.analyzers.bandit_cwe import catalog_cwes
from bastion.catalog.loader import load_rule_files
from bastion.catalog.paths import rules_dir
from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.lsp.convert import to_diagnostic
from bastion.lsp.documents import Document

ROOT = Path(__file__).resolve().parents[2]
SPECS, _ = load_rule_files(rules_dir())
BY_ID = {s.id: s for s in SPECS}
EXACT = Config(bandit_exact=True)


@pytest.fixture(scope="module")
def engine():
    return create_engine()

# The weakness, where bandit's own table names another (a regression here is a wrong CWE). An
# import is not the weakness its calls may have: it is a potentially dangerous API in use.
IMPORTS = ("B403", "B404", "B405", "B406", "B407", "B408", "B409", "B411")
WEAKNESS = {**dict.fromkeys(IMPORTS, 676), "B102": 95, "B307": 95, "B303": 328, "B324": 328,
            "B314": 776, "B318": 776, "B701": 79, "B702": 79, "B703": 79, "B308": 79, "B506": 502,
            "B607": 426, "B104": 1327, "B201": 489, "BST206": 95, "BST211": 611}


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[dict, dict]:
    folder = tmp_path_factory.mktemp("lessons")
    (folder / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    for spec in SPECS:  # one folder per rule: a lesson's example may be a manifest, not Python
        (folder / spec.id).mkdir()
        (folder / spec.id / spec.lesson.example_file).write_text(spec.lesson.vulnerable,
                                                                 encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}

    def run(form: str) -> dict:
        proc = subprocess.run([sys.executable, "-m", "bastion", "check", "--format", form,
                               "--bandit-exact", "--no-cache", "--fail-on", "never", "."],
                              capture_output=True, text=True, cwd=folder, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    return run("json"), run("sarif")


def test_the_weaknesses_bandit_gets_wrong_are_corrected():
    for rule_id, cwe in WEAKNESS.items():
        assert BY_ID[rule_id].cwe.id == cwe, rule_id
    assert catalog_cwes() == {s.id: s.cwe.id for s in SPECS if not s.id.startswith("BST")}


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_finding_sarif_taxon_and_lesson_name_the_same_cwe(checked, spec):
    report, sarif = checked
    findings = [f for f in report["results"]
                if f["rule_id"] == spec.id and Path(f["path"]).parts[0] == spec.id]
    assert findings, f"{spec.id}: the lesson's example reports nothing"
    assert {f["cwe"] for f in findings} == {spec.cwe.id}
    run = sarif["runs"][0]
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == spec.id]
    assert rule["helpUri"] == spec.cwe.url
    assert f"external/cwe/cwe-{spec.cwe.id}" in rule["properties"]["tags"]
    taxa = {t["id"]: t for t in run["taxonomies"][0]["taxa"]}
    taxon, *broader = [taxa[r["target"]["id"]] for r in rule.get("relationships", [])]
    assert taxon["id"] == f"CWE-{spec.cwe.id}"
    assert taxon["name"] == spec.cwe.name
    assert [t["id"] for t in broader] == [f"CWE-{b}" for b in spec.cwe.broader]


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_the_editors_diagnostic_links_the_lessons_cwe(engine, spec):
    from pygls.workspace.position_codec import PositionCodec

    name = spec.lesson.example_file
    doc = Document.from_text(f"file:///{name}", 1, spec.lesson.vulnerable)
    findings = [f for f in engine.analyse(doc.text, name, EXACT).findings
                if f.rule_id == spec.id]
    assert findings
    for finding in findings:
        diagnostic = to_diagnostic(finding, doc, PositionCodec(), EXACT, 1)
        assert diagnostic.code_description.href == spec.cwe.url
        assert diagnostic.data["cwe"] == spec.cwe.id


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_the_lessons_cwe_reference_is_the_rules_cwe(spec):
    cwe_links = [r for r in spec.lesson.references if "cwe.mitre.org" in r]
    assert all(link == spec.cwe.url for link in cwe_links), (spec.id, cwe_links)
