"""An array opened among a long array's values (`[` typed a quarter down a 1 MB dependencies
array) is told from the `]` that closes it, not by tomllib reading every value up to it
(deps/pyproject_errors.py `_past_close`): random arrays (values with commas after or before
them, nested arrays over lines, inline tables, brackets in strings, comments, blank lines) and
what follows them, with lines typed a character at a time and lines replaced, each keystroke's
results compared with a whole analysis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, pyproject, pyproject_errors, store
from bastion.deps.location import shipped_index_path
from bastion.deps.pyproject_memo import Memo

# Values with their commas (valid in any order), over one line or several.
VALUES = [['  "django==3.2.5",'], ['  "flask[async]==0.12",  # [x]'], ["  'a]b',"], ['  [1, 2],'],
          ['  [', '  3,', '  ],'], ['  {a = "]"},'], ['  # a comment ['], [''], ['  "z"', '  , "y",'],
          ['  ["q",', '  "r"],'], ['  "pkg==1.0",']]
AFTER = [']', '] # end', '  ]', ']\n[tool.x]\ny = 1', ']\nname = "dup"', ']\nz = [\n  "a",\n]',
         ']\n"q" = 1', '  "last"]\n[[tool.t]]']
TYPED = ["  [", "  [ # open", "  [1,", "  ['a',", "  [[", "  [{a = 1},", "  [\"x]\"", "  ,[", "  ]", "  [1]"]


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@pytest.fixture
def near():
    """tomllib given fewer characters past the changed lines, so that an array opened there is
    more often told from its end than in what is given."""
    before, pyproject_errors._AFTER = pyproject_errors._AFTER, 8
    yield
    pyproject_errors._AFTER = before


def _check(shipped, memo: Memo, text: str) -> None:
    whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
    mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed), text


@settings(max_examples=examples(500), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.sampled_from(VALUES), min_size=8, max_size=30).map(lambda v: sum(v, [])),
       after=st.sampled_from(AFTER),
       edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(TYPED), st.booleans()), min_size=1,
                      max_size=2))
def test_an_array_opened_among_values_is_told_as_a_whole_parse_tells_it(shipped, near, values, after,
                                                                       edits):
    head = ['[project]', 'name = "app"', 'dependencies = [', '  "requests==2.19.0",']
    lines = [*head, *values, *after.split("\n")]
    memo = Memo()
    text = "\n".join(lines) + "\n"
    if analysis.analyse("/w/pyproject.toml", text, "/w", shipped).not_analysed:
        return  # the array drawn is not valid TOML: no last valid text to tell from
    _check(shipped, memo, text)
    for at, typed, replace in edits:
        at = len(head) + int(at * len(values))
        if replace:  # the line typed over, at once
            lines[at] = typed
            _check(shipped, memo, "\n".join(lines) + "\n")
            continue
        lines.insert(at, "")
        for count in range(1, len(typed) + 1):
            lines[at] = typed[:count]
            _check(shipped, memo, "\n".join(lines) + "\n")


def test_a_bracket_typed_in_a_long_array_reads_to_where_it_closes(shipped, monkeypatch):
    """The `[` typed 500 lines above the array's end: tomllib is given the lines around it and
    the text from that end, never the values between, and the text is not parsed whole."""
    lines = ['[project]', 'dependencies = [', *(f'  "pkg{n}==1.0",' for n in range(1000)), ']',
             '[tool.poetry.dependencies]', 'flask = "0.12"']
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", "\n".join(lines) + "\n", "/w", shipped, memo=memo)
    given_texts: list[str] = []
    parsed: list[str] = []
    original = pyproject_errors.loads
    monkeypatch.setattr(pyproject_errors, "loads", lambda text: given_texts.append(text) or original(text))
    monkeypatch.setattr(pyproject, "loads", lambda text: parsed.append(text) or original(text))
    text = "\n".join([*lines[:500], "  [", *lines[500:]]) + "\n"
    mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    monkeypatch.undo()
    whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
    assert mine.not_analysed == whole.not_analysed
    assert "(at line 1005, column 1)" in whole.not_analysed[0].reason
    assert given_texts and max(map(len, given_texts)) < 1000 and parsed == []
