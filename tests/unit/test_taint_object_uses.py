"""object_uses.py reads a hostile repository's text at every keystroke: the import-statement test
before a name must stay linear however many names the statement lists, and read them as the
plain pattern reads a short one."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.object_uses import _IN_IMPORT

# the plain form, whose stretches of spaces had many readings (exponential on a failing match)
PLAIN = re.compile(r"import\s*\(?\s*(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*\\?\s*)*(?:[\w.]+\s+as\s+)?$")
PIECES_LISTED = ["a", "b.c", " ", "  ", "\n", ",", " as ", "(", "\\", "1", "x as y"]
PIECES = st.sampled_from(PIECES_LISTED)


@given(st.lists(PIECES, max_size=8))
@settings(max_examples=examples(400), deadline=None)
def test_the_import_test_reads_a_statement_as_the_plain_pattern(pieces):
    text = "import " + "".join(pieces)
    assert bool(_IN_IMPORT.match(text)) == bool(PLAIN.match(text))


def test_every_statement_of_four_pieces_is_read_as_the_plain_pattern_reads_it():
    """Every arrangement, so that a backslash run (`a,\\\\`) cannot slip past a random draw."""
    for count in range(5):
        for pieces in itertools.product(PIECES_LISTED, repeat=count):
            text = "import " + "".join(pieces)
            assert bool(_IN_IMPORT.match(text)) == bool(PLAIN.match(text)), text


def test_a_long_import_list_that_does_not_match_is_answered_at_once():
    """Thirty names, each followed by spaces, and a digit: the plain pattern tried every split of
    every stretch of spaces (minutes); this one answers in well under the 20 s allowed."""
    code = ("from bastion.analyzers.taint.object_uses import _IN_IMPORT\n"
            "assert not _IN_IMPORT.match('import (' + 'a,      \\n      ' * 30 + '1')\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=20)
