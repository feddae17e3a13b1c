"""A Pipfile.lock edited within one line is read from its last read (deps/pipfile_lines.py)
with the results of a whole-file analysis: random locks (packages named like keys, escapes,
unpinned versions, a package or section written twice, compact or indented, values on
lines of their own, blank lines) after random edits (most type in a string or a blank; others
add a quote, a backslash, a colon, a line, a blank in a number, or break the JSON)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, locks, store
from bastion.deps.location import shipped_index_path
from bastion.deps.lock_blocks import LockCache

NAMES = ["django", "requests", "jinja2", "urllib3", "version", "hashes", "default", "re\\u0071uests"]
VERSIONS = ["==3.2.5", "==2.19.0", "==2.10", "==1.26.4", "==9.9", "*", "==not a version", "==2\\u002e19.0"]
ENTRY = st.tuples(st.sampled_from(VERSIONS), st.booleans(), st.booleans())


def _object(pairs: list[tuple[str, str]], indent: int | None, depth: int) -> str:
    """A JSON object of raw (key, value) texts, duplicates kept, laid out as json.dumps does."""
    if indent is None:
        return "{" + ", ".join(f'"{key}": {value}' for key, value in pairs) + "}"
    inner, outer = "\n" + " " * indent * (depth + 1), "\n" + " " * indent * depth
    return "{" + ",".join(f'{inner}"{key}": {value}' for key, value in pairs) + outer + "}"


@st.composite
def pipfiles(draw) -> str:
    indent = draw(st.sampled_from([None, 1, 4]))
    sections = []
    for section in draw(st.lists(st.sampled_from(["default", "develop", "develop"]), max_size=3)):
        packages = []
        for name, (version, hashes, markers) in draw(st.lists(st.tuples(st.sampled_from(NAMES), ENTRY),
                                                              max_size=6)):
            entry = [("hashes", json.dumps(["sha256:0"]))] if hashes else []
            entry.append(("version", f'"{version}"'))
            if markers:
                entry.extend([("markers", "\"python_version >= '3.8'\""), ("editable", "true"),
                              ("rank", "12.5")])
            packages.append((name, _object(entry, indent, 3)))
        sections.append((section, _object(packages, indent, 2)))
    meta = ("_meta", _object([("hash", '{"sha256": "x"}')], indent, 2))
    text = _object([meta, *sections], indent, 0) + "\n"
    if draw(st.booleans()):  # a string value alone on its line, blank lines
        text = text.replace('": "', '":\n"').replace(",\n", ",\n\n")
    return text


INSERTS = st.sampled_from(["1", "1", "0", ".", ".", "=", "a", "é", " ", " ", "\t", "\r", "\x0b", "", "",
                           "", None, None, '"', "\\", ":", ",", "\n", "\x01", "{", "}", "==2.19.0",
                           "version", "\n", "\n\n", "\n    ", "\r\n", "\n\x0b"])
# Where: anywhere, or (True) just after a quote, an "=", a punctuation or a digit, where a version
# or a blank is typed.
EDITS = st.lists(st.tuples(st.floats(0, 1), st.booleans(), st.integers(0, 3), INSERTS),
                 min_size=4, max_size=16)


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@settings(max_examples=examples(600), deadline=None)
@given(text=pipfiles(), edits=EDITS)
def test_an_edited_pipfile_lock_gives_the_results_of_a_whole_analysis(shipped, text, edits):
    cache = LockCache()
    texts = [text]
    for at, typing, removed, inserted in [(0.0, False, 0, ""), *edits]:
        places = [m.end() for m in re.finditer('["=:,{}\\[\\]1-9]', texts[-1])] if typing else []
        first = places[int(at * (len(places) - 1))] if places else int(at * len(texts[-1]))
        if inserted is None and len(texts) > 1:
            texts.pop()
        elif inserted is not None:
            texts.append(texts[-1][:first] + inserted + texts[-1][first + removed:])
        whole = analysis.analyse("/w/Pipfile.lock", texts[-1], "/w", shipped)
        mine = analysis.analyse("/w/Pipfile.lock", texts[-1], "/w", shipped, pieces=cache)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)


def test_a_version_typed_in_a_large_pipfile_lock_is_read_without_parsing_the_json(shipped, monkeypatch):
    """The point of it (issue 15): a keystroke in a 6.8 MB Pipfile.lock parsed and scanned it
    whole (616 ms)."""
    lock = {"_meta": {}, "default": {f"package-{n}": {"hashes": ["sha256:0"], "version": "==1.0"}
                                     for n in range(3000)},
            "develop": {"django": {"version": "==3.2.5"}, "flask": {"version": "==not a version"}}}
    text = json.dumps(lock, indent=4) + "\n"
    cache = LockCache()
    analysis.analyse("/w/Pipfile.lock", text, "/w", shipped, pieces=cache)
    for at in (text.index("==3.2.5") + len("==3.2."),  # 3.2.5 -> 3.2.15
               text.index('"version": "==', len(text) // 2) + len('"version": "==')):  # 1.0 -> 11.0
        text = text[:at] + "1" + text[at:]
        with monkeypatch.context() as patched:
            patched.setattr(locks, "json", None)  # neither parsed nor scanned again
            mine = analysis.analyse("/w/Pipfile.lock", text, "/w", shipped, pieces=cache)
        whole = analysis.analyse("/w/Pipfile.lock", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
        assert [f.span.start_line for f in mine.findings] == [text.count("\n", 0, text.index("3.2.15"))]


def test_lines_typed_in_a_large_pipfile_lock_are_read_without_parsing_the_json(shipped, monkeypatch):
    """Enter typed (issue 15): a new line, a line joined were parsed whole (105 ms per
    keystroke at 1.4 MB); the packages below move."""
    lock = {"_meta": {}, "default": {f"django{n}" if n else "django": {"hashes": ["sha256:0"],
                                                                      "version": "==3.2.5"}
                                     for n in range(3000)},
            "develop": {"django": {"version": "==3.2.5"}, "flask": {"version": "==not a version"}}}
    text = json.dumps(lock, indent=4) + "\n"
    cache = LockCache()
    analysis.analyse("/w/Pipfile.lock", text, "/w", shipped, pieces=cache)
    middle = text.index("\n", len(text) // 2) + 1
    edits = [(middle, "", "\n"), (middle, "", "  \n\t\r\n"), (middle, "  \n", ""), (0, "", "\n"),
             ("end", "", "\n"), ("version", "", "1")]  # at the end; in the last version: 3.2.15
    for at, removed, inserted in edits:
        at = {"end": len(text), "version": text.rfind("==3.2.5") + len("==3.2.")}.get(at, at)
        assert text.startswith(removed, at)
        text = text[:at] + inserted + text[at + len(removed):]
        with monkeypatch.context() as patched:
            patched.setattr(locks, "json", None)  # neither parsed nor scanned again
            mine = analysis.analyse("/w/Pipfile.lock", text, "/w", shipped, pieces=cache)
        whole = analysis.analyse("/w/Pipfile.lock", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
        assert len(whole.findings) > 1 and whole.not_analysed
    assert "3.2.15" in text


LOCK = json.dumps({"default": {"a": {"hashes": ["sha256:a", "sha256:b", "sha256:c"], "version": "==1.0"},
                               "django": {"version": "==3.2.5"}}}, indent=4) + "\n"


@pytest.mark.parametrize(("text", "old", "new"), [
    (LOCK, '"sha256:a",\n                "sha256:b",', '"sha256:b",'),  # a line less
    (LOCK, '"sha256:b",', '"sha256:a",\n                "sha256:b",'),  # a line more
    (LOCK.replace('": "==3.2.5"', '":\n"==3.2.5"'), '"==3.2.5"', "xyz"),  # a string, then not
    (LOCK, '"django"', '"djang"'), (LOCK, "==3.2.5", '==3.2.5\\"'), (LOCK, "==3.2.5", "==3.2.5\x01"),
    (LOCK.replace('"==1.0"', '"==1.0", "n": 12'), "12", "1 2"),
    (LOCK, '"default": {\n', '"default": {\n\x0b\n')])  # a line of a blank JSON has not
def test_what_is_not_a_string_value_typed_is_read_whole(shipped, text, old, new):
    cache = LockCache()
    analysis.analyse("/w/Pipfile.lock", text, "/w", shipped, pieces=cache)
    assert old in text
    edited = text.replace(old, new, 1)
    mine = analysis.analyse("/w/Pipfile.lock", edited, "/w", shipped, pieces=cache)
    whole = analysis.analyse("/w/Pipfile.lock", edited, "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)


def test_a_string_typed_over_keystrokes_is_read_from_the_last_valid_text(shipped, monkeypatch):
    """Issue 15: while a quote was open the JSON was not valid, and the keystroke that closed
    it parsed the lock whole again (97 ms at 1.4 MB): now it is read from the last valid text."""
    lock = {"default": {f"django{n}" if n else "django": {"version": "==3.2.5"} for n in range(3000)}}
    text = json.dumps(lock, indent=4) + "\n"
    cache = LockCache()
    analysis.analyse("/w/Pipfile.lock", text, "/w", shipped, pieces=cache)
    at = text.index('"==3.2.5"') + len('"==3.2.')
    broken = analysis.analyse("/w/Pipfile.lock", text[:at] + "6" + text[at + 2:], "/w", shipped, pieces=cache)
    assert broken.not_analysed and not broken.findings
    text = text[:at] + '6"' + text[at + 2:]
    with monkeypatch.context() as patched:
        patched.setattr(locks, "json", None)  # neither parsed nor scanned again
        mine = analysis.analyse("/w/Pipfile.lock", text, "/w", shipped, pieces=cache)
    whole = analysis.analyse("/w/Pipfile.lock", text, "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert [f.span.start_line for f in whole.findings] == [3]
