"""A TOML lock file edited within one package is read from its last read, only the edited package
parsed again (deps/lock_blocks.py `_again`), with the results of a whole-file analysis: random
uv.lock, poetry.lock and pylock.toml texts after random edits (most within a line: a version
typed, a blank, a comment; others add or join lines, a header, a quote that breaks the TOML, or
a key that only the whole file can judge)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, lock_blocks, store
from bastion.deps.location import shipped_index_path
from bastion.deps.lock_blocks import LockCache
from bastion.model import Finding

PACKAGE = ['[[{b}]]\nname = "requests"\nversion = "2.19.0"\n',
           '[[{b}]]\nname = "django"\nversion = "3.2.5"\nsource = { registry = "x" }\n',
           '[[{b}]]\nname = "jinja2"\nversion = "2.10"\n[{b}.source]\ntype = "git"\n',
           '[[{b}]]\nname = "urllib3"\nversion = "1.26.4"\n[[{b}.wheels]]\nurl = "u"\n',
           '[[{b}]]\nname = "flask"\nversion = "0.12"  # note\n\n',
           '[[{b}]]\nname = "pyyaml"\n',
           '  [[{b}]] # indented\nversion = "5.3.1"\nname = "reqeusts"\n',
           '[[{b}]]\nname = "pillow"\nversion = "8.0.0"\nfiles = [\n  { file = "p.whl" },\n]\n']
OTHER = ['[metadata]\nlock-version = "2.0"\n', 'description = """\n[[{b}]]\n"""\n', "x = 1\r\n",
         '[other]\na = "b"\n', '# {b} = 1\n']
# Mostly what typing in a line does; None: undo the last edit (a text that broke the TOML is
# read whole until one that did not comes back).
INSERTS = st.sampled_from(["1", "1", "0", "0", ".", ".", "a", " ", "# c", "", "", "", "", None, None,
                           '"', "=", "[", "[[{b}]]", "\n", "\r", "\\", "\x01", "metadata",
                           "other", "# ", "}", "lock-version", "\n\n", "\n# c\n", "# c\n", "\r\n",
                           'version = "1"\n', "\n[{b}.source]\n", "x.y = 1\n"])
EDITS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 5), INSERTS), min_size=4, max_size=16)


@st.composite
def locks(draw) -> str:
    head = draw(st.sampled_from(["version = 1\n", "", "# lock\n", "lock-version = '1.0'\n", "# {b} = 1\n"]))
    body = draw(st.lists(st.sampled_from(PACKAGE + OTHER), min_size=1, max_size=10))
    return head + "".join(body)


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@settings(max_examples=examples(600), deadline=None)
@given(kind=st.sampled_from([("uv.lock", "package"), ("poetry.lock", "package"),
                             ("pdm.lock", "package"), ("pylock.toml", "packages")]),
       text=locks(), edits=EDITS)
def test_an_edited_lock_gives_the_results_of_a_whole_analysis(shipped, kind, text, edits):
    name, block = kind
    cache = LockCache()
    texts = [text.replace("{b}", block)]
    for at, removed, inserted in [(0.0, 0, ""), *edits]:
        first = int(at * len(texts[-1]))
        if inserted is None and len(texts) > 1:
            texts.pop()
        elif inserted is not None:
            old = texts[-1]
            texts.append(old[:first] + inserted.replace("{b}", block) + old[first + removed:])
        whole = analysis.analyse(f"/w/{name}", texts[-1], "/w", shipped)
        mine = analysis.analyse(f"/w/{name}", texts[-1], "/w", shipped, pieces=cache)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
        assert list(whole.findings) == sorted(whole.findings, key=Finding.sort_key)  # not sorted again


class _NoSearch:
    """A cut pattern that may be matched at a place, not searched for in the whole text."""

    def __init__(self, pattern) -> None:
        self.pattern, self.match = pattern, pattern.match

    def finditer(self, text: str):
        raise AssertionError("the whole text was cut again")


def _large_lock(shipped, monkeypatch) -> tuple[str, LockCache, list[str]]:
    """A 3,000-package uv.lock read once; then the pieces parsed are listed and the whole text
    may not be cut again."""
    text = "version = 1\n" + "".join(PACKAGE[n % 5].replace("{b}", "package") for n in range(3000))
    cache = LockCache()
    analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
    parsed = []
    original = lock_blocks.loads
    monkeypatch.setattr(lock_blocks, "loads", lambda part, **kw: parsed.append(part) or original(part, **kw))
    monkeypatch.setattr(lock_blocks, "_CUT", {"package": _NoSearch(lock_blocks._CUT["package"])})
    return text, cache, parsed


def test_a_version_typed_in_a_large_lock_reads_one_package(shipped, monkeypatch):
    """The point of it (issue 15): a keystroke in a 5 MB uv.lock looked for every package's
    header in the whole text and moved every later package's findings (200 ms)."""
    text, cache, parsed = _large_lock(shipped, monkeypatch)
    for at in (len(text) // 2, len(text) // 2, len(text) * 3 // 4, len(text) // 4):
        version = text.index('version = "3.2.', at) + len('version = "3.2.')
        text = text[:version] + "2" + text[version:]  # 3.2.5 -> 3.2.25 -> 3.2.225
        mine = analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
        whole = analysis.analyse("/w/uv.lock", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert len(parsed) == 4 and all(part.count("[[package]]") == 1 for part in parsed)


def test_lines_typed_in_a_large_lock_read_one_package(shipped, monkeypatch):
    """Enter typed (issue 15): a new line, a line joined, a comment line, a package moved down
    were read whole (a second per keystroke at 5 MB); the later packages' findings move."""
    text, cache, parsed = _large_lock(shipped, monkeypatch)
    half, quarter = len(text) // 2, text.index("\n", len(text) // 4) + 1
    # (where: from a package header's start (None: a line a quarter in), what it removes, adds)
    edits = [(0, "", "\n"), (-1, "\n", ""), (-1, "", "\n# moved down\n"), (11, "", "\n\n"),
             (11, "\n", ""), (None, "", "\n")]
    for where, removed, inserted in edits:
        at = quarter if where is None else text.index("[[package]]", half) + where
        assert text.startswith(removed, at)
        text = text[:at] + inserted + text[at + len(removed):]
        mine = analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
        whole = analysis.analyse("/w/uv.lock", text, "/w", shipped)
        assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
        assert whole.findings and not whole.not_analysed
    assert len(parsed) == len(edits) and all(part.count("[[package]]") == 1 for part in parsed)


@pytest.mark.parametrize(("text", "old", "new"), [
    ('# package = 1\n[[package]]\nname = "requests"\nversion = "2.19.0"\n', "# package", "package"),
    ('[[package]]\nname = "requests"\nversion = "2.19.0"\n[other]\na = 1\n[[package]]\nname = "django"\n'
     'version = "3.2.5"\n[metadata]\nb = 1\n', "[other]", "[metadata]"),
    ('[[package]]\nname = "requests"\nversion = "2.19.0"\n[[package]]\nname = "django"\n', '"2.19.0"',
     '"2.19.0\nversion = "1"'),
    ('[[package]]\nname = "requests"\nversion = "2.19.0"\n[[package]]\nname = "django"\n', '"\n[[package]]',
     '"[[package]]')])
def test_what_changes_the_pieces_keys_is_read_whole(shipped, text, old, new):
    """A package key before the first package, a table two pieces define, a line added, a
    package's header joined to the line above."""
    cache = LockCache()
    analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
    edited = text.replace(old, new, 1)
    mine = analysis.analyse("/w/uv.lock", edited, "/w", shipped, pieces=cache)
    whole = analysis.analyse("/w/uv.lock", edited, "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert whole.not_analysed


def test_a_key_written_above_a_packages_header_is_read_whole(shipped):
    """In the whole file the key belongs to the package above (here: a VCS package, not looked
    up), though its piece, read alone, is valid with the same top-level keys."""
    text = ('[[package]]\nname = "requests"\nversion = "2.19.0"\n[[package]]\nname = "django"\n'
            'version = "3.2.5"\n[vcs.x]\na = 1\n')
    cache = LockCache()
    analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
    edited = text.replace('[[package]]\nname = "django"', 'vcs.y = 1\n[[package]]\nname = "django"')
    mine = analysis.analyse("/w/uv.lock", edited, "/w", shipped, pieces=cache)
    whole = analysis.analyse("/w/uv.lock", edited, "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert {finding.span.start_line for finding in whole.findings} == {6}


def test_a_string_typed_over_keystrokes_is_read_from_the_last_valid_text(shipped, monkeypatch):
    """Issue 15: while a quote was open the lock was not valid TOML, and the keystroke that
    closed it cut and looked up every package again (148 ms at 1 MB): now it is read from the
    last valid text, one package parsed."""
    text, cache, parsed = _large_lock(shipped, monkeypatch)
    at = text.index('version = "3.2.5"', len(text) // 2) + len('version = "3.2.')
    broken = text[:at] + '6' + text[at + 2:]  # the closing quote removed
    with monkeypatch.context() as patched:  # read whole: cut, and the broken piece parsed
        patched.setattr(lock_blocks, "_CUT", {"package": lock_blocks._CUT["package"].pattern})
        assert analysis.analyse("/w/uv.lock", broken, "/w", shipped, pieces=cache).not_analysed
    text = text[:at] + '6"' + text[at + 2:]
    mine = analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
    whole = analysis.analyse("/w/uv.lock", text, "/w", shipped)
    assert (mine.findings, mine.not_analysed) == (whole.findings, whole.not_analysed)
    assert len(parsed) == 3 and parsed[-1].count("[[package]]") == 1
