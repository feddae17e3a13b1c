"""The incremental splitter equals a from-scratch split after every edit, parsing or not."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.engine.incremental import IncrementalSplitter
from bastion.engine.units import split_document

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
