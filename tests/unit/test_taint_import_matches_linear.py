"""`modules.import_matches` reads a hostile text in linear time: a parenthesized name list is
read up to the next bracket (an unclosed `from a import (` on every line read each to the end of
the text: a 1 MB file took a minute), and the text before each `import` word is read back only
since the last one (a long line holding the word many times was read once a word). The matches
are those of reading each line back from its start."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint import modules


def _reference(text: str) -> list[tuple]:
    """Each `import` word's line read back from its start for the last colon or semicolon."""
    found = []
    position = text.find("import")
    while position != -1:
        start = text.rfind("\n", 0, position) + 1
        start = max(start, text.rfind(":", start, position) + 1, text.rfind(";", start, position) + 1)
        match = modules._IMPORT.match(text, start)
        end = position + 6
        if match is not None:
            found.append((match.span(), match.groups()))
            end = max(end, match.end())
        position = text.find("import", end)
    return found


PIECES = st.sampled_from(["import", "from", " ", "\t", ":", ";", "\n", "a", "b.c", "(", ")", ".",
                          "#", ",", " as ", "x"])


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_matches_equal_reading_each_line_from_its_start(text):
    assert [(m.span(), m.groups()) for m in modules.import_matches(text)] == _reference(text)


def test_real_imports_are_read():
    text = "import os, re\nif x: import y\nfrom .a import (b,\n    c)\nz = 1; from q import r\n"
    assert [m.groups() for m in modules.import_matches(text)] == [
        (None, None, None, "os, re"), (None, None, None, "y"), (".", "a", "(b,\n    c)", None),
        ("", "q", "r", None)]


HOSTILE = [
    "'from a import (\\n' * 62_500",  # an unclosed bracket on every line, 1 MB
    "'importx ' * 125_000",  # one 1 MB line holding the word 125,000 times
    "'a:importx;' * 100_000",
]


def test_hostile_texts_are_read_in_linear_time():
    code = ("import sys, time\nfrom bastion.analyzers.taint.modules import import_matches\n"
            + "".join(f"sum(1 for _ in import_matches({text}))\n" for text in HOSTILE))
    done = subprocess.run([sys.executable, "-c", code], timeout=30, capture_output=True, text=True,
                          env={"PYTHONPATH": modules.__file__.rsplit("/bastion/", 1)[0]})
    assert done.returncode == 0, done.stderr
