"""What a regular expression proves about a value it matched (taint/patterns.py), on every
supported Python: the standard library's pattern parser it reads is private, so these pin its
shape on 3.10 to 3.13."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.patterns import _DANGEROUS, cleaned_by

CASES = [
    # (pattern, flags, how, classes it must make safe, classes it must not)
    (r"[a-z0-9.-]+", 0, "fullmatch", {"shell", "path", "sql", "html", "log"}, {"ssrf", "code"}),
    (r".+", 0, "fullmatch", set(), {"shell", "path", "sql", "html", "log"}),
    (r"[^/]+", 0, "fullmatch", set(), {"path", "shell"}),
    # Unicode `\w` and `\d` match letters and digits beyond ASCII, none of them a line boundary
    (r"[\w.-]+", 0, "fullmatch", {"shell", "path", "html", "log"}, {"ssrf"}),
    (r"[\w.-]+", re.ASCII, "fullmatch", {"shell", "path", "html", "log"}, {"ssrf"}),
    (r"\d+", 0, "fullmatch", {"shell", "path", "sql", "html", "log"}, {"ssrf"}),
    (r"[\w\s]+", 0, "fullmatch", {"path"}, {"log", "shell"}),
    (r"[0-9]+", 0, "fullmatch", {"shell", "path", "sql", "html", "log", "code"}, {"ssrf"}),
    (r"(api|cdn)\.example\.com", 0, "fullmatch",
     {"ssrf", "shell", "path", "redirect", "code", "deserialize"}, set()),
    (r"[a-z]+", re.IGNORECASE, "fullmatch", {"shell", "path"}, {"ssrf"}),
    (r"[a-z]{3}", 0, "fullmatch", {"shell", "path"}, {"ssrf"}),  # any three letters: `git`
    (r"[a-z ]+", 0, "fullmatch", {"path", "html"}, {"shell", "sql"}),
    # `match` and `search` prove something only when anchored; `$` lets a last newline
    # through, after which nothing of the sender's comes: it breaks a log line, not a command
    (r"[a-z]+\Z", 0, "match", {"shell", "log"}, set()),
    (r"[a-z]+$", 0, "match", {"path", "html", "shell", "sql"}, {"log"}),
    (r"^(get|set)$", 0, "match", {"shell", "sql", "ssrf"}, {"log"}),
    (r"^[a-z]+$", re.MULTILINE, "match", set(), {"shell", "log"}),
    (r"[a-z]+", 0, "match", set(), {"shell", "path"}),
    (r"^[a-z]+\Z", 0, "search", {"shell"}, set()),
    (r"[a-z]+\Z", 0, "search", set(), {"shell"}),
    (r"^[a-z]+\Z", re.MULTILINE, "search", set(), {"shell"}),
    # what the parser cannot say proves nothing
    (r"(a)\1", 0, "fullmatch", set(), {"shell"}),
    (r"(?=x)x", 0, "fullmatch", set(), {"shell"}),
    (r"[\W]+", 0, "fullmatch", set(), {"shell"}),
    (r"[", 0, "fullmatch", set(), {"shell"}),
]


@pytest.mark.parametrize(("pattern", "flags", "how", "safe", "unsafe"), CASES,
                         ids=[f"{c[2]}:{c[0]}" for c in CASES])
def test_a_pattern_proves_what_its_characters_allow(pattern, flags, how, safe, unsafe):
    cleans = cleaned_by(pattern, flags, how)
    assert safe <= cleans, sorted(safe - cleans)
    assert not (unsafe & cleans), sorted(unsafe & cleans)


def test_every_match_is_checked_against_python():
    """The characters a pattern lets through include every character of strings it matches."""
    samples = ["abc", "a-b.c", "x y", "a;b", "../etc", "a\n", "é", "<b>", "1 OR 1", "api.example.com"]
    for pattern, flags, how, _, _ in CASES:
        try:
            compiled = re.compile(pattern, flags)
        except re.error:
            continue
        cleans = cleaned_by(pattern, flags, how)
        for sample in samples:
            if getattr(compiled, how)(sample) and ";" in sample:
                assert "shell" not in cleans, (pattern, sample)
            if getattr(compiled, how)(sample) and "/" in sample:
                assert "path" not in cleans, (pattern, sample)
            if getattr(compiled, how)(sample) and "\n" in sample:
                assert "log" not in cleans, (pattern, sample)


_ATOMS = ["a", "z", r"\.", "-", ";", "/", " ", r"\n", ".", r"\w", r"\d", r"\s", "[a-z]", "[^a-z]",
          "[^;]", "[a-z0-9.]", r"[\w.-]", "é", "<", "'", "(?:a|;)", "(?:x|y)"]
_ALPHABET = "az.-;/ \n_é<'09xyAZ|&$"


@settings(max_examples=examples(400), deadline=None)
@given(atoms=st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=4),
       quantifiers=st.lists(st.sampled_from(["", "+", "*", "?", "{2}"]), min_size=4, max_size=4),
       anchors=st.sampled_from([("", ""), ("^", r"\Z"), ("", "$"), ("^", "")]),
       how=st.sampled_from(["fullmatch", "match", "search"]),
       flags=st.sampled_from([0, re.IGNORECASE, re.ASCII, re.DOTALL]),
       sample=st.text(alphabet=_ALPHABET, max_size=8))
def test_no_string_a_pattern_matches_breaks_a_class_it_claims_safe(atoms, quantifiers, anchors,
                                                                  how, flags, sample):
    pattern = anchors[0] + "".join(a + q for a, q in zip(atoms, quantifiers, strict=False)) + anchors[1]
    if getattr(re.compile(pattern, flags), how)(sample) is None:
        return  # the guard fails: nothing is learnt
    cleans = cleaned_by(pattern, flags, how)
    if "ssrf" in cleans:
        return  # a finite language spelled out: the value is one of the developer's strings
    # `$` (not MULTILINE) may leave one newline, the string's last character, unmatched: it can
    # end the value, not put anything of the sender's after it
    body = sample[:-1] if anchors[1] == "$" and how != "fullmatch" and sample.endswith("\n") \
        else sample
    for sink_class in cleans & _DANGEROUS.keys():
        checked = sample if sink_class == "log" else body
        assert not set(checked) & _DANGEROUS[sink_class], (pattern, sample, sink_class)
