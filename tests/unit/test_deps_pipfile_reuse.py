"""A large Pipfile.lock's whole read after its preview takes the values the preview parsed
(deps/pipfile_text.py): the JSON is parsed once, the results are the whole analysis', also when
the text changed between the preview and the whole read, and nothing is kept after it."""

from __future__ import annotations

import json

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_deps_lock_preview import PINS, _pipfile_text

from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.deps import analysis, pipfile_text
from bastion.filekinds import FileKind
from bastion.model.text import split_lines

PATH = "/w/Pipfile.lock"
ENTRIES = st.lists(st.tuples(st.integers(0, len(PINS) - 1), st.integers(0, 1),
                             st.sampled_from(["nested", "flat"])), min_size=1, max_size=20)


@pytest.fixture
def every_text_kept(monkeypatch):
    """Every text is kept, as a large one is."""
    monkeypatch.setattr(pipfile_text, "_KEPT_CHARS", 0)
    pipfile_text.forget()
    yield
    pipfile_text.forget()


def _opened(text: str, last: int, then: str | None = None) -> list:
    """The preview of lines 0 to `last` of `text`, then the whole read (of `then` if given), by a
    fresh analyzer, as the editor opens a file."""
    analyzer = DepsAnalyzer()
    analyzer.preview(text, split_lines(text), 0, last, PATH, FileKind.LOCK)
    return analyzer.analyse_text(text if then is None else then, PATH, FileKind.LOCK)


def _whole(text: str) -> list:
    result = analysis.analyse(PATH, text, "/w")
    return [*result.findings, *result.not_analysed]


def test_the_json_is_parsed_once_for_the_preview_and_the_whole_read(every_text_kept, monkeypatch):
    text = _pipfile_text([(0, 0, "nested"), (2, 1, "flat"), (1, 0, "nested")])
    parsed = []
    loads = json.loads
    monkeypatch.setattr(json, "loads", lambda s, **kw: (parsed.append(s == text), loads(s, **kw))[1])
    found = _opened(text, 0)
    assert parsed.count(True) == 1
    monkeypatch.setattr(json, "loads", loads)
    assert found == _whole(text) and found


def test_nothing_is_kept_after_the_whole_read_even_of_another_text(every_text_kept):
    text = _pipfile_text([(0, 0, "nested"), (2, 1, "flat")])
    _opened(text, 0)
    assert pipfile_text._last is None
    edited = text.replace("==2.19.0", "==2.19.1")
    assert _opened(text, 0, then=edited) == _whole(edited)
    assert pipfile_text._last is None  # the preview's values did not outlive the read


@settings(max_examples=examples(200), deadline=None)
@given(ENTRIES, st.sampled_from(["same", "edited", "broken", "twice"]), st.data())
def test_a_read_from_the_preview_s_values_is_the_whole_analysis(entries, change, data):
    text = _pipfile_text(entries)
    if change == "twice":  # a key written twice: no preview, nothing kept
        text = text.replace('"_meta": {', '"_meta": {"x": 1, "x": 2, ', 1)
    then = {"edited": text.replace("==3.2.5", "==3.2.25").replace("==2.32.3", "==2.19.0"),
            "broken": text[:-3]}.get(change, text)
    kept, pipfile_text._KEPT_CHARS = pipfile_text._KEPT_CHARS, 0
    try:
        pipfile_text.forget()
        found = _opened(text, data.draw(st.integers(0, len(split_lines(text)) - 1)), then)
        assert pipfile_text._last is None
    finally:
        pipfile_text._KEPT_CHARS = kept
        pipfile_text.forget()
    assert found == _whole(then)
    event(f"{change}, {'changed' if then != text else 'same text'}")
