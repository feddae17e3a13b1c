"""The lines in view of a lock file (deps/lock_preview.py, for the editor's first look at a large
lock) give exactly the findings the whole analysis gives on them: random uv.lock, poetry.lock,
pylock.toml and Pipfile.lock texts (sub-tables, strings and arrays that hold a `[[package]]`
line, keys written twice, invalid TOML or JSON far from the view) and random ranges; a file the
whole analysis cannot read has no preview."""

from __future__ import annotations

import json

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_deps_lock_blocks import ODD, PACKAGE

from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.deps import analysis, lock_preview
from bastion.filekinds import FileKind
from bastion.model import Finding
from bastion.model.text import split_lines

TOML = [("uv.lock", "package"), ("poetry.lock", "package"), ("pdm.lock", "package"),
        ("pylock.toml", "packages")]
PINS = [("requests", "==2.19.0"), ("requests", "==2.32.3"), ("django", "==3.2.5"),
        ("reqeusts", "==2.31.0"), ("flask", ">=0.12"), ("jinja2", "==not.a.version")]


def _in(findings, first: int, last: int) -> list[Finding]:
    return sorted((f for f in findings if first <= f.span.start_line <= last), key=Finding.sort_key)


def _check(name: str, kind: str, text: str, first: int, last: int) -> list[Finding] | None:
    """The preview of lines `first` to `last`, after checking it against the whole analysis."""
    lines = split_lines(text)
    first, last = min(first, len(lines) - 1), min(last, len(lines) - 1)
    found = lock_preview.findings_on(kind, text, lines, first, last)
    whole = analysis.analyse(f"/w/{name}", text, "/w")
    if found is None:
        return None
    assert not [p for p in whole.not_analysed if "not valid" in p.reason], text
    assert sorted(found, key=Finding.sort_key) == _in(whole.findings, first, last), text
    return found


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(TOML), st.lists(st.sampled_from(PACKAGE), min_size=1, max_size=25),
       st.lists(st.sampled_from(ODD), max_size=2), st.data())
def test_a_toml_lock_preview_is_the_whole_analysis_on_its_lines(lock, parts, odd, data):
    name, block = lock
    for part in odd:
        parts.insert(data.draw(st.integers(0, len(parts))), part)
    text = ("version = 1\n" + "".join(parts)).format(b=block)
    count = len(split_lines(text))
    first = data.draw(st.integers(0, count - 1))
    found = _check(name, name if name != "pylock.toml" else "pylock", text, first,
                   data.draw(st.integers(first, count - 1)))
    event("previewed" if found else "no preview" if found is None else "none in view")


def _pipfile_text(entries: list[tuple[int, int, str]]) -> str:
    out = ['{\n    "_meta": {"hash": {"sha256": "x"}},\n']
    sections: dict[str, list[str]] = {"default": [], "develop": []}
    for pin, section, shape in entries:
        name, version = PINS[pin]
        if f'"{name}"' in "".join(sections[("default", "develop")[section]]):
            continue  # a key written twice: below
        value = json.dumps({"hashes": ["sha256:0"], "version": version}, indent=8)
        sections[("default", "develop")[section]].append(
            f'        "{name}": {value if shape == "nested" else json.dumps({"version": version})}')
    out.append(",\n".join(f'    "{s}": {{\n' + ",\n".join(items) + "\n    }"
                          for s, items in sections.items()))
    return "".join(out) + "\n}\n"


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(PINS) - 1), st.integers(0, 1),
                          st.sampled_from(["nested", "flat"])), min_size=1, max_size=25),
       st.sampled_from(["", "broken", "twice"]), st.data())
def test_a_pipfile_lock_preview_is_the_whole_analysis_on_its_lines(entries, odd, data):
    text = _pipfile_text(entries)
    if odd == "broken":
        text = text[:-3] + ",\n}\n"  # a trailing comma at the end: not JSON
    elif odd == "twice":  # the first package written again at the end: the last one counts
        name, version = PINS[entries[0][0]]
        section = ("default", "develop")[entries[0][1]]
        text = text.replace(f'"{section}": {{\n', f'"{section}": {{\n        "{name}": '
                            f'{{"version": "{version}"}},\n', 1)
    count = len(split_lines(text))
    first = data.draw(st.integers(0, count - 1))
    found = _check("Pipfile.lock", "Pipfile.lock", text, first, data.draw(st.integers(first, count - 1)))
    event("previewed" if found else "no preview" if found is None else "none in view")
    if odd:
        assert found is None


@pytest.mark.parametrize(("name", "block"), TOML)
def test_a_valid_lock_is_previewed(name, block):
    """Not None: the property tests above would pass with no preview at all."""
    text = ("version = 1\n" + "".join(PACKAGE[:3]) * 40 + ODD[1]).format(b=block)
    kind = name if name != "pylock.toml" else "pylock"
    assert [f.span.start_line for f in _check(name, kind, text, 50, 70)] == [51, 56, 64, 69]


def test_the_analyzer_previews_a_pipfile_lock_but_not_a_broken_one():
    text = _pipfile_text([(0, 0, "nested"), (2, 1, "flat"), (1, 1, "nested")])
    lines = split_lines(text)
    found = DepsAnalyzer().preview(text, lines, 0, len(lines) - 1, "/w/Pipfile.lock", FileKind.LOCK)
    assert [f.rule_id for f in found] == ["BST401", "BST401"]
    broken = text + "<<<<<<< HEAD\n"
    assert DepsAnalyzer().preview(broken, split_lines(broken), 0, 5, "/w/Pipfile.lock", FileKind.LOCK) is None

