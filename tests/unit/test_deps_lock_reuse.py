"""A TOML lock's first whole read after its preview builds its per-package results from the
preview's parse (deps/lock_blocks.py, deps/toml_text.take): the text is parsed once, the results
are the whole analysis' (then and after an edit read from them), and the values are not kept
after the whole read."""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_deps_lock_blocks import ODD, PACKAGE, results

from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.deps import analysis, lock_preview, toml_text
from bastion.deps.lock_blocks import LockCache
from bastion.filekinds import FileKind
from bastion.model.text import split_lines

TOML = [("uv.lock", "package"), ("poetry.lock", "package"), ("pdm.lock", "package"),
        ("pylock.toml", "packages")]
LITERAL = "\ndescription = '''\n[[{b}]]\nname = \"q\"\n'''\n"  # a literal string that holds a header


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(TOML), st.lists(st.sampled_from(PACKAGE), min_size=1, max_size=25),
       st.lists(st.sampled_from([*ODD, LITERAL]), max_size=3), st.data())
def test_a_read_from_the_preview_s_parse_is_the_whole_analysis(lock, parts, odd, data):
    name, block = lock
    for part in odd:
        parts.insert(data.draw(st.integers(0, len(parts))), part)
    text = ("version = 1\n" + "".join(parts)).format(b=block)
    kind = name if name != "pylock.toml" else "pylock"
    path = f"/w/{name}"
    kept, toml_text._KEPT_CHARS = toml_text._KEPT_CHARS, 0  # every text is kept, as a large one
    try:
        toml_text.forget()
        preview = lock_preview.findings_on(kind, text, split_lines(text), 0, 0)
        reused = toml_text._last is not None and isinstance(toml_text._last[1], dict)
        cache = LockCache()
        mine = analysis.analyse(path, text, "/w", pieces=cache)
        assert toml_text._last is None  # neither the preview's values nor a piece's are kept
        assert results(mine) == results(analysis.analyse(path, text, "/w")), text
        event("reused" if reused and preview is not None else "not valid")
        edited = text.replace("2.19.0", "2.31.0", 1).replace("3.2.5", "3.2.25", 1)
        again = analysis.analyse(path, edited, "/w", pieces=cache)  # from the layout just built
        assert results(again) == results(analysis.analyse(path, edited, "/w")), edited
    finally:
        toml_text._KEPT_CHARS = kept
        toml_text.forget()


def _large() -> str:
    return "version = 1\n" + "".join(PACKAGE[:5]).format(b="package") * 1500


def test_the_preview_and_the_whole_read_parse_the_text_once(monkeypatch):
    text = _large()
    parsed: list[int] = []
    loads = toml_text.tomllib.loads
    monkeypatch.setattr(toml_text.tomllib, "loads", lambda s: parsed.append(len(s)) or loads(s))
    toml_text.forget()
    analyzer = DepsAnalyzer()
    lines = split_lines(text)
    assert len(analyzer.preview(text, lines, 0, 299, "/w/uv.lock", FileKind.LOCK)) == 36
    whole = analyzer.analyse_text(text, "/w/uv.lock", FileKind.LOCK)
    assert len(whole) == 4500
    assert parsed.count(len(text)) == 1
    assert sum(parsed) < len(text) + 100  # the first piece ("version = 1") is parsed on its own


def test_the_kept_values_are_dropped_after_the_whole_read():
    text = _large()
    toml_text.forget()
    analyzer = DepsAnalyzer()
    analyzer.preview(text, split_lines(text), 0, 299, "/w/uv.lock", FileKind.LOCK)
    assert toml_text._last is not None and toml_text._last[0] is text
    analyzer.analyse_text(text, "/w/uv.lock", FileKind.LOCK)
    assert toml_text._last is None


def test_a_preview_s_values_do_not_outlive_a_whole_read_of_an_edited_text():
    """The text changed between the preview and the whole read (a keystroke): the read is the
    edited text's, and the preview's values (41 MB at 5 MB) are not kept past it."""
    text = _large()
    edited = text.replace("2.19.0", "2.31.0", 1)
    toml_text.forget()
    analyzer = DepsAnalyzer()
    analyzer.preview(text, split_lines(text), 0, 299, "/w/uv.lock", FileKind.LOCK)
    found = analyzer.analyse_text(edited, "/w/uv.lock", FileKind.LOCK)
    assert toml_text._last is None
    whole = analysis.analyse("/w/uv.lock", edited, "/w")
    assert found == [*whole.findings, *whole.not_analysed]


def test_a_lock_read_leaves_the_values_kept_of_a_pyproject():
    """Only a lock preview's values are for the next lock read: a large pyproject.toml's (the
    settings read, its preview and its analysis share them) stay."""
    pyproject = '[project]\nname = "big"\ndependencies = [\n' + '  "flask",\n' * 30000 + "]\n"
    toml_text.forget()
    toml_text.loads(pyproject)
    lock = "version = 1\n" + "".join(PACKAGE[:5]).format(b="package")
    DepsAnalyzer().analyse_text(lock, "/w/uv.lock", FileKind.LOCK)
    assert toml_text._last is not None and toml_text._last[0] is pyproject
    toml_text.forget()


@pytest.mark.parametrize("quote", ['"""', "'''"])
def test_a_header_in_a_multi_line_string_is_not_taken_for_a_table(quote, monkeypatch):
    """The pieces' tables are not counted off the whole parse (the string's line would take
    the next package's table), and a last piece read on its own (`[metadata]`) hides the miscount."""
    monkeypatch.setattr(toml_text, "_KEPT_CHARS", 0)
    text = (f'version = 1\n\n[[package]]\nname = "a"\nversion = "1.0"\ndescription = {quote}\n'
            f'[[package]]\n{quote}\n' + "".join(PACKAGE[:3]).format(b="package")
            + '\n[metadata]\nlock-version = "2.0"\n')
    toml_text.forget()
    assert lock_preview.findings_on("poetry.lock", text, split_lines(text), 0, 0) is not None
    mine = analysis.analyse("/w/poetry.lock", text, "/w", pieces=LockCache())
    assert results(mine) == results(analysis.analyse("/w/poetry.lock", text, "/w"))
    toml_text.forget()
