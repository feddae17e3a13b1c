"""Whether a document may read a modelled source (`Models.may_read_sources`), may hold a
call or SQL text a judged pattern rule flags (`JudgedGate`), or names a registrar
(`registrar_gate`), answered for each new text of the document from what the edit changed, as
a whole-text check would answer it.

The whole-text checks look for ~20 words in the text: 2.5 ms a keystroke in a 230 KB module,
and the SQL text's pattern 5 ms when the module names `update` somewhere, the taint analyzer's
whole cost there when the module reads no source. An edit changes one stretch of the text
(what is between the common prefix and the common suffix of the two texts), so:
- a text whose last version matched still matches when that match (the witness) is outside the
  stretch, with a character of context on each side (`\\b`);
- a text whose last version did not match matches only where a match reaches into the stretch:
  each word's expression is searched around it, as far as its longest match reaches (the SQL
  text's, a few lines); one whose match has no bound (`input\\s*\\(`) is searched in the
  whole text.
Anything else, and a text that shares little with the last one (the analyzer serves every
document), is checked whole. A one-off scan's gates (`edits=False`) check every text whole:
its texts are other files, never an edit of the last one, and a small file shares enough of
its text with the one before (a licence header, the end) that each gate compiled and measured
every expression it looks for (123 for the sources, 33 for the registrars): 9 ms a process
(and a scan's every worker) for no reuse.
An editor's gates make those expressions at their first text, a document's open (its analysis
is no keystroke, and keystroke_profile.py analyses it before its first key, as the server
does), not at the first edit: that was key 0's dearest part.
Owned by the taint analyzer, used under the engine's lock like its other caches.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.specs import whole_name
from bastion.model.text import common_ends

if TYPE_CHECKING:
    from bastion.analyzers.taint.specs import Models

if sys.version_info >= (3, 11):
    from re import _parser as _sre_parse
else:  # pragma: no cover
    import sre_parse as _sre_parse

_UNBOUNDED = 1 << 16  # a longer reach is searched in the whole text
_LINES = -1  # the reach of an expression searched in the lines around (`_lines_around`)
_STRETCH = 4096  # a longer changed stretch (the analyzer's next text is another document's)


class TextGate:
    """`whole(text)`: the span of a first match, or None; `checks`: (needle, expression, reach)
    whose matches are exactly the whole check's (`_LINES`: searched in the lines around the
    stretch, see `_lines_around`)."""

    def __init__(self, whole: Callable[[str], tuple[int, int] | None],
                 checks: list[tuple[str, re.Pattern, int]]
                 | Callable[[], list[tuple[str, re.Pattern, int]]], edits: bool = True) -> None:
        """`checks` may be given as a function that makes them, called at the first text
        checked; `edits`: False when the texts are never edits of each other (a scan), then
        each is checked whole and `checks` is never made."""
        self._whole = whole
        self._checks = checks
        self._edits = edits
        self._text: str | None = None
        self._witness: tuple[int, int] | None = None  # a match in `_text`, None: it has none
        # The needles of unbounded checks that `_text` does not hold, when `_around` found
        # them (else empty): each is looked for in the next text around its changed stretch
        # only, not in the whole text (0.2 ms a needle in a 230 kB text).
        self._absent: frozenset[str] = frozenset()

    def match(self, text: str) -> bool:
        if not self._edits:
            return self._whole(text) is not None
        old, witness, absent = self._text, self._witness, self._absent
        self._absent = frozenset()
        if old is None:
            # The text of a document the editor opened, whose analysis is no keystroke: the
            # checks every edit after it needs are made now, not at the first key (the source
            # gate's 123 expressions, compiled and measured: 72k calls, 39 ms in _pydecimal.py).
            self._made_checks()
        if old is None or old == text:
            found = self._whole(text) if old is None else witness
            self._absent = absent if old is not None else frozenset()
        else:
            start, tail = common_ends(old, text)
            old_end, new_end = len(old) - tail, len(text) - tail
            if new_end - start > _STRETCH:  # another document, or a paste: as fast whole
                found = self._whole(text)
            elif witness is not None:
                found = self._kept(witness, start, old_end, len(text) - len(old))
                if found is None:
                    found = self._whole(text)
            else:
                found = self._around(text, start, new_end, absent)
        self._text, self._witness = text, found
        return found is not None

    def forget_text(self) -> None:
        """Let go of the last text checked (the editor closed its document): the next text is
        checked whole."""
        self._text, self._witness, self._absent = None, None, frozenset()

    def _made_checks(self) -> list[tuple[str, re.Pattern, int]]:
        if callable(self._checks):
            self._checks = self._checks()
        return self._checks

    @staticmethod
    def _kept(witness: tuple[int, int], start: int, old_end: int, shift: int
              ) -> tuple[int, int] | None:
        first, end = witness
        if end + 1 <= start:
            return witness
        if first - 1 >= old_end:
            return first + shift, end + shift
        return None

    def _around(self, text: str, start: int, end: int, absent: frozenset[str]
                ) -> tuple[int, int] | None:
        """`absent`: needles the last text does not hold; the text from it changed in
        start..end (the rest is the last text's)."""
        still: set[str] = set()
        for needle, check, reach in self._made_checks():
            if reach == _LINES:
                low, high = _lines_around(text, start, end)
            elif reach >= _UNBOUNDED:
                # An occurrence the last text did not hold overlaps the changed stretch.
                if needle in absent and needle not in text[max(0, start - len(needle) + 1):
                                                          end + len(needle) - 1] \
                        or needle not in text:
                    still.add(needle)
                    continue
                match = first_match(check, needle, text)
                if match is not None:
                    return match.span()
                continue
            else:
                low, high = max(0, start - reach - 1), min(len(text), end + reach + 1)
            match = check.search(text, low, high)
            if match is not None:
                # the match the whole text has there (the search may have stopped it short)
                match = check.match(text, match.start()) or check.search(text)
            if match is not None:
                return match.span()
        self._absent = frozenset(still)
        return None


def source_gate(models: Models, edits: bool = True) -> TextGate:
    """`Models.may_read_sources`, per edit (`edits`: see `TextGate`)."""
    return TextGate(models.source_match,
                    lambda: [(needle, check, _reach(check)) for needle, check in models.gate()],
                    edits)


def registrar_gate(models: Models, edits: bool = True) -> TextGate:
    """Whether a text names a registrar (`Models.registrar_names`: `Depends`, `add_url_rule`)
    as a whole word, as a call of one is written (`serve` in `preserve` names none: each
    keystroke in _pydecimal.py walked every function's parameters for it), per edit: the
    whole-text check, a search for each name, costs 0.7 ms in _pydecimal.py."""
    names = sorted(models.registrar_names())
    # compiled when a text first holds the name (a scan of plain modules holds few of them)
    check = functools.cache(lambda name: re.compile(whole_name(name)))

    def first(text: str) -> tuple[int, int] | None:
        for name in names:
            match = check(name).search(text) if name in text else None
            if match is not None:
                return match.span()
        return None
    return TextGate(first, lambda: [(name, check(name), _reach(check(name))) for name in names], edits)


def _lines_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The lines a match of `_LINES` kind reaching into start..end may lie on: such an
    expression crosses a line end only with whitespace (`delete\\s+from`) or between words and
    the rest of a line (`select\\s.*\\sfrom`), so from start, three times, back to the line's
    start and over the whitespace before it; and the same forward from end."""
    low = start
    for _ in range(3):
        low = text.rfind("\n", 0, low) + 1
        while low > 0 and text[low - 1].isspace():
            low -= 1
    high = end
    for _ in range(3):
        found = text.find("\n", high)
        high = len(text) if found < 0 else found
        while high < len(text) and text[high].isspace():
            high += 1
    return max(0, low - 1), min(len(text), high + 1)


def first_match(check: re.Pattern, needle: str, text: str) -> re.Match | None:
    """`check.search(text)`. When every match of `check` starts with `needle` (`_led_by`), it
    is tried only where `str.find` finds `needle`, which skips over text faster than `re` looks
    for a literal: `input\\s*\\(` in a 230 kB text naming `input` four times, 0.48 ms a search."""
    if not _led_by(check.pattern, check.flags, needle):
        return check.search(text)
    at = text.find(needle)
    while at >= 0:
        match = check.match(text, at)
        if match is not None:
            return match
        at = text.find(needle, at + 1)
    return None


@functools.cache
def _led_by(pattern: str | bytes, flags: int, needle: str) -> bool:
    """Whether the expression is `needle` literally (case-sensitive), then anything: then each
    of its matches starts where `needle` does."""
    try:
        items = list(_sre_parse.parse(pattern, flags))
    except (re.error, OverflowError, RecursionError):
        return False
    literal = [(_sre_parse.LITERAL, ord(c)) for c in needle]
    return bool(needle) and not flags & re.IGNORECASE and items[:len(needle)] == literal


def _reach(check: re.Pattern) -> int:
    try:
        return min(_sre_parse.parse(check.pattern, check.flags).getwidth()[1], _UNBOUNDED)
    except (re.error, OverflowError, RecursionError):
        return _UNBOUNDED


class JudgedGate:
    """Whether a text may hold a judged call or SQL text (verdicts.py), per edit: the name of a
    judged call (`NEEDLES`), or SQL text (its expression, and one of the words that name it,
    anywhere). Each part is a gate of its own,
    asked at every text so that each keeps its last answer."""

    def __init__(self, needles: tuple[str, ...], sql_needles: tuple[str, ...],
                 sql_text: re.Pattern,
                 find_sql: Callable[[str], tuple[int, int] | None] | None = None,
                 edits: bool = True) -> None:
        """`find_sql`: the span of `sql_text`'s first match in a whole text, found faster;
        `edits`: see `TextGate`."""
        self._calls = words_gate(needles, edits)
        self._sql_words = words_gate(sql_needles, edits)
        self._sql = TextGate(find_sql or (lambda text: _span(sql_text.search(text))),
                             [("", sql_text, _LINES)], edits)

    def match(self, text: str) -> bool:
        calls, words, sql = (self._calls.match(text), self._sql_words.match(text),
                             self._sql.match(text))
        return calls or (words and sql)

    def forget_text(self) -> None:
        for gate in (self._calls, self._sql_words, self._sql):
            gate.forget_text()


def words_gate(words: tuple[str, ...], edits: bool = True) -> TextGate:
    """Whether a text holds one of `words`, per edit (`edits`: see `TextGate`). The whole
    check is `str.find`: the expressions are compiled at the first text (a scan makes none)."""

    def first(text: str) -> tuple[int, int] | None:
        for word in words:
            at = text.find(word)
            if at >= 0:
                return at, at + len(word)
        return None
    return TextGate(first, lambda: [(word, re.compile(re.escape(word)), len(word)) for word in words],
                    edits)


def _span(match: re.Match | None) -> tuple[int, int] | None:
    return None if match is None else match.span()
