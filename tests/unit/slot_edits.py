"""Texts of a template whose slots random edits set, each slot to one of its texts (the first
the template's), and a taint analyzer's result as the warm-versus-fresh property tests compare
them (test_taint_outcome_reuse.py, test_taint_hand_reuse.py)."""

from __future__ import annotations

from collections.abc import Callable

import attrs
from hypothesis import strategies as st

from bastion.analyzers.taint.analyzer import TaintAnalyzer


def filled(template: str, slots: dict[str, tuple[str, ...]], choices: dict[str, int]) -> str:
    return template.format(**{slot: texts[choices.get(slot, 0)] for slot, texts in slots.items()})


@st.composite
def edit_runs(draw, template: str, slots: dict[str, tuple[str, ...]]):
    """Texts after each of a few edits, each setting one slot to one of its texts."""
    choices: dict[str, int] = {}
    texts = []
    for _ in range(draw(st.integers(1, 6))):
        slot = draw(st.sampled_from(sorted(slots)))
        choices[slot] = draw(st.integers(0, len(slots[slot]) - 1))
        texts.append(filled(template, slots, choices))
    return texts


def result(analyzer: TaintAnalyzer, text: str, name: str = "app.py"):
    return attrs.astuple(analyzer._result(text, name), recurse=False)


def assert_warm_is_fresh(new: Callable[[], TaintAnalyzer], first: str, texts: list[str]) -> None:
    """An analyzer `new()` made that analysed `first` then each of `texts` before gives each
    the result a fresh one gives."""
    warm = new()
    warm.analyse_file(first, "app.py")
    for text in texts:
        assert result(warm, text) == result(new(), text), text
