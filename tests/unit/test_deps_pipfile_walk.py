"""A Pipfile.lock's whole read takes shortcuts (issue 15): the version walk reads a flat package
entry in one match (`locks._flat_entries`), and a package no advisory names is given no
dependency or span (`pipfile_lines._Layout.derive`). Both must find what the plain token walk
and the whole analysis find, on generated locks: sections default / develop (each possibly
written twice), markers, hashes, index, names in both sections or written twice, unicode names
written raw or escaped, versions written twice, nested entries, odd spacing, invalid versions."""

from __future__ import annotations

import json
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, locks
from bastion.deps.lock_blocks import LockCache

PATH = "/w/Pipfile.lock"
NAMES = ["django", "requests", "jinja2", "paquet-é", "日本", "version", "hashes", "default",
         "develop", "a\"b", "left\\right", "pkg-1"]
VERSIONS = ["==3.2.5", "==2.19.0", "==2.10", "==1.0", "==not.a.version", "*", "==2.32.3"]
BLANKS = st.sampled_from(["", " ", "\n", "\n    ", "\t", " \r\n  "])


def _string(value: str, escaped: bool) -> str:
    return json.dumps(value, ensure_ascii=escaped)


@st.composite
def _value(draw, depth: int = 0):
    """A JSON value as (pairs for objects, lists, scalars) for `_write`."""
    kind = draw(st.sampled_from(["str", "num", "strings", "object"] if depth < 2 else ["str", "num"]))
    if kind == "str":
        return draw(st.sampled_from(["pypi", "version", "{", "}", "[x]", "é", 'a"b']))
    if kind == "num":
        return draw(st.sampled_from([1, 2.5, True, None]))
    if kind == "strings":
        return draw(st.lists(st.sampled_from(["sha256:0", "version", "{"]), max_size=3))
    return draw(st.lists(st.tuples(st.sampled_from(["version", "x", "markers"]), _value(depth + 1)),
                         max_size=2))


@st.composite
def _entry(draw):
    pairs = []
    if draw(st.booleans()):
        pairs.append(("hashes", draw(st.lists(st.sampled_from(["sha256:0", "sha256:1"]), max_size=3))))
    if draw(st.booleans()):
        pairs.append(("index", "pypi"))
    if draw(st.booleans()):
        pairs.append(("markers", "python_version >= '3.8'"))
    for _ in range(draw(st.integers(0, 2))):
        pairs.append(("version", draw(st.sampled_from(VERSIONS))))
    if draw(st.integers(0, 4)) == 0:
        pairs.insert(draw(st.integers(0, len(pairs))), (draw(st.sampled_from(["extra", "version"])),
                                                        draw(_value())))
    draw(st.randoms()).shuffle(pairs)
    return pairs


@st.composite
def _lock(draw):
    top = [("_meta", [("hash", [("sha256", "x")]), ("default", [("x", [("version", "==9.9")])])])]
    for _ in range(draw(st.integers(1, 3))):
        packages = draw(st.lists(st.tuples(st.sampled_from(NAMES), _entry()), max_size=6))
        top.append((draw(st.sampled_from(["default", "develop"])), packages))
    draw(st.randoms()).shuffle(top)
    return top


def _write(value, draw, escaped: bool) -> str:
    blank = draw(BLANKS)
    if isinstance(value, list) and value and isinstance(value[0], tuple) or value == []:
        items = [f"{blank}{_string(k, draw(st.booleans()) or escaped)}{draw(BLANKS)}:{draw(BLANKS)}"
                 f"{_write(v, draw, escaped)}" for k, v in value]
        return "{" + ",".join(items) + draw(BLANKS) + "}"
    if isinstance(value, list):
        return "[" + ",".join(f"{draw(BLANKS)}{_string(v, escaped)}" for v in value) + draw(BLANKS) + "]"
    return _string(value, escaped) if isinstance(value, str) else json.dumps(value)


def _walked(text: str, stop: int | None = None) -> dict:
    """`locks.pipfile_versions` as it was (1959cbb): token by token, no entry read whole."""
    flat = locks._flat_entries
    locks._flat_entries = lambda _text, start, _stop, _section, _places, line, scanned: (
        start, line, scanned)
    try:
        return locks.pipfile_versions(text, stop)
    finally:
        locks._flat_entries = flat


@settings(max_examples=examples(300), deadline=None)
@given(_lock(), st.booleans(), st.data())
def test_the_walk_and_the_whole_read_equal_the_plain_ones_on_generated_locks(lock, escaped, data):
    text = _write(lock, data.draw, escaped) + "\n"
    json.loads(text)  # a valid lock
    assert locks.pipfile_versions(text) == _walked(text)
    stop = data.draw(st.integers(0, len(text)))
    assert locks.pipfile_versions(text, stop) == _walked(text, stop)
    read = analysis.analyse(PATH, text, "/w", pieces=LockCache())
    whole = analysis.analyse(PATH, text, "/w")
    assert (sorted(read.findings, key=repr), sorted(read.not_analysed, key=repr)) == \
        (sorted(whole.findings, key=repr), sorted(whole.not_analysed, key=repr))


def test_a_flat_entry_s_last_version_counts_and_a_nested_one_is_walked():
    text = ('{"default": {"django": {"version": "==9.0", "index": "pypi", "version": "==3.2.5"},\n'
            ' "odd": {"x": {"version": "==1.0"}, "version": "==2.0"}, "tail": {"version": "==3.0"}}}')
    assert locks.pipfile_versions(text) == _walked(text) == {
        ("default", "django"): (0, 72, '"==3.2.5"'), ("default", "odd"): (1, 47, '"==2.0"'),
        ("default", "tail"): (1, 77, '"==3.0"')}


def test_an_unadvised_package_s_invalid_version_is_still_reported():
    text = json.dumps({"default": {"pkg-1": {"version": "==not.a.version"},
                                   "django": {"version": "==3.2.5"}}}, indent=4)
    read = analysis.analyse(PATH, text, "/w", pieces=LockCache())
    assert [(p.start_line, p.reason) for p in read.not_analysed] == [
        (3, "pkg-1: 'not.a.version' is not a PEP 440 version")]
    assert read == analysis.analyse(PATH, text, "/w") and read.findings


_ENTRY_PIECES = st.sampled_from(['"a"', '"version"', '"==1.0"', ":", ",", " ", "\n", "{", "}", "x",
                                 "\\", '"', "[", "]", "  \n    "])


@pytest.mark.skipif(sys.version_info < (3, 11), reason="possessive quantifiers need Python 3.11")
@given(st.sampled_from(['"pkg"', '""', '"a\\b"', "pkg"]), st.lists(_ENTRY_PIECES, max_size=40))
@settings(max_examples=examples(300), deadline=None)
def test_the_stepwise_entry_pattern_python_3_10_uses_matches_as_the_possessive_one(name, pieces):
    """Python 3.10 has no possessive quantifiers: its pattern reads a run a character at a time
    and must read every text as the possessive one does."""
    text = name + ": {" + "".join(pieces)
    possessive = re.compile(locks.FLAT_ENTRY_POSSESSIVE).match(text)
    stepwise = re.compile(locks.FLAT_ENTRY_STEPWISE).match(text)
    assert (possessive and possessive.groups()) == (stepwise and stepwise.groups())
    assert (possessive and possessive.end()) == (stepwise and stepwise.end())
