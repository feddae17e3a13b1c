"""The incremental splitter equals a from-scratch split after every edit, parsing or not; and the
engine, reusing what it found in the units an edit did not touch, equals a fresh analysis."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.engine.engine import Engine
from bastion.engine.incremental import IncrementalSplitter
from bastion.engine.registry import default_analyzers
from bastion.engine.units import split_document

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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    from bastion.engine.engine import Progress

    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(300))
    document = "import subprocess as sp\nimport pickle\n" + body + "sp.call(cmd, shell=True)\n"
    last = document.count("\n") - 1
    reports = []
    progress = Progress(reports.append, every_s=0.0, visible=lambda: ((last - 2, last),))
    raw = Engine(ANALYZERS).analyse_raw(document, "v.py", use_disk=False, progress=progress)
    assert [(f.rule_id, f.span.start_line) for f in reports[0].findings] == [("B602", last)]
    assert _raw_key(raw) == _raw_key(Engine(ANALYZERS).analyse_raw(document, "v.py"))
