"""Whole lines of dependencies typed, inserted, retyped and deleted in a pyproject.toml are read
from its last read (deps/pyproject_items.py) with the results of a whole-file analysis: random
line edits and keystrokes in PEP 621 and PEP 735 arrays (one element a line, several, comments,
trailing commas, escapes), Poetry tables, other arrays and multi-line strings (which must be read
whole)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, pyproject, store
from bastion.deps.location import shipped_index_path
from bastion.deps.pyproject_memo import Memo

ELEMENTS = ['  "django==3.2.5",', '  "flask==0.12"', "  'jinja2==2.10',  # pinned",
            '  "not a requirement ===",', '  "a\\"b==1.0",', '  "requests[socks]==2.19.0" ,',
            '\t"urllib3==1.26.4",\t# note', '  "",', '  "flask==0.12", "django==3.2.5",',
            '  """flask==0.12""",', '  # "django==3.2.5",', '', '  "pyyaml==5.3.1"', '  , "flask==0.12"',
            ']', '  "reqeusts==2.31.0",\r', "  'a\\b',", '  {include-group = "web"},',
            '  "django==3.2.5", # é', '  "flask @ https://x/f.whl",', '  "flask\\u003d=0.12",']
POETRY = ['flask = "0.12"', 'requests = "2.19.0"  # old', '"django" = "3.2.5"', 'flask.version = "0.12"',
          'urllib3 = { version = "1.26.4" }', 'numpy = "1.26.4"', "jinja2 = '2.10'  # é", 'python = "^3.11"',
          'aiohttp = "3.8.0 || 3.9.0"', 'pyyaml = "5.3.1"\r', 'pillow="8.0.0"', 'x = "a\\"b"',
          'pytest = "7.0"', 'httpx = "0.1 || 0.2"']
ENTRIES = [POETRY[0], POETRY[6], *POETRY[8:11]]  # keys the documents' Poetry table lacks
OTHER = ['x = 1', '[tool.other]', 'y = 2']
LINES = st.sampled_from(ELEMENTS + POETRY + OTHER)


@st.composite
def documents(draw) -> list[str]:
    """Valid TOML, as lines: each table once, in any order, with random elements."""
    def some(pool: list[str]) -> list[str]:
        return draw(st.lists(st.sampled_from(pool), max_size=6))

    clean = [line for line in ELEMENTS[:13] if '"""' not in line and "\\" not in line and line.endswith(",")]
    blocks = [['[project]', 'name = "app"', 'dependencies = [', *some(clean), '  "flask==0.12"', ']',
               'classifiers = [', '  "Framework :: Django",', ']'],
              ['[project.optional-dependencies]', 'web = [', *some(clean), ']', "cli = ['click==7.0']"],
              ['[dependency-groups]', 'dev = [', '  "pyyaml==5.3.1",  # dev', *some(clean),
               '  {include-group = "web"},', ']'],
              ['[tool.poetry.dependencies]', 'python = "^3.10"', 'requests = "2.19.0"',
               'django = { version = "3.2.5" }', *draw(st.lists(st.sampled_from(ENTRIES), unique=True))],
              ['[tool.poetry.group.dev.dependencies]', 'flask = "0.12"', 'pytest = "7.0"  # dev'],
              ['[tool.poetry.dependencies.numpy]', 'version = "1.26.4"'],
              ['[tool.other]', 'notes = """', '  "django==3.2.5",', '', '"""', 'x = [', '  "a",', ']']]
    chosen = draw(st.permutations(blocks))[:draw(st.integers(1, len(blocks)))]
    return [line for block in chosen for line in block]


# (where, what, lines): lines inserted (pasted), a line deleted, replaced by lines, a line typed a
# character at a time (each keystroke read, most of them invalid TOML) or deleted a character at a
# time; None: undo. Where:
# mostly at a line holding a string, or the next one.
EDITS = st.lists(st.one_of(st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete", "replace",
                                                                          "type", "erase"]),
                                     st.lists(LINES, min_size=1, max_size=3),
                                     st.sampled_from([None, 0, 0, 1])),
                           st.none()), min_size=2, max_size=8)


def _where(lines: list[str], at: float, near: int | None) -> int:
    strings = [number for number, line in enumerate(lines) if "'" in line or '"' in line]
    if near is None or not strings:
        return int(at * len(lines))
    return strings[int(at * (len(strings) - 1))] + near


