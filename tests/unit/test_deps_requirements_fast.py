"""The fast paths of the requirements parser (issue 15: a 5 MB file's 252k lines) read lines as
the general ones do: a one-piece logical line's spans, a specifier's blanks removed by
`str.split` (the same Unicode blanks as the regex `\\s`), a plain release pin accepted without
`Version`, the comment search skipped on lines without `#`, and a simple requirement's spans
taken from `_SIMPLE`'s groups. Each is compared with the code it replaced (or the general path
kept for other lines), over generated requirement lines."""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import InvalidVersion, Version
from tests.hypothesis_budget import examples

from bastion.deps import requirements_txt
from bastion.model import Span

BLANKS = [" ", "\t", "\u00a0", "\u2003", "\x1c", "\x0b", "\u3000", "\u200b", ""]
VERSIONS = ["1", "1.0", "2.19.0", "01.2", "1..2", "1.0a1", "1.0.post1", "1.*", "1.0+local",
            "v1.2", "\u0661.2", "1.2.", ".1", "1_0", "1!2.0", "abc", "1.0-1"]

_line = st.builds(
    lambda pre, name, extras, op, blank, version, more, tail: (
        f"{pre}{name}{extras}{blank}{op}{blank}{version}{more}{tail}"),
    st.sampled_from(BLANKS), st.sampled_from(["requests", "a", "zope.interface", "my_pkg-2"]),
    st.sampled_from(["", "[socks]", " [a, b] "]),
    st.sampled_from(["==", "===", ">=", "~=", "!=", "<", ""]), st.sampled_from(BLANKS),
    st.sampled_from(VERSIONS), st.sampled_from(["", ",<3", " , !=2.0 ", "; python_version > '3'"]),
    st.sampled_from(["", " # note", "#x", "  --hash=sha256:ab", " \\", "\u00a0"]))


def _old_simple(requirement: str) -> tuple[str, str] | None:
    match = requirements_txt._SIMPLE.match(requirement)
    if match is None:
        return None
    specifier = re.sub(r"\s+", "", match.group(2) or "")
    clauses = specifier.split(",") if specifier else []
    if len(clauses) == 1 and clauses[0].startswith("==") and "*" not in clauses[0]:
        try:
            Version(clauses[0].lstrip("="))
        except InvalidVersion:
            return None
    return match.group(1), specifier


def _old_span(logical, start: int, end: int) -> Span:
    line, col = logical.where(start)
    end_line, end_col = logical.where(end - 1)
    return Span(line, col, end_line, end_col + 1)


@settings(max_examples=examples(600), deadline=None)
@given(_line)
def test_simple_requirement_equals_the_code_before(line):
    assert requirements_txt.simple_requirement(line) == _old_simple(line)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_line, min_size=1, max_size=4), st.data())
def test_spans_and_comments_equal_the_general_path(lines, data):
    logicals = list(requirements_txt.logical_lines(lines))
    for logical in logicals:
        if logical.text:
            start = data.draw(st.integers(0, len(logical.text) - 1))
            end = data.draw(st.integers(start + 1, len(logical.text)))
            assert logical.span(start, end) == _old_span(logical, start, end)
    # The comment search, skipped without a `#`, cuts each physical line where it did.
    bodies = [piece for logical in logicals for piece in logical.text.split("\0")]
    assert "".join(bodies) == "".join(
        (raw[:m.start()] if (m := requirements_txt._COMMENT.search(raw)) else raw).removesuffix(
            "\\" if not m and raw.endswith("\\") else "") for raw in lines)


_piece = st.sampled_from(
    ["", " ", "\t", "\u00a0", "\x1c", "requests", "a", "Zope.Interface", "my_pkg-2", "[socks]",
     "[a, b]", "[x;y]", "[(]", "[", "]", "==", "===", ">=", "~=", "!=", "<", ",", "(", ")", "2.19.0",
     "1.0a1", "1.*", "v1.2", "1..2", "-1", "; python_version > '3'", ";", " @ https://x.org/a.whl",
     "https://x.org/b.tar.gz", "./local", "-e", "--hash=sha256:ab", " -r other.txt", "-c c.txt",
     "--index-url https://x", " # note", "#x", "\\", "$VAR", "@"])
_structured = st.builds(
    lambda pre, name, extras, op, version, more, tail: f"{pre}{name}{extras}{op}{version}{more}{tail}",
    st.sampled_from(BLANKS + ["-e ", "-r ", "--index-url=x "]),
    st.sampled_from(["requests", "a", "Zope.Interface", "my_pkg-2", "./pkg", "x$Y"]),
    st.sampled_from(["", "[socks]", " [a, b] ", "[x;y]", "[(]", "[", " "]),
    st.sampled_from(["==", "===", ">=", "~=", "!=", "< ", " == ", "", " @ "]),
    st.sampled_from(VERSIONS + ["https://x.org/a.whl", "-1", "1.0 "]),
    st.sampled_from(["", ",<3", " , !=2.0 ", "; python_version > '3'", ")", " (", ";"]),
    st.sampled_from(["", " # note", "#x", "  --hash=sha256:ab", " \\", "\u00a0", " -x"]))
_physical = st.one_of(_structured, st.lists(_piece, max_size=9).map("".join))


@settings(max_examples=examples(1500), deadline=None)
@given(st.lists(_physical, min_size=1, max_size=5))
def test_simple_requirements_read_as_the_general_path_reads_them(lines):
    """Names, extras, markers, URLs, includes, options, hashes, comments and continuations."""
    fast = requirements_txt.parse_lines(lines)
    with mock.patch.object(requirements_txt, "_dependency", requirements_txt._general_dependency):
        general = requirements_txt.parse_lines(lines)
    assert fast[1] == general[1]
    assert [(logical.text, logical.pieces, option, target) for logical, option, target in fast[0]] \
        == [(logical.text, logical.pieces, option, target) for logical, option, target in general[0]]
