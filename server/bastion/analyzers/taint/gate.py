"""Whether a document may read a modelled source (`Models.may_read_sources`), answered for each
new text of the document from what the edit changed, as a whole-text check would answer it.

The whole-text check looks for ~20 words in the text: 2.5 ms a keystroke in a 230 KB module,
the taint analyzer's whole cost there when the module reads no source. An edit changes one
stretch of the text (what is between the common prefix and the common suffix of the two
texts), so:
- a text whose last version matched still matches when that match (the witness) is outside the
  stretch, with a character of context on each side (`\\b`);
- a text whose last version did not match matches only where a match reaches into the stretch:
  each word's expression is searched around it, as far as its longest match reaches; one
  whose match has no bound (`input\\s*\\(`) is searched in the whole text.
Anything else, and a text that shares little with the last one (the analyzer serves every
document), is checked whole. Owned by the taint analyzer, used under the engine's lock like
its other caches.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from bastion.model.text import common_ends

if TYPE_CHECKING:
    from bastion.analyzers.taint.specs import Models

if sys.version_info >= (3, 11):
    from re import _parser as _sre_parse
else:  # pragma: no cover
    import sre_parse as _sre_parse

_UNBOUNDED = 1 << 16  # a longer reach is searched in the whole text
_STRETCH = 4096  # a longer changed stretch (the analyzer's next text is another document's)


class SourceGate:
    def __init__(self, models: Models) -> None:
        self._whole = models.source_match
        self._checks = [(needle, check, _reach(check)) for needle, check in models.gate()]
        self._text: str | None = None
        self._witness: tuple[int, int] | None = None  # a match in `_text`, None: it has none

    def may_read_sources(self, text: str) -> bool:
        old, witness = self._text, self._witness
        if old is None or old == text:
            found = self._whole(text) if old is None else witness
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
                found = self._around(text, start, new_end)
        self._text, self._witness = text, found
        return found is not None

    @staticmethod
    def _kept(witness: tuple[int, int], start: int, old_end: int, shift: int
              ) -> tuple[int, int] | None:
        first, end = witness
        if end + 1 <= start:
            return witness
        if first - 1 >= old_end:
            return first + shift, end + shift
        return None

    def _around(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        for needle, check, reach in self._checks:
            if reach >= _UNBOUNDED:
                match = check.search(text) if needle in text else None
            else:
                match = check.search(text, max(0, start - reach - 1), min(len(text), end + reach + 1))
                if match is not None and check.match(text, match.start()) is None:
                    match = check.search(text)  # matched only because the search stopped short
            if match is not None:
                return match.span()
        return None


def _reach(check: re.Pattern) -> int:
    try:
        return min(_sre_parse.parse(check.pattern, check.flags).getwidth()[1], _UNBOUNDED)
    except (re.error, OverflowError, RecursionError):
        return _UNBOUNDED