def _texts(lines: list[str], edits) -> list[str]:
    """Each text the edits give, in order."""
    history = [lines]
    texts = []
    for edit in edits:
        if edit is None:
            if len(history) > 1:
                history.pop()
                texts.append("\n".join(history[-1]) + "\n")
            continue
        at, what, block, near = edit
        line = block[0]
        now = list(history[-1])
        at = _where(now, at, near)
        if what == "insert":
            now[at:at] = block
        elif what == "delete" and now:
            del now[min(at, len(now) - 1)]
        elif what == "replace" and now:
            at = min(at, len(now) - 1)
            now[at:at + 1] = block
        elif what == "type":
            now.insert(at, "")
            for typed in range(len(line) + 1):
                now[at] = line[:typed]
                texts.append("\n".join(now) + "\n")
        elif what == "erase" and now:
            at = min(at, len(now) - 1)
            for typed in range(len(now[at]), -1, -1):
                now[at] = now[at][:typed]
                texts.append("\n".join(now) + "\n")
            del now[at]
        history.append(now)
        texts.append("\n".join(now) + "\n")
    return texts


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@settings(max_examples=examples(1000), deadline=None)
@given(lines=documents(), edits=EDITS)
def test_lines_edited_give_the_results_of_a_whole_analysis(shipped, lines, edits):
    memo = Memo()
    for text in ["\n".join(lines) + "\n", *_texts(lines, edits)]:
        whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
        mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed), text


def _large(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_a_dependency_typed_in_a_large_pyproject_is_read_without_parsing_the_toml(shipped, monkeypatch):
    """Issue 15: the keystroke that made the TOML valid again after a new line's string was
    typed parsed the whole file (830 ms at 1 MB); only texts that are not valid TOML are parsed
    now (tomllib stops at the new line)."""
    lines = ['[project]', 'dependencies = [', *(f'  "django=={n % 3}.2.5",' for n in range(2000)), ']',
             '[dependency-groups]', 'dev = [', '  "pyyaml==5.3.1",', '  "django==3.2"', ']']
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", _large(lines), "/w", shipped, memo=memo)
    parsed = []
    original = pyproject.loads

    def loads(text):
        data = original(text)
        parsed.append(text)
        return data

    monkeypatch.setattr(pyproject, "loads", loads)
    texts = []
    for at, removed, added in ((1000, 0, ['  "flask==0.12",']), (1000, 1, []),
                               (2002, 0, ['  "flask==0.12",']),
                               (2007, 1, ['  "django==3.2",', '  # why', "  'django==3.2.5'"]),
                               (1500, 2, ['  "flask==0.12", # old'])):
        for typed in range(len(added[0]) + 1 if added else 0):  # each keystroke of the first line
            texts.append(_large([*lines[:at], added[0][:typed], *lines[at + removed:]]))
        lines[at:at + removed] = added
        texts.append(_large(lines))
    found = [(text, analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)) for text in texts]
    monkeypatch.undo()
    assert parsed == []
    for text, mine in found:
        whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert {1500, 2001} <= {f.span.start_line for f in whole.findings}


BASE = ('[project]\nname = "app"\ndependencies = [\n  "django==3.2.5",\n  "requests==2.19.0"\n'
        '  , "pyyaml==5.3.1",\n  "jinja2==2.10"\n]\nclassifiers = [\n  "Framework :: Django",\n]\n'
        '[tool.other]\nnotes = """\n  "urllib3==1.26.4",\n"""\n'
        '[tool.poetry.dependencies]\nrequests = "2.19.0"\n')


@pytest.mark.parametrize(("old", "new"), [
    ('  "django==3.2.5",\n', '  "django==3.2.5",\n  "flask==0.12"\n  "urllib3==1.26.4",\n'),  # no comma
    ('  "django==3.2.5",\n', '  "flask==0.12"\n  "django==3.2.5",\n'),  # no comma, an element follows
    ('  "jinja2==2.10"\n', '  "jinja2==2.10"\n  "flask==0.12",\n'),  # after an element without its comma
    ('  "requests==2.19.0"\n', ''),  # leaves `[ , "pyyaml..."`
    ('  "requests==2.19.0"\n', '  "flask==0.12",\n'),  # a comma before a comma
    ('  "django==3.2.5",\n', '  "django==3.2.5",\n  "flask\\u003d=0.12",\n'),  # an escape: its value
    ('  "urllib3==1.26.4",\n', '  "urllib3==1.26.4",\n  "flask==0.12",\n'),  # in a multi-line string
    ('  "Framework :: Django",\n', '  "Framework :: Django",\n  "flask==0.12",\n'),  # not dependencies
    (']\nclassifiers', ']\n  "flask==0.12",\nclassifiers'),  # after the array
    ('requests = "2.19.0"\n', 'requests = "2.19.0"\nflask = "0.12"\n'),  # a Poetry line: read whole
])
def test_lines_that_may_not_be_elements_of_the_array_are_read_whole(shipped, old, new):
    _edited_as_whole(shipped, BASE, BASE.replace(old, new))


