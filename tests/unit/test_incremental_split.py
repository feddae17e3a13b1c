"""The incremental splitter equals a from-scratch split after every edit, parsing or not; and the
engine, reusing what it found in the units an edit did not touch, equals a fresh analysis."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.engine.engine import Engine
from bastion.engine.incremental import IncrementalSplitter
from bastion.engine.registry import default_analyzers
from bastion.engine.splitter import split_document

ANALYZERS = default_analyzers()

STDLIB = Path(sysconfig.get_paths()["stdlib"])
FILES = ["textwrap.py", "subprocess.py", "shlex.py"]
SNIPPETS = ["(", ")", "\n", "    ", "def f(x):\n", "class C:\n", '"""', "'", "#", "@d\n",
            "subprocess.call(cmd, shell=True)\n", "x = [\n", "]\n", "else:\n", "\t", "é😀"]


def _key(split):
    return [(u.start, u.end, u.digest) for u in split.units], list(split.broken)


def _edit(lines: list[str], line: int, col: int, delete: int, text: str):
    """Apply one edit; return the new lines and the unchanged prefix/suffix line counts."""
    line = min(line, len(lines) - 1)
    col = min(col, len(lines[line]))
    flat = "\n".join(lines)
    offset = sum(len(x) + 1 for x in lines[:line]) + col
    end = min(offset + delete, len(flat))
    new = (flat[:offset] + text + flat[end:]).split("\n")
    end_line = flat.count("\n", 0, end)
    return new, line, len(lines) - 1 - end_line


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(FILES),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.integers(0, 30),
                             st.sampled_from(SNIPPETS)), min_size=1, max_size=8),
)
def test_incremental_split_equals_from_scratch(name, edits):
    lines = (STDLIB / name).read_text(encoding="utf-8").split("\n")
    splitter = IncrementalSplitter()
    splitter.update(lines, None, None)
    for where, col, delete, text in edits:
        lines, prefix, suffix = _edit(lines, int(where * (len(lines) - 1)), col, delete, text)
        got = splitter.update(lines, prefix, suffix)
        assert _key(got) == _key(split_document("\n".join(lines)))


def _raw_key(raw):
    return raw.findings, raw.directives, raw.broken, raw.errors


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(FILES),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.integers(0, 30),
                             st.sampled_from(SNIPPETS + ["password = 'x'  # nosec\n"])),
                   min_size=1, max_size=6),
)
def test_engine_reusing_unedited_units_equals_a_fresh_analysis(name, edits):
    lines = ("import subprocess as sp\n" + (STDLIB / name).read_text(encoding="utf-8")).split("\n")
    engine, splitter = Engine(ANALYZERS), IncrementalSplitter()
    raw = engine.analyse_raw("\n".join(lines), name, lines=lines)
    splitter.adopt(raw.split, len(lines))
    for where, col, delete, text in edits:
        lines, prefix, suffix = _edit(lines, int(where * (len(lines) - 1)), col, delete, text)
        document = "\n".join(lines)
        got = engine.analyse_raw(document, name, splitter.update(lines, prefix, suffix), lines)
        assert _raw_key(got) == _raw_key(Engine(ANALYZERS).analyse_raw(document, name))


