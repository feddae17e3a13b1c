"""The document model kept for fixes: incremental updates give exactly what a fresh split gives,
and the edit helpers turn changes into minimal client edits that reproduce the new text."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=300, deadline=None)
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
