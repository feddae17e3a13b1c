"""Verification: a fix is offered only if the module still parses, the finding is gone, nothing
new appears and nothing outside the statement changed; scoped and whole-document verification
agree; and the imports fixes add cannot change findings elsewhere."""

from __future__ import annotations

import attrs
import pytest

from bastion.catalog.loader import load_rule_files
from bastion.catalog.paths import rules_dir
from bastion.fixes import DocModel
from bastion.fixes.edits import Change
from bastion.fixes.planner import candidates
from bastion.fixes.testing import CONFIG, engine, findings
from bastion.fixes.verify import SCOPED_IMPORTS, Proposal, verify

SRC = ("import subprocess\nimport yaml\n\n\ndef load(p):\n"
       "    return yaml.load(open(p), Loader=yaml.Loader)\n\n\n"
       "def run():\n    subprocess.run('ls -l', shell=True)\n")


def _proposal(text: str, rule: str, new_statement: str, successors=frozenset(), imports=None):
    finding = findings(text, rule)[0]
    model = DocModel.build(text, engine())
    (fix, *_rest) = candidates(model, finding)
    change = Change(fix.statement.start, fix.statement.end, new_statement)
    return model, Proposal(finding, change, imports, (), frozenset(successors))


@pytest.mark.parametrize("full", [False, True])
def test_rejects_rewrite_that_does_not_parse(full):
    model, p = _proposal(SRC, "B506", "    return yaml.safe_load(open(p)\n")
    assert verify(engine(), model, CONFIG, "t.py", p, full=full) is not None


@pytest.mark.parametrize("full", [False, True])
def test_rejects_rewrite_that_keeps_the_finding(full):
    model, p = _proposal(SRC, "B506", "    return yaml.load(open(p))\n")
    assert "still reported" in verify(engine(), model, CONFIG, "t.py", p, full=full)


@pytest.mark.parametrize("full", [False, True])
def test_rejects_rewrite_that_adds_a_finding(full):
    model, p = _proposal(SRC, "B506", "    return yaml.safe_load(eval(p))\n")
    assert "B307" in verify(engine(), model, CONFIG, "t.py", p, full=full)


@pytest.mark.parametrize("full", [False, True])
def test_accepts_the_real_fix_and_declared_successors_only(full):
    model, p = _proposal(SRC, "B506", "    return yaml.safe_load(open(p))\n")
    assert verify(engine(), model, CONFIG, "t.py", p, full=full) is None
    model, p = _proposal(SRC, "B602", "    subprocess.run(['ls', '-l'])\n")
    assert "B603" in verify(engine(), model, CONFIG, "t.py", p, full=full)
    p = attrs.evolve(p, successors=frozenset({"B603", "B607"}))
    assert verify(engine(), model, CONFIG, "t.py", p, full=full) is None


@pytest.mark.parametrize("full", [False, True])
def test_successor_more_severe_than_the_target_is_rejected(full):
    text = "import random\nimport subprocess\n\n\ndef f(c):\n    return random.random()\n"
    model, p = _proposal(text, "B311", "    return subprocess.run(c, shell=True)\n",
                         successors={"B602"})
    assert "more severe" in verify(engine(), model, CONFIG, "t.py", p, full=full)


def test_import_findings_count_as_new():
    text = "import os\n\n\ndef f():\n    os.system('ls')\n"
    model, p = _proposal(text, "B605", "    subprocess.call(['ls'])\n",
                         successors={"B603", "B607"},
                         imports=Change(1, 0, "import subprocess\n"))
    p = attrs.evolve(p, import_facts=(("import", "subprocess", None),))
    assert "B404" in verify(engine(), model, CONFIG, "t.py", p)
    p = attrs.evolve(p, successors=frozenset({"B603", "B607", "B404"}))
    assert verify(engine(), model, CONFIG, "t.py", p) is None
    assert verify(engine(), model, CONFIG, "t.py", p, full=True) is None


SPECS = [s for s in load_rule_files(rules_dir())[0] if s.lesson.example_is_python]
EXAMPLES = [s.lesson.vulnerable for s in SPECS] + [SRC]


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_scoped_and_full_verification_agree(index):
    text = EXAMPLES[index]
    model = DocModel.build(text, engine())
    for finding in findings(text):
        for fix in candidates(model, finding):
            scoped = verify(engine(), model, CONFIG, "t.py", fix.proposal())
            full = verify(engine(), model, CONFIG, "t.py", fix.proposal(), full=True)
            assert (scoped is None) == (full is None), (fix.title, scoped, full)


# Imports unit-scoped verification accepts (others fall back to whole-document verification):
# adding one of them must change no finding outside its own line.
ADDED_IMPORTS = sorted(SCOPED_IMPORTS)


@pytest.mark.parametrize("line", ADDED_IMPORTS)
def test_added_imports_change_no_other_finding(line):
    for spec in SPECS:
        for text in (spec.lesson.vulnerable, spec.lesson.fixed):
            before = {(f.rule_id, f.line + 1, f.span.start_col) for f in findings(text)}
            after = {(f.rule_id, f.line, f.span.start_col)
                     for f in findings(f"{line}\n{text}") if f.line > 0}
            assert before == after, (spec.id, line)
