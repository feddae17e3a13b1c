"""A keystroke that leaves a pyproject.toml not valid TOML is told from its last valid text
(deps/pyproject_errors.py) with a whole parse's message: random keystrokes of TOML's
significant characters in dependencies arrays, other arrays, Poetry tables, multi-line strings,
after arrays, quoted and dotted keys, headers of tables and arrays of tables, and lines of an
array that look like headers, compared with a whole analysis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, pyproject, pyproject_errors, store
from bastion.deps.location import shipped_index_path
from bastion.deps.pyproject_memo import Memo

BLOCKS = [['[project]', 'name = "app"', 'dependencies = [', '  "django==3.2.5",', '  # a comment', '',
           '  "flask==0.12"', ']', 'classifiers = [', '  "Framework :: Django",', ']'],
          ['[project.optional-dependencies]', "web = ['jinja2==2.10', [", '  1, [2],', ']]',
           'cli = [  # inline', "  'click==7.0',", ']'],
          ['[dependency-groups]', 'dev = [', '  "pyyaml==5.3.1",  # dev', '  {include-group = "web"},', ']'],
          ['[tool.poetry.dependencies]', 'python = "^3.10"', 'requests = "2.19.0"',
           'django = { version = "3.2.5" }', 'flask = "0.12"  # old'],
          ['[tool.other]', 'notes = """', '  "django==3.2.5",', '"""', 'x = [', '  "a",', ']',
           'when = 1979-05-27 07:32:00', 't = [true]'],
          ['[[tool.poetry.source]]', 'name = "private"', '"url" = \'https://x\'  # quoted',
           '[[tool.poetry.source]]', "'a.b'.c = 'd'", '[tool.poetry.group.dev.dependencies]',
           '"zope.interface" = "5.0"', "'a.b' = '1.0'", 'c . "d" = "2"', '[tool."quoted.x"]', 'x.y = "1"'],
          # Lines that read as headers but are an array's values: what follows is among values.
          ['[tool.arrays]', 'a = [', '  ["a"]', '  , [[true]]', '  , [ 1.5 ]', "  , [[ 'b' ]]", '  , [inf]',
           ']'],
          # Long enough that an array opened at its top is told where it ends, past what is given first.
          ['[tool.long]', 'deps = [', *(f'  "pkg{n}==1.0",' for n in range(16)), ']']]
# Typed a character at a time: most keystrokes are not valid TOML.
TYPED = ['  "flask==0.12",', '  "flask==0.12"', "  'jinja2==2.10',  # pinned", '  "a\\"b==1.0",',
         '  "x"] y', '  ["a", {b = 1}],', '  """c""",', 'flask = "0.12"', "jinja2 = '2.10'",
         'django = "3.2"  # again', '[tool.more]', '  ,', ']', '  "a" # b', '\t"u\\u0041==1.0",',
         'a.b = "1', "k = 'v", '  "é==1",\r', '"my-pkg" = "1.0"', "'a.b' = '2'", '"x".y = "1"  # q',
         '[[tool.more]]', '  ["a",', '  [[1], {a = [2]},', '"a\\"b" = \'c\'', 'pkg = { version = "1.0" }',
         'b = ["c",', 'd = [ [1], {x = 2}, "e" ] # f', 'e = {a = 1, a = 2}', "f = [ 'g' ] ]",
         'flask = ["a"] ]', 'x = {} y']  # a key written twice, its value complete: told after it
CHARACTERS = st.lists(st.sampled_from([*'[]{}"\',=#\\ \tab1.\r', '"""']), max_size=8).map("".join)


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def _check(shipped, memo: Memo, text: str) -> None:
    whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
    mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed), text


@settings(max_examples=examples(600), deadline=None)
@given(order=st.permutations(range(len(BLOCKS))), typing=st.lists(st.tuples(
    st.floats(0, 1), st.one_of(st.sampled_from(TYPED), CHARACTERS), st.booleans()), min_size=1, max_size=4))
def test_keystrokes_give_the_results_of_a_whole_analysis(shipped, order, typing):
    lines = [line for block in order for line in BLOCKS[block]]
    memo = Memo()
    _check(shipped, memo, "\n".join(lines) + "\n")
    for at, typed, keep in typing:
        at = int(at * len(lines))
        lines.insert(at, "")
        for count in range(1, len(typed) + 1):
            lines[at] = typed[:count]
            _check(shipped, memo, "\n".join(lines) + "\n")
        if not keep:  # erased again
            del lines[at]
            _check(shipped, memo, "\n".join(lines) + "\n")


def _large(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_a_line_typed_in_a_large_pyproject_parses_no_whole_text(shipped, monkeypatch):
    """Issue 15: each keystroke that left the TOML invalid while a dependency's line was typed
    parsed the text up to the error (~22 ms at line 9003 of a 1 MB pyproject, ~86 ms at line
    31000); now tomllib is given the line and a few after it."""
    lines = ['[project]', 'dependencies = [', *(f'  "django=={n % 3}.2.5",' for n in range(2000)), ']',
             '[tool.poetry.dependencies]', *(f'package-{n} = "^1.{n}"' for n in range(2000))]
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", _large(lines), "/w", shipped, memo=memo)
    parsed, given = [], []
    original = pyproject.loads
    monkeypatch.setattr(pyproject, "loads", lambda text: parsed.append(len(text)) or original(text))
    monkeypatch.setattr(pyproject_errors, "loads", lambda text: given.append(len(text)) or original(text))
    texts = []
    for at, typed in ((1000, '  "flask==0.12",'), (2003, '  "flask==0.12"'), (3000, 'flask = "0.12"'),
                      (4003, "django = '3.2.5'  # old")):
        for count in range(len(typed) + 1):
            texts.append(_large([*lines[:at], typed[:count], *lines[at:]]))
        lines.insert(at, typed)
    found = [(text, analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)) for text in texts]
    monkeypatch.undo()
    assert parsed == []
    assert given and max(given) < 1000
    for text, mine in found:
        read = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (read.findings, read.not_analysed)
    assert sum(bool(mine.not_analysed) for _text, mine in found) > 40


