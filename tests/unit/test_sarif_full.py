"""SARIF for code scanning: rules with lessons, CWE tags and taxa, security-severity, stable
partialFingerprints, suppressions with justifications, baselineState; all valid against the
official SARIF 2.1.0 schema (fetched by test_sarif_schema's helper into .tools/sarif/).

The property test checks what makes fingerprints useful: adding lines above, reformatting the
call, re-indenting and renaming unrelated names keep them; changing the flagged call does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.baseline import FINGERPRINT_KEY, fingerprints
from bastion.config import Config
from bastion.engine.registry import create_engine

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "examples/vulnerable-app"

try:  # the schema helper of test_sarif_schema.py (npm pack @microsoft/jest-sarif, cached)
    from test_sarif_schema import _fetch_schema, _validate
except ImportError:  # pragma: no cover - the same, when that module is not importable
    import importlib.util

    _spec = importlib.util.spec_from_file_location(
        "_sarif_schema_helper", Path(__file__).with_name("test_sarif_schema.py"))
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    _fetch_schema, _validate = _module._fetch_schema, _module._validate


def bastion(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=180)


def sarif(*args: str, cwd: Path = ROOT) -> dict:
    proc = bastion("check", "--format", "sarif", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def project(tmp_path: Path, files: dict[str, str], pyproject: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(pyproject or '[project]\nname = "t"\n',
                                             encoding="utf-8")
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(_fetch_schema().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example() -> dict:
    return sarif(EXAMPLE)


# ---- rules, help, CWE ---------------------------------------------------------------------------

def test_example_validates_against_the_official_schema(example, schema):
    _validate(example, schema)


def test_rules_carry_lessons_help_uri_tags_and_security_severity(example):
    rules = example["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"BST202", "B324", "B608", "B105"}
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert "How to fix" in rule["help"]["text"] and "Why it matters" in rule["help"]["text"]
        assert rule["help"]["markdown"].startswith(f"# {rule['id']}: ")
        assert "## How to fix" in rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
        tags = rule["properties"]["tags"]
        assert "security" in tags
        assert any(t.startswith("external/cwe/cwe-") for t in tags), tags
        assert 0.0 < float(rule["properties"]["security-severity"]) <= 10.0
        assert rule["properties"]["precision"] in ("high", "medium", "low")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    # The example's shell pipeline gets the URL's order id: reported by the taint rule.
    bst202 = next(r for r in rules if r["id"] == "BST202")
    assert "external/cwe/cwe-78" in bst202["properties"]["tags"]
    assert bst202["properties"]["security-severity"] == "8.0"
    assert bst202["helpUri"] == "https://cwe.mitre.org/data/definitions/78.html"
    assert bst202["name"] == "tainted_command"


def test_cwe_taxonomy_and_rule_relationships(example):
    run = example["runs"][0]
    taxonomies = run["taxonomies"]
    assert len(taxonomies) == 1 and taxonomies[0]["name"] == "CWE"
    taxa = taxonomies[0]["taxa"]
    ids = [t["id"] for t in taxa]
    assert len(ids) == len(set(ids)) and "CWE-78" in ids
    assert all(t["helpUri"].startswith("https://cwe.mitre.org/") for t in taxa)
    cwe78 = next(t for t in taxa if t["id"] == "CWE-78")
    assert cwe78["name"].startswith("Improper Neutralization")
    assert run["tool"]["driver"]["supportedTaxonomies"] == [{"name": "CWE", "index": 0}]
    for rule in run["tool"]["driver"]["rules"]:
        relations = rule["relationships"]
        assert [r["kinds"] for r in relations] == [["relevant"]] + [["subset"]] * (len(relations) - 1)
        cwe_tags = [t for t in rule["properties"]["tags"] if t.startswith("external/cwe/")]
        for relation, cwe_tag in zip(relations, cwe_tags, strict=True):
            target = relation["target"]
            assert target["toolComponent"] == {"name": "CWE", "index": 0}
            assert taxa[target["index"]]["id"] == target["id"]
            assert target["id"] == "CWE-" + cwe_tag.rsplit("-", 1)[1]


def test_a_rule_whose_cwe_is_a_kind_of_a_broader_one_carries_both(example):
    # BST202 (OS command injection, CWE-78) is command injection (CWE-77), as the CWE Top 25
    # lists it: both tags, and a `subset` relationship to the broader taxon.
    run = example["runs"][0]
    taxa = run["taxonomies"][0]["taxa"]
    bst202 = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "BST202")
    assert [t for t in bst202["properties"]["tags"] if t.startswith("external/cwe/")] == [
        "external/cwe/cwe-78", "external/cwe/cwe-77"]
    assert [(taxa[r["target"]["index"]]["id"], r["kinds"]) for r in bst202["relationships"]] == [
        ("CWE-78", ["relevant"]), ("CWE-77", ["subset"])]


def test_every_result_has_a_partial_fingerprint(example):
    results = example["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]
    assert all(isinstance(p, str) and ":" in p for p in prints)
    keyed = Counter((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                     r["ruleId"], r["partialFingerprints"][FINGERPRINT_KEY]) for r in results)
    assert max(keyed.values()) == 1  # distinct within a file and rule
    assert all("baselineState" not in r for r in results)  # no baseline: no state


# ---- suppressions ------------------------------------------------------------------------------

def test_suppressed_findings_are_reported_with_in_source_suppressions(tmp_path, schema):
    project(tmp_path, {"a.py": (
        "import subprocess\n"
        "subprocess.call(cmd, shell=True)  # nosec B602\n"
        "subprocess.call(other, shell=True)  # nosec B602  # input is a fixed admin command\n"
        "import pickle\n")})
    document = sarif(".", cwd=tmp_path)
    _validate(document, schema)
    results = document["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == 2
    for result in suppressed:
        (suppression,) = result["suppressions"]
        assert suppression["kind"] == "inSource"
        assert suppression["justification"]
        assert suppression["location"]["physicalLocation"]["region"]["startLine"] == \
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
    by_line = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r for r in suppressed}
    assert "nosec B602" in by_line[2]["suppressions"][0]["justification"]
    # a reason given after the directive is the justification (when the engine reads reasons)
    justification = by_line[3]["suppressions"][0]["justification"]
    assert "input is a fixed admin command" in justification
    assert not any(r.get("suppressions") for r in results if r["ruleId"] == "B403")


def test_baseline_state_and_external_suppressions_validate(tmp_path, schema):
    project(tmp_path, {"app.py": "import subprocess\nsubprocess.call(cmd, shell=True)\n"})
    assert bastion("baseline", "create", cwd=tmp_path).returncode == 0
    with open(tmp_path / "app.py", "a", encoding="utf-8") as handle:
        handle.write("eval(data)\n")
    proc = bastion("check", "--format", "sarif", "-o", "out.sarif", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    document = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    _validate(document, schema)
    states = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    assert states["B307"]["baselineState"] == "new" and "suppressions" not in states["B307"]
    for rule in ("B404", "B602"):
        assert states[rule]["baselineState"] == "unchanged"
        (suppression,) = states[rule]["suppressions"]
        assert suppression["kind"] == "external"
        assert ".bastion-baseline.json" in suppression["justification"]
    baseline = json.loads((tmp_path / ".bastion-baseline.json").read_text(encoding="utf-8"))
    listed = {(e["rule"], e["fingerprint"]) for e in baseline["findings"]}
    assert {(r, states[r]["partialFingerprints"][FINGERPRINT_KEY])
            for r in ("B404", "B602")} == listed  # the same fingerprints in both


# ---- fingerprints survive edits, through the CLI -------------------------------------------------

ORIGINAL = """\
import subprocess


