"""Strings known character by character (taint/charsets.py): the substitution patterns read as
"every character outside a class is replaced", and what is left alone."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.charsets import substituted_cleans
from bastion.analyzers.taint.patterns import cleaned_by


@pytest.mark.parametrize(("pattern", "replacement", "kept"), [
    (r"[^a-z0-9]", "", "[a-z0-9]*"),
    (r"[^\w.-]+", "_", r"[\w._-]*"),
    (r"[^]a-z]", "", "[]a-z]*"),  # a `]` first is part of the class
    (r"[^\]a-z]*", "", r"[\]a-z]*"),
])
def test_a_negated_class_keeps_its_characters_and_the_replacement(pattern, replacement, kept):
    assert substituted_cleans(pattern, replacement) == cleaned_by(kept, 0, "fullmatch")
    assert {"sql", "html", "path"} <= substituted_cleans(pattern, replacement)


@pytest.mark.parametrize(("pattern", "replacement"), [
    (r"[;&|]", ""),  # removes some characters: the rest may be anything
    (r"[^a-z]{2}", ""),  # pairs only: one character outside the class stays
    (r"[^a-z]+?", ""),
    (r"[^a-z]|x", ""),
    (r"[^a-z]", "$("),  # the replacement's characters are kept too
    (r"[^a-z", ""),  # not a pattern
    (r"[^a-z]", None),  # a replacement function
])
def test_anything_else_proves_nothing(pattern, replacement):
    assert not substituted_cleans(pattern, replacement) >= {"shell"}
