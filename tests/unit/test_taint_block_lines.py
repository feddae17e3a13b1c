"""The block parser's lines spliced from the last text's around an edit (block_lines.py) are the
text split whole, and the lines it shares with the last text are those a comparison of the whole
line lists finds: over random edits anywhere (line ends typed and deleted, repeated lines, an
edit far from the last one), and through a BlockParser that parses each text as a fresh one."""

from __future__ import annotations

import ast
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.block_lines import split_after
from bastion.analyzers.taint.block_starts import Starts, block_starts
from bastion.analyzers.taint.blocks import BlockParser
from bastion.model.text import common_lines

_PIECES = ["\n", "a", "b\n", "\n\n", "def f():\n    pass\n", "    x = 1", ""]


def _replay(texts: list[str]) -> None:
    """Each text spliced from the one before (the first from nothing) equals the whole split."""
    last, last_lines, anchor = None, [], (0, 0)
    for text in texts:
        spliced = split_after(text, last, last_lines, anchor)
        lines = text.split("\n")
        assert spliced.lines == lines
        assert (spliced.same_before, spliced.same_after) == common_lines(lines, last_lines)
        start, newlines = spliced.anchor
        assert text[:start].count("\n") == newlines
        last, last_lines, anchor = text, spliced.lines, spliced.anchor


def _edited(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    removed = rng.choice([0, 0, 1, 2, 5])
    return text[:at] + rng.choice(_PIECES) + text[at + removed:]


@settings(max_examples=examples(150), deadline=None)
@given(start=st.text(alphabet="ab\n", max_size=30),
       edits=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3), st.text(alphabet="ab\n", max_size=4)),
                      max_size=6))
def test_spliced_lines_are_the_split_lines(start, edits):
    texts = [start]
    for at, removed, inserted in edits:
        text = texts[-1]
        texts.append(text[:at] + inserted + text[at + removed:])
    _replay(texts)


def test_spliced_lines_over_seeded_edit_sequences():
    """Longer texts of repeated lines (a comparison that stops at the first equal line is
    wrong there), edits jumping between the two ends, the same text again, another text."""
    rng = random.Random(101)
    for _ in range(40):
        text = "".join(rng.choice(["x\n", "y\n", "\n", "    z = 1\n"]) for _ in range(rng.randrange(1, 80)))
        texts = [text]
        for _ in range(25):
            texts.append(_edited(rng, texts[-1]) if rng.random() < 0.9 else texts[-1])
        texts.append("unrelated\ntext")
        _replay(texts)


def _dump(module: ast.Module) -> str:
    return ast.dump(module, include_attributes=True)


def test_typed_lines_parse_as_fresh_parses():
    """Lines typed, broken and joined through a module of functions and a class: each text the
    warm parser (its lines spliced) reads is what a fresh one reads."""
    rng = random.Random(6)
    text = "".join(f"def f{i}(a):\n    return a + {i}\n\n\n" for i in range(12))
    text += "class C:\n" + "".join(f"    def m{i}(self):\n        return {i}\n\n" for i in range(40))
    warm = BlockParser()
    for _ in range(40):
        assert _dump(warm.parse(text)) == _dump(BlockParser().parse(text))
        at = rng.randrange(len(text) + 1)
        typed = rng.choice(["\n", "\n    ", "x", "(", ")", "", "\n\n"])
        text = text[:at] + typed + text[at + rng.choice([0, 1]):]


@settings(max_examples=examples(150), deadline=None)
@given(base=st.lists(st.sampled_from(["a", "b"]), max_size=140), cut=st.integers(0, 140),
       insert=st.lists(st.sampled_from(["a", "b"]), max_size=3), drop=st.integers(0, 3),
       head=st.integers(0, 140), tail=st.integers(0, 140))
def test_common_lines_from_lines_known_shared(base, cut, insert, drop, head, tail):
    """Started from any first and last lines known shared (each end's alone), the comparison
    answers as one from nothing: a known end may overlap the other's answer."""
    new = base[:cut] + insert + base[cut + drop:]
    shared_head = next((n for n in range(min(len(new), len(base))) if new[n] != base[n]),
                       min(len(new), len(base)))
    shared_tail = next((n for n in range(min(len(new), len(base))) if new[-1 - n] != base[-1 - n]),
                       min(len(new), len(base)))
    assert common_lines(new, base, min(head, shared_head), min(tail, shared_tail)) == common_lines(new, base)


_SCANNED = ["", "x = 1", "def f():", "@d", '"""', "'''", "x = 1 \\", "else:", "# c", "s = 'a\"b'", ")"]


@pytest.mark.parametrize("indent", ["", "    "])
def test_rescanned_starts_are_a_whole_scan(indent):
    """The starts kept and shifted around the rescanned lines, with the scan's states replaced
    in place, are a whole scan's: lines typed, joined and broken, triple quotes and decorators
    opened and closed, the same lines again, another text."""
    rng = random.Random(7)
    for _ in range(20):
        lines = [rng.choice(["", "    "]) + rng.choice(_SCANNED) for _ in range(rng.randrange(1, 60))]
        scanner = Starts(indent)
        for _ in range(20):
            assert scanner(lines) == block_starts(lines, indent=indent)
            at = rng.randrange(len(lines) + 1)
            typed = [indent + rng.choice(_SCANNED) for _ in range(rng.choice([0, 1, 2]))]
            lines = lines[:at] + typed + lines[at + rng.choice([0, 1, 2]):] or [""]
        assert scanner(["other"]) == block_starts(["other"], indent=indent)