def deploy(cmd):
    subprocess.call(cmd, shell=True)
    subprocess.call(cmd, shell=True)
"""
EDITED = """\
\"\"\"Deployment helpers.\"\"\"
import subprocess

RETRIES = 3


class Config:
    pass


def deploy(cmd):
  if RETRIES:
    subprocess.call(
        cmd,
        shell = True,
    )
  subprocess.call( cmd , shell=True )  # the second one
"""


def test_cli_fingerprints_survive_lines_above_and_reformatting(tmp_path):
    project(tmp_path, {"app.py": ORIGINAL})
    before = sarif(".", cwd=tmp_path)["runs"][0]["results"]
    (tmp_path / "app.py").write_text(EDITED, encoding="utf-8")
    after = sarif(".", cwd=tmp_path)["runs"][0]["results"]

    def prints(results):
        return Counter((r["ruleId"], r["partialFingerprints"][FINGERPRINT_KEY]) for r in results)

    assert prints(before) == prints(after)
    def lines(results):
        return sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"]
                      for r in results if r["ruleId"] == "B602")

    assert lines(before) == [5, 6] and lines(after)[0] > 12  # the findings did move
    b602 = sorted(r["partialFingerprints"][FINGERPRINT_KEY] for r in after if r["ruleId"] == "B602")
    assert b602[0].split(":")[0] == b602[1].split(":")[0] and b602[0] != b602[1]  # occurrences


# ---- fingerprints: the property -----------------------------------------------------------------

ENGINE = create_engine()
CONFIG = Config(bandit_exact=True)  # `'ls -l'` is constant: the finding is bandit's as it is

CALLS = [  # (rule, import, call head, arguments)
    ("B602", "import subprocess", "subprocess.call", ["{a}", "shell=True"]),
    ("B324", "import hashlib", "hashlib.md5", ["{a}"]),
    ("B307", "", "eval", ["{a}"]),
    ("B506", "import yaml", "yaml.load", ["{a}", "Loader=yaml.Loader"]),
]
ARGS = ["cmd", "data[0]", "'ls -l'", "f(x, y=1)", "user.name"]
NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda n: n not in {"cmd", "data", "f", "x", "y", "user", "subprocess", "hashlib", "yaml",
                        "eval", "handler", "result", "if", "in", "is", "or", "as", "def", "for",
                        "and", "not", "del", "try", "with", "from", "pass", "else", "elif",
                        "none", "true", "false", "class", "while", "yield", "raise", "async",
                        "await", "break", "global", "import", "lambda", "return", "assert",
                        "except", "finally", "continue", "nonlocal"})


def render(case, arg: str, *, indent: int = 4, above: tuple[str, ...] = (), spaces: str = "",
           exploded: bool = False, trailing: bool = False, double_quotes: bool = False,
           in_if: bool = False, names: tuple[str, str] = ("helper", "LIMIT")) -> str:
    _rule, imp, head, args = case
    if double_quotes:
        arg = arg.replace("'", '"')
    parts = [a.format(a=arg) for a in args]
    if spaces:
        parts = [p.replace("=", f"{spaces}={spaces}") if "(" not in p else p for p in parts]
    pad = " " * indent
    inner = pad * (2 if in_if else 1)
    if exploded:
        body = "".join(f"{inner}{pad}{p},\n" for p in parts[:-1])
        body += f"{inner}{pad}{parts[-1]}{',' if trailing else ''}\n"
        call = f"{head}(\n{body}{inner})"
    else:
        call = f"{head}({spaces}{(',' + spaces + ' ').join(parts)}{spaces})"
    helper, constant = names
    lines = [imp, *above, f"{constant.upper()} = 3", "", "",
             f"def {helper}(value):", f"{pad}return value * {constant.upper()}", "", "",
             "def handler(cmd, data, user, f, x):"]
    if in_if:
        lines.append(f"{pad}if cmd:")
    lines.append(f"{inner}result = {call}")
    lines.append(f"{pad}return result")
    return "\n".join(lines) + "\n"


def prints_of(text: str) -> Counter:
    analysis = ENGINE.analyse(text, "case.py", CONFIG)
    every = analysis.findings + analysis.suppressed
    found = fingerprints(every, text)
    return Counter((f.rule_id, found[f]) for f in every)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CALLS), arg=st.sampled_from(ARGS),
       above=st.lists(st.sampled_from(["", "# a comment", "import os", "COUNT = 1",
                                       "def other():\n    return 1\n",
                                       "class Thing:\n    size = 2\n"]), max_size=5),
       indent=st.sampled_from([2, 4, 8]), spaces=st.sampled_from(["", " "]),
       exploded=st.booleans(), trailing=st.booleans(), double_quotes=st.booleans(),
       in_if=st.booleans(), names=st.tuples(NAMES, NAMES))
def test_fingerprints_are_stable_under_unrelated_edits(case, arg, above, indent, spaces, exploded,
                                                       trailing, double_quotes, in_if, names):
    base = render(case, arg)
    edited = render(case, arg, indent=indent, above=tuple(above), spaces=spaces,
                    exploded=exploded, trailing=trailing, double_quotes=double_quotes,
                    in_if=in_if, names=names)
    before, after = prints_of(base), prints_of(edited)
    assert any(rule == case[0] for rule, _ in before), base
    assert before == after, f"\n{base}\n---\n{edited}"


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CALLS), args=st.lists(st.sampled_from(ARGS), min_size=2, max_size=2,
                                                  unique=True), exploded=st.booleans())
def test_fingerprints_change_with_the_flagged_call(case, args, exploded):
    one, other = (render(case, a, exploded=exploded) for a in args)
    rule = case[0]
    mine = {p for r, p in prints_of(one) if r == rule}
    theirs = {p for r, p in prints_of(other) if r == rule}
    assert mine and theirs
    assert mine.isdisjoint(theirs)


def test_fingerprints_ignore_suppression_state_for_numbering():
    plain = "import pickle\npickle.loads(a)\npickle.loads(a)\n"
    silenced = "import pickle\npickle.loads(a)  # nosec B301\npickle.loads(a)\n"
    assert prints_of(plain) == prints_of(silenced)


def test_moving_into_another_function_is_a_new_finding():
    one = "import pickle\n\n\ndef load(a):\n    return pickle.loads(a)\n"
    two = "import pickle\n\n\ndef restore(a):\n    return pickle.loads(a)\n"
    b301 = [{p for r, p in prints_of(t) if r == "B301"} for t in (one, two)]
    assert b301[0] and b301[0].isdisjoint(b301[1])


def test_broken_files_still_get_fingerprints():
    text = "import pickle\npickle.loads(a)\ndef broken(:\n    pass\npickle.loads(b)\n"
    analysis = ENGINE.analyse(text, "broken.py", CONFIG)
    found = fingerprints(analysis.findings, text)
    assert len(set(found.values())) == len(analysis.findings) >= 1


def test_a_cwe_first_met_on_a_rule_of_another_cwe_still_gets_its_name():
    # A finding whose CWE is not its rule's (a rule file edited since a cached result) must not
    # leave the taxon nameless for a later rule of that CWE.
    from bastion.catalog.index import load_catalog
    from bastion.model import Finding, Level, Span
    from bastion.report.sarif import _rule

    catalog, names = load_catalog(), {}
    for rule_id in ("B404", "B602"):
        _rule(rule_id, rule_id, Finding(rule_id, rule_id, Level.HIGH, Level.HIGH, 78, "m",
                                        Span(0, 0, 0, 1)), catalog, names)
    assert names[78].startswith("Improper Neutralization")