def _edited_as_whole(shipped, base: str, text: str) -> None:
    """`text` read after `base` gives the results of `text` read whole."""
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", base, "/w", shipped, memo=memo)
    whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
    mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)


@pytest.mark.parametrize("new", ['notes = """\n# about""\n', 'notes = """\n', 'notes = """\n\n# about"""\n'])
def test_the_closing_line_of_a_multi_line_string_after_its_trimmed_line_end_is_read_whole(shipped, new):
    """Its value is one line (the line end after the opening quotes is not in it), but its
    lines are not blank or comments: `# about\"\"\"` closes it."""
    base = '[project]\ndependencies = [\n  "django==3.2.5",\n]\n[tool.other]\nnotes = """\n# about"""\n'
    _edited_as_whole(shipped, base, base.replace('notes = """\n# about"""\n', new))


POETRY_BASE = ('[tool.poetry.dependencies]\npython = "^3.10"\naiohttp = "3.8.0 || 3.9.0"\nflask = "0.12"\n'
               'httpx = "0.1 || 0.2"\n[tool.poetry.group.dev.dependencies]\npytest = "7.0"\nflask = "0.12"\n'
               'requests = "2.19.0"\n[tool.poetry.dependencies.numpy]\nversion = "1.26.4"\n')


@pytest.mark.parametrize(("old", "new"), [
    ('aiohttp = "3.8.0 || 3.9.0"\n', 'aiohttp = "3.8.0 || 3.9.0"\nx = "1 || 2"\n'),  # problems in order
    ('httpx = "0.1 || 0.2"\n', 'httpx = "0.1 || 0.2"\n\ndjango = \'3.2.5\'  # old\n'),
    ('httpx = "0.1 || 0.2"\n', 'httpx = "0.1 || 0.2"\nflask = "1.0"\n'),  # a key of the table again
    ('httpx = "0.1 || 0.2"\n', 'httpx = "0.1 || 0.2"\nnumpy = "1.0"\n'),  # a sub-table's name
    # flask is a key of both tables: which is it in?
    ('pytest = "7.0"\nflask = "0.12"\n', 'pytest = "7.0"\nflask = "0.12"\nrequests = "1.0"\n'),
    ('pytest = "7.0"\n', 'pytest = "7.0"\npython = "^3.11"\n'),  # not a dependency
    ('flask = "0.12"\nhttpx', 'httpx'),
    ('flask = "0.12"\nhttpx', "flask = '0.13'\nhttpx"),
    ('version = "1.26.4"\n', 'version = "1.26.4"\nextras = "x"\n'),  # in a dependency's own table
])
def test_poetry_lines_give_the_results_of_a_whole_analysis(shipped, old, new):
    _edited_as_whole(shipped, POETRY_BASE, POETRY_BASE.replace(old, new, 1))


def test_a_poetry_line_typed_in_a_large_pyproject_is_read_without_parsing_the_toml(shipped, monkeypatch):
    lines = ['[tool.poetry.dependencies]', *(f'package-{n} = "^1.{n}"' for n in range(2000)),
             '[tool.poetry.group.dev.dependencies]', 'pytest = "7.0"']
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", _large(lines), "/w", shipped, memo=memo)
    original = pyproject.loads
    parsed = []
    monkeypatch.setattr(pyproject, "loads", lambda text: parsed.append(text) or original(text))
    texts = []
    for at, removed, added in ((1000, 0, 'flask = "0.12"'), (1001, 1, ''), (2002, 0, 'django = "3.2.5"'),
                               (500, 1, "jinja2 = '2.10'  # pinned")):
        for typed in range(len(added) + 1):
            texts.append(_large([*lines[:at], added[:typed], *lines[at + removed:]]))
        lines[at:at + removed] = [added]
    found = [(text, analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)) for text in texts]
    monkeypatch.undo()
    # Only the texts that are not valid TOML (the string or the key being typed) were parsed.
    assert all(analysis.analyse("/w/pyproject.toml", text, "/w", shipped).not_analysed for text in parsed)
    for text, mine in found:
        whole = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert {500, 1000, 2002} <= {f.span.start_line for f in whole.findings}