def test_a_file_read_from_the_disk_cache_is_split_without_running_the_checks(tmp_path, monkeypatch):
    from bastion.engine.disk_cache import DiskCache

    lines = ("import subprocess as sp\n" + (STDLIB / "subprocess.py").read_text()).split("\n")
    document = "\n".join(lines)
    first = Engine(ANALYZERS, disk_cache=DiskCache(tmp_path / "cache.db"))
    first.analyse_raw(document, "s.py", lines=lines)
    engine = Engine(ANALYZERS, disk_cache=DiskCache(tmp_path / "cache.db"))
    for analyzer in ANALYZERS:
        monkeypatch.setattr(analyzer, "analyse_unit", None)  # any check run would fail
    raw = engine.split_cached(document, "s.py", lines)
    monkeypatch.undo()
    fresh = Engine(ANALYZERS).analyse_raw(document, "s.py")
    assert _raw_key(raw) == _raw_key(fresh)
    assert _key(raw.split) == _key(split_document(document))
    splitter = IncrementalSplitter()
    splitter.adopt(raw.split, len(lines))
    # A line indented exactly 8 spaces, so that the inserted statement keeps the file valid
    # (3.13's subprocess.py has a class body at 12 spaces first).
    at = next(i for i, line in enumerate(lines)
              if line.startswith("        ") and line[8] != " " and "=" in line)
    lines, prefix, suffix = _edit(lines, at, 8, 0, "sp.call(cmd, shell=True)\n        ")
    document = "\n".join(lines)
    got = engine.analyse_raw(document, "s.py", splitter.update(lines, prefix, suffix), lines)
    assert ("B602", at) in {(f.rule_id, f.span.start_line) for f in got.findings}
    assert _raw_key(got) == _raw_key(Engine(ANALYZERS).analyse_raw(document, "s.py"))


def test_visible_units_go_first_with_the_import_context_of_the_units_before_them():
    from bastion.engine.progressive import Progress

    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(300))
    document = "import subprocess as sp\nimport pickle\n" + body + "sp.call(cmd, shell=True)\n"
    last = document.count("\n") - 1
    reports = []
    progress = Progress(reports.append, every_s=0.0, visible=lambda: ((last - 2, last),))
    raw = Engine(ANALYZERS).analyse_raw(document, "v.py", use_disk=False, progress=progress)
    assert [(f.rule_id, f.span.start_line) for f in reports[0].findings] == [("B602", last)]
    assert _raw_key(raw) == _raw_key(Engine(ANALYZERS).analyse_raw(document, "v.py"))


BODY = ("import os\n\n\nclass K:\n    def f(self, x):\n        a = 1\n        eval(a)\n        b = 2\n"
        "        c = 3\n\n    def g(self):\n        return 3\n\n\nx = 1\n")


def _lines_unchanged(old: list[str], new: list[str]) -> tuple[int, int]:
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, suffix


@pytest.mark.parametrize(("old", "new", "local"), [
    # Typing an unclosed call: broken wherever it stands, re-split locally from the last base.
    ("        eval(a)\n", "        eval(a\n", True),
    ("        eval(a)\n", "        eval(a, os.environ[\n", True),
    ("x = 1\n", "x = f(1,\n", True),
    # A bracket opened here is closed further down: the method parses as a whole.
    ("        eval(a)\n        b = 2\n", "        eval(a,\n        b,\n        2)\n", False),
    # A backslash joins the next statement to this one: valid as a whole.
    ("        a = 1\n", "        a = 1 + \\\n", False),
    # Indented as a whole: valid as the first statement's block.
    ("        a = 1\n        eval(a)\n", "            a = 1\n            eval(a)\n", False),
    # A decorator left at the end of a class: the class is re-split from its top-level start.
    ("        return 3\n", "        return 3\n    @property\n", True),
    # A decorator that does not parse, and the method under it.
    ("    def g(self):\n", "    @property(\n    def g(self):\n", True),
])
def test_a_broken_region_stays_local_only_when_a_fresh_split_decides_it_the_same(old, new, local):
    """The splitter keeps a broken region local (fast typing) when every statement that does not
    parse in it is broken wherever it stands; else it splits the whole text. Either way the
    split equals a fresh one."""
    assert old in BODY
    lines = BODY.split("\n")
    splitter = IncrementalSplitter()
    splitter.update(lines, None, None)
    new_lines = BODY.replace(old, new, 1).split("\n")
    got = splitter.update(new_lines, *_lines_unchanged(lines, new_lines))
    fresh = split_document("\n".join(new_lines))
    assert _key(got) == _key(fresh)
    assert (got.reuse is not None) == local
    # Typing on from the same base (the base is kept while the text does not parse).
    more = "\n".join(new_lines).replace("eval(a", "eval(ab", 1).split("\n")
    again = splitter.update(more, *_lines_unchanged(new_lines, more))
    assert _key(again) == _key(split_document("\n".join(more)))


