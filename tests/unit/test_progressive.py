"""A progressive first analysis (sliced parse and analysis, visible lines first) equals a
whole-file analysis: same findings, suppressions, units and import contexts, whatever the slice
boundaries, the statements that cross them and the lines in view."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.engine import progressive
from bastion.engine.engine import Engine
from bastion.engine.progressive import Progress
from bastion.engine.registry import default_analyzers
from bastion.engine.units import Unit

ANALYZERS = default_analyzers()
STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Statements that a line at column 0 continues, or that only look like a statement's start.
PIECES = [
    "import subprocess as sp\n", "from os import system as run\n", "sp.call(c, shell=True)\n",
    "run(c)\n", "x = [\n1,\neval(y),\n]\n", "@decorator\n\ndef f(x):\n    eval(x)\n",
    "if x:\n    pass\nelse:\n    eval(z)\n", "try:\n    pass\nexcept E:\n    pass\n",
    "s = '''\neval(s)\n'''\n", "y = 1 + \\\n2\n", "class K:\n    password = 'hunter2'\n",
    "pickle.loads(d)  # nosec B301\n", "x = (\n", ")\n", "def g(:\n    eval(q)\n",
    "\n", "# comment\n", "yaml.load(f)\n", "import pickle\n",
]


def _key(raw):
    return (raw.findings, raw.directives, raw.broken, raw.errors,
            [(u.start, u.end, u.digest) for u in raw.split.units],
            [r.context.digest for r in raw.records])


def _both(text: str, visible: tuple) -> tuple:
    lines = text.split("\n")
    progress = Progress(lambda raw: None, 0.0, lambda: visible)
    sliced = Engine(ANALYZERS).analyse_raw(text, "p.py", lines=lines, use_disk=False,
                                           progress=progress)
    whole = Engine(ANALYZERS).analyse_raw(text, "p.py", lines=lines, use_disk=False)
    return _key(sliced), _key(whole)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=40),
       slice_lines=st.integers(1, 12), view=st.tuples(st.integers(0, 80), st.integers(0, 20)))
def test_sliced_analysis_equals_whole_file_analysis(monkeypatch, pieces, slice_lines, view):
    monkeypatch.setattr(progressive, "SLICE_LINES", slice_lines)
    sliced, whole = _both("".join(pieces), ((view[0], view[0] + view[1]),))
    assert sliced == whole


@pytest.mark.parametrize("name", ["subprocess.py", "tarfile.py"])
def test_real_files_sliced_with_the_visible_middle_first(monkeypatch, name):
    monkeypatch.setattr(progressive, "SLICE_LINES", 40)
    text = (STDLIB / name).read_text(encoding="utf-8")
    middle = text.count("\n") // 2
    sliced, whole = _both(text, ((middle, middle + 30),))
    assert sliced == whole


def test_a_unit_deep_in_a_file_has_the_files_line_numbers():
    """Units far down are parsed alone and moved (padding with newlines cost the square of the
    file's length over all units)."""
    unit = Unit(200_000, 200_001, "def f(x):\n    return eval(x)\n", indented=False)
    tree = unit.parse()
    assert tree.body[0].lineno == 200_001 and tree.body[0].body[0].value.lineno == 200_002
    nested = Unit(300_000, 300_000, "    eval(x)\n", indented=True)
    call = nested.parse().body[0].body[0].value
    assert (call.lineno, call.col_offset) == (300_001, 4)
