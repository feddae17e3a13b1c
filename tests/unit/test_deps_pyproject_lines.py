"""A pyproject.toml edited within one line is read from its last read (deps/pyproject_lines.py)
with the results of a whole-file analysis: random texts of PEP 621 lists, Poetry tables, quoted
keys, dates, multi-line strings and comments, after random edits (most keep the line's tokens:
characters in strings, blanks, comments; others break them, or the TOML)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, pyproject, store
from bastion.deps.location import shipped_index_path
from bastion.deps.pyproject_memo import Memo

PEP621 = ['  "django==3.2.5",', '  "requests==2.19.0", "flask",', "  'jinja2==2.10',",
          '  "not a requirement ===",', '  "reqeusts==2.31.0",  # typo', '  # "django==3.2.5",', '',
          '  "urllib3==1.26.4" ,', '  """\nflask\n# django\n""",', "  '''django==3.2.5''',"]
POETRY = ['requests{n} = "2.19.0"', 'flask{n} = "^0.12"  # old', '"django{n}" = "3.2.5"',
          'jinja2{n} = {{ version = "~2.10", extras = ["i18n"] }}', 'urllib3{n}.version = "1.26.4"',
          "pillow{n} = [{{ version = '8.0.0', python = '<3.8' }}, {{ version = '^10.3' }}]",
          'aiohttp{n} = "3.8.0 || 3.9.0"', '# comment {n}', '']
OTHER = ['[tool.other]', 'when = 1979-05-27 07:32:00', 'notes = """', '# about django', '"""',
         "text = '''one line'''", 'escaped = "a\\"b"', '"quoted key" = "v"  # note', 'x = 1\r']


@st.composite
def documents(draw) -> str:
    """Valid TOML: each table once, in any order, with random entries."""
    pep621 = draw(st.lists(st.sampled_from(PEP621), max_size=8))
    poetry = draw(st.lists(st.sampled_from(POETRY), max_size=8))
    blocks = [['[project]', 'name = "app"', 'dependencies = [', *pep621, ']'],
              ['[project.optional-dependencies]', 'web = ["django==3.2.5", \'flask==0.12\']'],
              ['[dependency-groups]', 'dev = ["pyyaml==5.3.1", {include-group = "web"}]  # dev'],
              ['[tool.poetry.dependencies]', 'python = "^3.10"',
               *(line.format(n=n) for n, line in enumerate(poetry))],
              ['[tool.poetry.dependencies.numpy]', 'version = "1.26.4"'], OTHER]
    chosen = draw(st.permutations(blocks))[:draw(st.integers(1, len(blocks)))]
    return "\n".join(line for block in chosen for line in block) + "\n"


# Mostly what keeps a line's tokens when typed in a string, a blank or a comment; None: undo the
# last edit (a text that broke the TOML is read whole until one that did not comes back).
INSERTS = st.sampled_from(["a", "1", ".", "-", "é", " ", "  ", "\t", "# c", "", "", "", "", None, None,
                           "\"", "'", "=", ",", "[", "\\", "\n", "\x01", "\x7f", "==2.0", "\"\"\"",
                           "\n", "\n\n", "\n  ", "# c\n", "\n# c", "\r\n", "\n\t# \x01", "\n# \"\"\"",
                           "\nx = 1", "\n[tool.other]\n"])
EDITS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), INSERTS), min_size=4, max_size=16)


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@settings(max_examples=examples(1000), deadline=None)
@given(text=documents(), edits=EDITS)
def test_an_edited_pyproject_gives_the_results_of_a_whole_analysis(shipped, text, edits):
    memo = Memo()
    texts = [text]
    for at, removed, inserted in [(0.0, 0, ""), *edits]:
        first = int(at * len(text))
        if inserted is None and len(texts) > 1:
            texts.pop()
        elif inserted is not None:
            texts.append(texts[-1][:first] + inserted + texts[-1][first + removed:])
        text = texts[-1]
        whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
        mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)


def test_a_version_typed_in_a_large_pyproject_is_read_without_parsing_the_toml(shipped, monkeypatch):
    """The point of it (issue 15): a 1 MB pyproject.toml was parsed whole on each keystroke."""
    lines = ['[project]', 'dependencies = [', *(f'  "package-{n}==1.0",' for n in range(2000)), ']',
             '[tool.poetry.dependencies]', *(f'package-{n} = "^1.0"' for n in range(2000))]
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", "\n".join(lines), "/w", shipped, memo=memo)

    def refused(text):
        raise AssertionError("the TOML was parsed again")

    monkeypatch.setattr(pyproject, "loads", refused)
    for line, edited in ((1000, '  "django==3.2.5",  # pinned'), (3000, 'package-996 = "3.2.5" ')):
        lines[line] = edited
        found = analysis.analyse("/w/pyproject.toml", "\n".join(lines), "/w", shipped, memo=memo)
    monkeypatch.undo()
    whole = analysis.analyse("/w/pyproject.toml", "\n".join(lines), "/w", shipped)
    assert (found.findings, found.not_analysed) == (whole.findings, whole.not_analysed)
    assert 1000 in {f.span.start_line for f in found.findings}


