"""WordGate (the own rules' text gates, asked of every text at every keystroke) finds what the
regular expression `\\b(?:word|...)after` finds, without its cost (re tries every position of a
pattern starting with `\\b`: 2-6 ms a key on a 6,000-line module)."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.analyzers.dead_branches import LITERAL_TEST
from bastion.analyzers.word_gate import WordGate

WORDS = [("new", r"\s*\("), ("set_cookie", r"\s*\("), ("SESSION_COOKIE_SECURE", r"\s*=(?!=)")]
REGEX = re.compile(r"\b(?:new|set_cookie)\s*\(|\bSESSION_COOKIE_SECURE\s*=(?!=)")
PIECES = ["new", "set_cookie", "SESSION_COOKIE_SECURE", "renew", "_new", "new_", "(", " (", "\n(",
          "=", "==", " = ", "x", ".", " ", "\n", "if", "if 3 > 5:", "elif 1:", "if True else", "#"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_the_gate_finds_the_lines_the_regular_expression_finds(pieces):
    text = "".join(pieces)
    gate = WordGate(WORDS)
    assert gate.search(text) == (REGEX.search(text) is not None)
    lines = {text.count("\n", 0, start) for start in gate.starts(text)}
    assert {text.count("\n", 0, m.start()) for m in REGEX.finditer(text)} <= lines
    assert all(REGEX.match(text, start) for start in gate.starts(text))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_the_literal_test_gate_is_the_word_bounded_expression(pieces):
    text = "".join(pieces)
    expected = re.search(r"\bif\s+(?:not\s+)?(?:True|False|\d+(?:\.\d+)?(?:\s*(?:[<>]=?|[=!]=)\s*"
                         r"\d+(?:\.\d+)?)?)\s*(?::|else\b)", text)
    assert LITERAL_TEST.search(text) == (expected is not None)


def test_an_empty_gate_holds_nothing():
    assert not WordGate([])
    assert not WordGate([]).search("new(")
