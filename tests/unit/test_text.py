"""UTF-8 byte offsets (what `ast` and bandit report) to code-point columns, and line tables."""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.model import Span
from bastion.model import text as text_module
from bastion.model.text import byte_to_char_col, common_ends, common_lines, line_at, split_lines


@pytest.mark.parametrize(
    ("line", "byte_col", "expected"),
    [
        ("abc", 0, 0),
        ("abc", 2, 2),
        ("abc", 3, 3),
        ("abc", 10, 3),  # past the end: clamped
        ("abc", -1, 0),
        ("", 0, 0),
        ("é = 1", 2, 1),  # é is 2 bytes
        ("café ☕ x", 5, 4),
        ("café ☕ x", 6, 5),
        ("café ☕ x", 9, 6),  # ☕ is 3 bytes
        ("café ☕ x", 10, 7),
        ("漢字 = f()", 6, 2),  # CJK: 3 bytes each
        ("漢字 = f()", 9, 5),
        ("😀 = 1", 4, 1),  # emoji: 4 bytes, one code point
        ("😀😀x", 8, 2),
        ("👩‍💻 x", 11, 3),  # ZWJ sequence: three code points, 11 bytes
    ],
)
def test_byte_to_char_col(line, byte_col, expected):
    assert byte_to_char_col(line, byte_col) == expected


def test_byte_offset_inside_a_character_rounds_down():
    assert byte_to_char_col("é", 1) == 0
    assert byte_to_char_col("x☕", 2) == 1
    assert byte_to_char_col("x☕", 3) == 1
    assert byte_to_char_col("x😀y", 4) == 1
    assert byte_to_char_col("x😀y", 5) == 2


@pytest.mark.parametrize(
    "line",
    [
        "x = 'café'; y = f(a)",
        "s = '漢字'; t = g(b)",
        "e = '😀😀'; u = h(c)",
        "m = 'ä漢😀'; v = k(d)",
    ],
)
def test_ast_columns_convert_to_the_call_position(line):
    call = [n for n in ast.walk(ast.parse(line)) if isinstance(n, ast.Call)][0]
    start = byte_to_char_col(line, call.col_offset)
    end = byte_to_char_col(line, call.end_col_offset)
    assert line[start:end] == line[line.index("; ") + 6 :]


@settings(max_examples=examples(100), deadline=None, database=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30), st.data())
def test_byte_to_char_col_matches_encoding_at_character_boundaries(line, data):
    index = data.draw(st.integers(0, len(line)))
    byte_col = len(line[:index].encode("utf-8"))
    assert byte_to_char_col(line, byte_col) == index


def test_split_lines_counts_like_ast():
    text = "a = 1\r\nb = 2\n\nc = 3"
    assert split_lines(text) == ["a = 1\r", "b = 2", "", "c = 3"]
    tree = ast.parse(text)
    assert [n.lineno - 1 for n in tree.body] == [0, 1, 3]
    assert split_lines("") == [""]
    assert split_lines("x\n") == ["x", ""]


def test_line_at():
    lines = ["a\r", "b", ""]
    assert line_at(lines, 0) == "a"
    assert line_at(lines, 1) == "b"
    assert line_at(lines, 2) == ""
    assert line_at(lines, 3) == ""
    assert line_at(lines, -1) == ""


def test_span_contains_and_shift():
    span = Span(2, 4, 3, 1)
    assert (
        span.contains(2, 4) and span.contains(2, 99) and span.contains(3, 0) and span.contains(3, 1)
    )
    assert not span.contains(2, 3) and not span.contains(3, 2) and not span.contains(1, 10)
    assert span.shifted(5) == Span(7, 4, 8, 1)
    assert span.shifted(-2) == Span(0, 4, 1, 1)


def _naive_ends(old: str, new: str) -> tuple[int, int]:
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


@settings(max_examples=examples(500), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.text(alphabet="ab\né", max_size=40), edits=st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 3), st.text(alphabet="ab\né", max_size=3)), max_size=3),
    chunk=st.sampled_from([1, 2, 3, 7, 1 << 16]))
def test_the_common_ends_are_the_longest(monkeypatch, old, edits, chunk):
    """`common_ends` compares a chunk at a time: any chunk size gives a character-wise search's
    answer."""
    new = old
    for at, removed, inserted in edits:
        new = new[:at] + inserted + new[at + removed:]
    with monkeypatch.context() as patched:
        patched.setattr(text_module, "_CHUNK", chunk)
        assert common_ends(old, new) == _naive_ends(old, new)


@given(base=st.lists(st.sampled_from(["a", "b", ""]), max_size=200), cut=st.integers(0, 200),
       insert=st.lists(st.sampled_from(["a", "c"]), max_size=3), drop=st.integers(0, 3))
def test_common_lines_are_the_longest(base, cut, insert, drop):
    """Lines shared at both ends, 64 at a time then one by one, as a line-by-line search finds
    them (lists long enough to cross a chunk)."""
    new = base[:cut] + insert + base[cut + drop:]
    assert common_lines(new, base) == _naive_ends(base, new)


# Distinct string objects, some equal in content: the memo of the last comparison is by identity.
_POOL = ["ab\nab", "ab\nb", "".join(["ab", "\nab"]), "", "b\nab", "ab\nab" + "é"]


@settings(max_examples=examples(300))
@given(pairs=st.lists(st.tuples(st.integers(0, len(_POOL) - 1), st.integers(0, len(_POOL) - 1)),
                      min_size=1, max_size=12))
def test_the_common_ends_of_texts_compared_again_are_theirs(pairs):
    """`common_ends` keeps its last answer for the same two texts: each comparison in any order
    (the same new text against another old one, the two swapped, an equal text that is another
    object) answers as a fresh character-wise search."""
    texts = [text[:1] + text[1:] for text in _POOL]  # fresh objects for this example
    for old, new in pairs:
        assert common_ends(texts[old], texts[new]) == _naive_ends(texts[old], texts[new])