_END = 1 << 20  # edits after the last line


def test_lines_typed_in_a_large_pyproject_are_read_without_parsing_the_toml(shipped, monkeypatch):
    """Enter typed (issue 15): a new line in an array or a table, a comment line, a line joined
    were parsed whole (830 ms per keystroke at 1 MB); the findings below move."""
    lines = ['[project]', 'dependencies = [', *(f'  "django=={n % 3}.2.5",' for n in range(2000)), ']',
             '[tool.poetry.dependencies]', *(f'package-{n} = "^1.0"' for n in range(2000)),
             '[tool.poetry.dependencies.numpy]', 'version = "1.26.4"']
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", "\n".join(lines), "/w", shipped, memo=memo)

    def refused(text):
        raise AssertionError("the TOML was parsed again")

    monkeypatch.setattr(pyproject, "loads", refused)
    edits = [(1000, 0, [""]), (1000, 1, ["  #"]), (1001, 0, ["  # a note", "\t"]), (1000, 1, []),
             (1, 0, ["  "]),
             (3000, 0, ["", "# why"]), (3000, 2, []), (_END, 0, ["# end"]), (_END, 0, [""]),
             (-1, 1, ["#"])]
    found = []
    for at, removed, added in edits:
        at = len(lines) + at if at < 0 else at
        lines[at:at + removed] = added
        text = "\n".join(lines)
        found.append((text, analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)))
    monkeypatch.undo()
    for text, mine in found:
        whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert {3, 2002, 2003} <= {f.span.start_line for f in whole.findings}


BASE = ('[tool.poetry.dependencies]\n"django" = "3.2.5"\nflask = "^0.12"\n[tool.other]\n'
        'when = 1979-05-27 07:32:00\nnotes = """\n# about django\n"""\nx = 1\n"y" = 2\n'
        '[tool.poetry.dependencies.reqeusts]\nversion = "2.19.0"\n')


@pytest.mark.parametrize(("old", "new"), [
    ('"django" = ', '"djangx" = '),  # a quoted key: another name
    ('"y" = 2', '"x" = 2'),  # a quoted key: the same key twice, invalid
    ("27 07:32", "27  07:32"),  # a blank between two bare tokens: no longer a date-time
    ("# about django", "# \\about django"),  # in a multi-line basic string: an escape, invalid
    ("# about django", "# about django "),  # in a multi-line string: its value
    ('"^0.12"', '"^0.13"'),
    ('"^0.12"', '"^0.12" # note'),
    ('notes = """\n', 'notes = """\n# \\q\n'),  # a comment line in a multi-line string: invalid
    ('"y" = 2\n', '"y" = 2\n\r'),  # a lone carriage return, invalid
    # A line between a dependency's name (a typosquat's finding) and its version (an advisory's)
    ('reqeusts]\n', 'reqeusts]\n\n'),
])
def test_an_edit_that_may_change_more_than_strings_values_is_read_whole(shipped, old, new):
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", BASE, "/w", shipped, memo=memo)
    text = BASE.replace(old, new)
    whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
    mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)


def test_a_line_end_removed_after_a_carriage_return_is_read_whole(shipped):
    """A blank last line "\\r\\n" left as a lone "\\r": not valid TOML."""
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", BASE + "\r\n", "/w", shipped, memo=memo)
    mine = analysis.analyse("/w/pyproject.toml", BASE + "\r", "/w", shipped, memo=memo)
    whole = analysis.analyse("/w/pyproject.toml", BASE + "\r", "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert whole.not_analysed


def test_a_string_typed_over_keystrokes_is_read_from_the_last_valid_text(shipped, monkeypatch):
    """Issue 15: while a quote was open the TOML was not valid, and the keystroke that closed
    it derived every dependency again (940 ms at 1 MB): now it is read from the last valid
    text, without parsing."""
    lines = ['[project]', 'dependencies = [', *(f'  "django=={n % 3}.2.5",' for n in range(2000)), ']']
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", "\n".join(lines), "/w", shipped, memo=memo)
    for typed in ('  "django==1.2.5,', '  "django==3.2.5,'):  # its closing quote removed
        lines[1000] = typed
        broken = analysis.analyse("/w/pyproject.toml", "\n".join(lines), "/w", shipped, memo=memo)
        assert broken.not_analysed and not broken.findings
    lines[1000] = '  "django==3.2.5",'
    text = "\n".join(lines)
    with monkeypatch.context() as patched:
        patched.setattr(pyproject, "loads", None)
        mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert 1000 in {f.span.start_line for f in whole.findings}
