"""Edits that move the blocks after them (Enter, a line deleted, a block pasted, a block's
indent changed, a flow typed in), replayed on modules with long classes: after each edit the
editor's analysis (one engine and incremental splitter for the whole sequence, every
analyzer, the taint block parser's kept trees among them) equals a fresh engine's analysis of
the same text, every finding's lines, columns and related places included."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import attrs
import pytest
from test_taint_block_runs import SOURCE

from bastion.engine.engine import run_to_end
from bastion.engine.incremental import IncrementalSplitter, analyse_edit
from bastion.engine.registry import create_engine
from bastion.engine.splitter import split_document

STDLIB = Path(sysconfig.get_paths()["stdlib"])
HEADER = "import subprocess\nfrom flask import request\n"
FLOW = ["subprocess.call(request.args['c'], shell=True)", "x = request.args.get('q')",
        "return eval(x)", "os.system(a)"]


def _modules() -> dict[str, str]:
    return {"long_class.py": SOURCE, "fractions.py": HEADER + (STDLIB / "fractions.py").read_text(),
            "shlex.py": HEADER + (STDLIB / "shlex.py").read_text()}


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


def _edit(lines: list[str], rng: random.Random) -> tuple[list[str], int, int]:
    """An edit of `lines`: the new lines and the lines unchanged at the start and at the end."""
    at = rng.randrange(1, len(lines))
    kind = rng.choice(["enter", "enter", "delete", "paste", "indent", "dedent", "flow"])
    if kind == "enter":
        new = lines[:at] + [_indent(lines[at])] + lines[at:]
        return new, at, len(lines) - at
    if kind == "delete":
        return lines[:at] + lines[at + 1:], at, len(lines) - at - 1
    if kind == "flow":
        new = lines[:at] + [_indent(lines[at]) + rng.choice(FLOW)] + lines[at:]
        return new, at, len(lines) - at
    count = rng.randint(2, 12)
    if kind == "paste":
        source = rng.randrange(len(lines))
        return lines[:at] + lines[source:source + count] + lines[at:], at, len(lines) - at
    end = min(at + count, len(lines))
    if kind == "indent":
        moved = ["    " + line if line else line for line in lines[at:end]]
    else:
        moved = [line[4:] if line.startswith("    ") else line for line in lines[at:end]]
    return lines[:at] + moved + lines[end:], at, len(lines) - end


def _findings(raw) -> list[dict]:
    return sorted((attrs.asdict(f) for f in raw.findings), key=repr)


@pytest.mark.slow  # ~40 analyses from scratch
@pytest.mark.parametrize("name", sorted(_modules()))
def test_edits_that_move_blocks_analyse_as_fresh_analyses(name):
    text = _modules()[name]
    path = f"pkg/{name}"
    warm, splitter, fresh = create_engine(), IncrementalSplitter(), create_engine()
    lines = text.split("\n")
    run_to_end(analyse_edit(warm, splitter, text, path, lines, None, None))
    rng = random.Random(f"typing105 {name}")
    found = 0
    for step in range(14):
        lines, prefix, suffix = _edit(lines, rng)
        text = "\n".join(lines)
        got = run_to_end(analyse_edit(warm, splitter, text, path, lines, prefix, suffix))
        fresh.clear_cache()
        expected = run_to_end(analyse_edit(fresh, IncrementalSplitter(), text, path, lines, None, None))
        assert _findings(got) == _findings(expected), (name, step)
        assert (got.broken, got.errors) == (expected.broken, expected.errors), (name, step)
        found += len(got.findings)
    assert found  # the comparison saw findings


def test_a_moved_unit_keeps_every_field_but_its_lines():
    """`Unit.moved` builds the unit by its constructor: each field of the class is the unit's,
    the digest (left out of `==`) included, only the lines shifted."""
    for unit in split_document(SOURCE).units:
        moved = unit.moved(7)
        assert attrs.asdict(moved) == attrs.asdict(attrs.evolve(unit, start=unit.start + 7,
                                                                end=unit.end + 7))
        assert moved.digest == unit.digest
        assert moved.parse().body[0].lineno == unit.parse().body[0].lineno + 7
