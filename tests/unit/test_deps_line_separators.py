"""Line numbers of dependency findings count only "\\n", "\\r\\n" and "\\r" as line ends, as LSP
clients and every report do (issue 15): a TOML or JSON string, or a requirements comment, that
holds U+2028, U+0085, a form feed or another character str.splitlines breaks at used to move every
later finding of the file down a line per such character."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.deps import analysis, store
from bastion.deps.lines import LineCache
from bastion.deps.location import shipped_index_path
from bastion.deps.lock_blocks import LockCache
from bastion.model.text import text_lines

SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
S = "\x85\u2028\u2029"  # TOML allows no other control character in a string or comment
MANIFESTS = {
    "pyproject.toml": f'[project]\nname = "x"\ndescription = "a{S}b"\n'
                      'dependencies = [\n  "requests==2.19.0",\n]\n',
    "uv.lock": f'version = 1\n\n[[package]]\nname = "a"\nversion = "1"\n'
               f'source = {{ registry = "x{S}y" }}\n\n[[package]]\nname = "requests"\n'
               'version = "2.19.0"\n',
    "poetry.lock": f'[[package]]\nname = "a"\nversion = "1"\ndescription = "x{S}y"\n\n'
                   '[[package]]\nname = "requests"\nversion = "2.19.0"\ndescription = ""\n',
    "pylock.toml": f'lock-version = "1.0"\ncreated-by = "x{S}y"\n\n[[packages]]\n'
                   'name = "requests"\nversion = "2.19.0"\n',
    "requirements.txt": f"# notes{SEPARATORS}more\nrequests==2.19.0\n",
    "Pipfile.lock": '{"_meta": {"hash": {"sha256": "x' + S + '"}},\n'
                    ' "default": {"requests": {"version": "==2.19.0"}}}\n',
}


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def _places(result) -> list[tuple[str, int, int]]:
    return sorted((f.rule_id, f.span.start_line, f.span.start_col) for f in result.findings)


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_separators_in_strings_do_not_move_later_findings(shipped, name):
    text = MANIFESTS[name]
    plain = text.translate({ord(c): "-" for c in SEPARATORS})
    path = f"/w/{name}"
    expected = _places(analysis.analyse(path, plain, "/w", shipped))
    assert expected, "the plain text has a finding"
    (line,) = {line for _rule, line, _col in expected}
    assert "2.19.0" in text.split("\n")[line]  # where an LSP client shows it
    assert _places(analysis.analyse(path, text, "/w", shipped)) == expected
    # The editor's caches, first read and after an edit above the finding.
    lines, pieces = LineCache(), LockCache()
    for version in (text, text.replace("x", "xx", 1)):
        result = analysis.analyse(path, version, "/w", shipped, lines=lines, pieces=pieces)
        assert _places(result) == expected


def test_text_lines_is_splitlines_at_line_ends_only():
    for text in ("", "\n", "a", "a\n", "a\r\nb\rc\n\n", "\r", "a\r\n", "\n\n"):
        assert text_lines(text) == text.splitlines()
    assert text_lines(f"a{SEPARATORS}b\r\nc\n") == [f"a{SEPARATORS}b", "c"]
    assert text_lines("\u2028\n") == ["\u2028"]


@given(st.text(alphabet="a\n\r\x0b\x0c\x85\u2028 ", max_size=30))
def test_text_lines_split_only_at_line_ends(text):
    """Lines as LSP counts them: split at "\\n", "\\r\\n" and "\\r" only, a last line end closing
    the last line (what `_LINE_END` splitting gives, whichever path text_lines takes)."""
    expected = re.split(r"\r\n|\r|\n", text)
    if expected[-1] == "":
        expected.pop()
    assert text_lines(text) == expected
