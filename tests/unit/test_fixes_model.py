"""The document model kept for fixes: incremental updates give exactly what a fresh split gives,
and the edit helpers turn changes into minimal client edits that reproduce the new text."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.engine.splitter import split_document
from bastion.fixes import DocModel
from bastion.fixes.edits import Change, apply_changes, apply_line_edits, diff_edits, line_edits
from bastion.fixes.testing import engine

STDLIB = Path(sysconfig.get_paths()["stdlib"])
FILES = ["abc.py", "textwrap.py", "shlex.py", "argparse.py", "_pydecimal.py"]


def _shape(model: DocModel):
    return ([(u.start, u.end, u.text, u.indented, u.suffix) for u in model.units],
            [f.imports for f in model.facts],
            [model.context(i).digest for i in range(len(model.units))], model.broken)


@pytest.mark.parametrize("name", FILES)
def test_update_equals_build_after_random_edits(name):
    text = (STDLIB / name).read_text(encoding="utf-8")
    rnd = random.Random(name)
    model = DocModel.build(text, engine())
    for _ in range(12):
        lines = text.split("\n")
        i = rnd.randrange(len(lines))
        op = rnd.choice(["comment", "dup", "delete", "blank", "indent", "call", "def"])
        if op == "comment":
            lines[i] += "  # edited é"
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "delete":
            del lines[i]
        elif op == "blank":
            lines.insert(i, "")
        elif op == "indent":
            lines[i] = "    " + lines[i]
        elif op == "call":
            lines[i] = lines[i].replace("(", "(x, ", 1)
        else:
            lines.insert(i, "def added():\n    return 1")
        new = "\n".join(lines)
        updated = model.update(new, engine())
        assert _shape(updated) == _shape(DocModel.build(new, engine())), (name, op, i)
        if not updated.broken:
            model, text = updated, new


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "", "é😀", "\r"]), min_size=1, max_size=6),
       st.lists(st.sampled_from(["a", "x", "", "ü"]), min_size=0, max_size=6), st.data())
def test_edits_reproduce_the_changed_text(old, new, data):
    old_text, new_text = "\n".join(old), "\n".join(new or [""])
    assert apply_line_edits(old_text, diff_edits(old, new or [""])) == new_text
    start = data.draw(st.integers(0, len(old)))
    end = data.draw(st.integers(start - 1, len(old) - 1))
    change = Change(start, end, "".join(line + "\n" for line in new))
    expected = "\n".join(apply_changes(old, [change]))
    assert apply_line_edits(old_text, line_edits(old, [change])) == expected


def test_minimal_edit_touches_only_what_changed():
    lines = ["x = yaml.load(f, Loader=yaml.Loader)  # c", "y = 1", ""]
    change = Change(0, 0, "x = yaml.safe_load(f)  # c\n")
    (edit,) = line_edits(lines, [change])
    assert (edit.start_line, edit.start_col, edit.end_line, edit.end_col) == (0, 9, 0, 35)
    assert edit.text == "safe_load(f"


class PublicOnly:
    """The real engine, recording every attribute the fixes ask of it."""

    def __init__(self, engine) -> None:
        object.__setattr__(self, "asked", set())
        object.__setattr__(self, "engine", engine)

    def __getattr__(self, name: str):
        self.asked.add(name)
        return getattr(self.engine, name)


def test_fixes_use_only_the_engines_public_api():
    from bastion.fixes.planner import fix_all, verified
    from bastion.fixes.testing import CONFIG, findings
    text = ("import subprocess\nimport yaml\n\n\ndef load(p):\n"
            "    return yaml.load(open(p), Loader=yaml.Loader)\n\n\n"
            "def run(host):\n    subprocess.run('ping -c 1 ' + host, shell=True)\n")
    engine_ = PublicOnly(engine())
    model = DocModel.build(text, engine_)
    for finding in findings(text):
        verified(engine_, model, CONFIG, "t.py", finding)  # unit-scoped verification
        verified(engine_, model, CONFIG, "t.py", finding, full=True)
    result = fix_all(engine_, text, "t.py", CONFIG, frozenset({"safe", "review"}))
    assert {f.rule_id for f in result.applied} >= {"B506", "B602"}
    model.update("# edited\n" + text, engine_).analyse(engine_, "t.py", CONFIG)
    private = sorted(name for name in engine_.asked if name.startswith("_"))
    assert not private, private


def test_update_derives_the_split_with_the_engines_incremental_splitter():
    text = (STDLIB / "textwrap.py").read_text(encoding="utf-8")
    model = DocModel.build(text, engine())
    lines = text.split("\n")
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("        "))
    lines[middle] += "  # edited"
    updated = model.update("\n".join(lines), engine())
    assert updated.split.reuse is not None  # re-split around the edit, not the whole file
    assert updated.split.units == split_document("\n".join(lines)).units


def test_indenting_a_body_keeps_its_findings():
    """Issue 11: indent the body of `def f` by four more spaces (still valid)."""
    from bastion.fixes.testing import CONFIG
    text = "def f(x):\n    eval(a)\n    eval(b)\n"
    model = DocModel.build(text, engine())
    assert [f.rule_id for f in model.analyse(engine(), "t.py", CONFIG).findings] == ["B307"] * 2
    deeper = "def f(x):\n        eval(a)\n        eval(b)\n"
    updated = model.update(deeper, engine())
    assert [f.rule_id for f in updated.analyse(engine(), "t.py", CONFIG).findings] == ["B307"] * 2