def _reads(shipped, monkeypatch, lines: list[str], at: int, typed: str) -> str:
    """How each keystroke typing `typed` at line `at` of `lines` is read: valid (v), its error told
    from the typed line (f) or by a whole parse (W); each compared with a whole analysis."""
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", _large(lines), "/w", shipped, memo=memo)
    original, parsed, seen = pyproject.loads, [], []
    for count in range(1, len(typed) + 1):
        text = _large([*lines[:at], typed[:count], *lines[at:]])
        monkeypatch.setattr(pyproject, "loads", lambda text: parsed.append(text) or original(text))
        mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
        monkeypatch.undo()
        seen.append("W" if parsed else "f" if mine.not_analysed else "v")
        parsed.clear()
        whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed), text
    return "".join(seen)


@pytest.mark.parametrize(("at", "typed", "read"), [
    (3, '  "a"] x', "vvfffWWW"),  # the `]` closes the array: what follows is read as the text says
    (3, '  ]', "vvW"), (7, '  """a', "vvWWWW"),  # a multi-line string: its quotes are not followed
    (2, 'flask = "0.12', "f" * 13),  # after the array's `[`: not a value
    (13, 'x = "1', "f" * 6),  # in another array
    (15, 'flask = "1.0" x', "f" * 12 + "WWW"),  # a key written twice: told after its value
    (15, "a = '1", "f" * 6),  # a literal string left open: tomllib looks for its quote past the line
    (14, 'b = "1', "W" * 6),  # after an array's last line: not told where a statement starts
])
def test_keystrokes_near_what_tomllib_reads_otherwise_are_parsed_whole(shipped, monkeypatch, at, typed, read):
    lines = ['[project]', 'dependencies = [', '  "django==3.2.5",', '  "flask==0.12",', ']',
             'x = [', '  [1]', '  , 2', ']', 'y = [', '  "z"]', '[tool.poetry.dependencies]', 'x = [',
             '  1]', 'flask = "0.12"']
    assert _reads(shipped, monkeypatch, lines, at, typed) == read


@pytest.mark.parametrize(("at", "typed", "read"), [
    (1, 'flask = "0.12', "f" * 13),  # below an array of tables' header
    (3, 'flask = "0.12', "f" * 13),  # below a quoted table header
    (5, '"my-pkg" = "1.0', "f" * 15),  # a quoted key typed below a quoted key
    (6, "'a.b'.c = '2", "f" * 12),  # below a dotted key of a literal string and a bare part
    (6, '"a\\"b" = "1', "ffWffffffff"),  # an escaped quote in a key (`"a\\` is told past the line: parsed)
    (10, 'k = "1', "W" * 6), (11, 'k = "1', "W" * 6),  # below an array's `["a"]`, `[[true]]`: values
    (14, '  [', "vvf"),  # an array opened: its error is where the array around it ends, far below
    (14, '  ["a"],', "vvfffffW"),  # the array closed: the comma's valid text is read whole
    (5, 'pkg = { version = "1.0" }', "f" * 24 + "W"),  # an inline table being typed
    (7, 'b = ["c",', "f" * 9),  # an array being typed: the next line is read as its value
    (7, 'b = [] x', "fffffWvW"),  # its value complete: what follows may depend on the keys above
])
def test_keystrokes_below_quoted_keys_and_headers_are_told_from_the_line(shipped, monkeypatch, at, typed,
                                                                        read):
    """Issue 15: these parsed the whole text at each keystroke."""
    lines = ['[[tool.poetry.source]]', 'name = "private"', '[tool."poetry".dependencies]',
             'requests = "2.19.0"', '"zope.interface" = "5.0"', "'a.b'.c = '1'", '[tool.x]', 'a = [',
             '  ["a"]', '  , [[true]]', ']', 'long = [', '  "django==3.2.5",',
             *(f'  "pkg{n}==1.0",' for n in range(20)), ']', '[[tool.y]]']
    assert _reads(shipped, monkeypatch, lines, at, typed) == read


@pytest.mark.parametrize(("above", "typed", "read"), [
    ('"a" = "b"', "k" * 9_000, "f"), ('"a" = "b"', "k" * 11_000, "W"),  # a key typed
    ('"' + "a" * 11_000 + '" = "b"', "k", "W"),  # below a long line
])
def test_a_statement_on_a_long_line_is_parsed_whole(shipped, monkeypatch, above, typed, read):
    """The patterns that tell a statement read a long line of keys a character at a time at
    worst, no faster than tomllib (a pasted line of 250,000 `"x" `: 126 ms)."""
    lines = ["[tool.x]", above, "c = 1"]
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", _large(lines), "/w", shipped, memo=memo)
    text = _large([*lines[:2], typed, *lines[2:]])
    original, parsed = pyproject.loads, []
    monkeypatch.setattr(pyproject, "loads", lambda text: parsed.append(text) or original(text))
    mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    monkeypatch.undo()
    whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert ("W" if parsed else "f") == read