@st.composite
def _reshape_or_type(draw, lines: list[str]) -> list[str]:
    """Edits that once split differently from a fresh split (CI, Python 3.12: a reshaped
    tempfile.py): blocks indented or dedented, a space at a line's start, lines joined or split,
    and an unclosed call or a closing bracket typed into a line."""
    lines = list(lines)
    line = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["indent_block", "dedent_block", "space", "join", "split",
                                 "type"]))
    if kind in ("indent_block", "dedent_block"):
        for k in range(line, min(len(lines), line + draw(st.integers(1, 8)))):
            if kind == "indent_block" and lines[k]:
                lines[k] = "    " + lines[k]
            elif kind == "dedent_block" and lines[k].startswith("    "):
                lines[k] = lines[k][4:]
    elif kind == "space":
        lines[line] = " " + lines[line]
    elif kind == "join" and line + 1 < len(lines):
        lines[line:line + 2] = [lines[line] + lines[line + 1].lstrip()]
    else:
        col = draw(st.integers(0, len(lines[line])))
        typed = draw(st.sampled_from(["\n", "eval(x", ")", "f(a,\n", "\\\n", "@d\n", "]"]))
        lines[line] = lines[line][:col] + typed + lines[line][col:]
    return "\n".join(lines).split("\n")


@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from(["tempfile.py", "textwrap.py"]), data=st.data())
def test_reshaping_and_typing_split_as_a_fresh_split_at_every_version(name, data):
    lines = (STDLIB / name).read_text(encoding="utf-8").split("\n")
    splitter = IncrementalSplitter()
    splitter.update(lines, None, None)
    for _ in range(data.draw(st.integers(1, 6))):
        new_lines = data.draw(_reshape_or_type(lines))
        got = splitter.update(new_lines, *_lines_unchanged(lines, new_lines))
        lines = new_lines
        assert _key(got) == _key(split_document("\n".join(lines)))


# Lines that a split of a text that does not parse reads otherwise than the units of the text
# that parses: a list closed at the statement's own indentation, a call continued by a backslash.
ODD = ("import os\n\nx = [\n1, 2]\n\ny = os.path.join(\n'a')\n\nz = 1 + \\\n2\n\n\n"
       "def f(a):\n    eval(a)\n    b = 2\n    return b\n\n\ndef g(a):\n    return a\n")


@pytest.mark.parametrize("start", ["adopted", "prepared", "split whole"])
@pytest.mark.parametrize("seed", range(6))
def test_the_base_s_odd_lines_found_early_or_at_the_first_broken_edit_split_alike(start, seed):
    """The base's odd lines are found at the first edit that breaks the text (a base adopted
    from an analysis), or before it (`prepare`, and a base the splitter split whole): either
    way every version of seeded edits splits as a fresh split."""
    import random

    rng = random.Random(seed)
    base = (STDLIB / "shlex.py").read_text(encoding="utf-8") + "\n" + ODD
    lines = base.split("\n")
    splitter = IncrementalSplitter()
    if start == "split whole":
        splitter.update(lines, None, None)
    else:
        splitter.adopt(split_document(base), len(lines))
        if start == "prepared":
            splitter.prepare(lines)
    at = lines.index("    eval(a)")
    for typed in ["eval(a", "eval(a, [", "eval(a)", "x = (", rng.choice(SNIPPETS)]:
        where = at if rng.random() < 0.7 else rng.randrange(len(lines))
        new_lines = list(lines)
        new_lines[where] = "    " + typed if where == at else typed + new_lines[where]
        new_lines = "\n".join(new_lines).split("\n")
        got = splitter.update(new_lines, *_lines_unchanged(lines, new_lines))
        lines = new_lines
        assert _key(got) == _key(split_document("\n".join(lines)))
