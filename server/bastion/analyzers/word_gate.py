"""Where a text holds one of a few words, as a whole word, followed by what a pattern matches:
the text gates of the own rules' whole-file checks, asked of every text at every keystroke.

Python's `re` has no fast path for a pattern that starts with `\\b` or with an alternation of
many literals: it tries every position, and such a search cost 2–6 ms a keystroke on a 6,000-line
module (argparse.py, _pydecimal.py). A few rare words are found with `str.find` (~0.05 ms a word);
one common word (`if`) by a pattern starting with it, which `re` searches for as a literal and
rejects mostly in C (`BoundedPattern`; the find loop visited ~540 `if`s a text in Python).
Immutable once built."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


class WordGate:
    def __init__(self, words: Iterable[tuple[str, str]]) -> None:
        """`words`: (word, regular expression matched right after it)."""
        self._words = tuple((word, re.compile(after)) for word, after in words)

    def __bool__(self) -> bool:
        return bool(self._words)

    def starts(self, text: str) -> Iterator[int]:
        """The offset of each occurrence, word by word (not in text order)."""
        for word, after in self._words:
            at = text.find(word)
            while at >= 0:
                if (at == 0 or not _word_char(text[at - 1])) and after.match(text, at + len(word)):
                    yield at
                at = text.find(word, at + 1)

    def search(self, text: str) -> bool:
        return next(self.starts(text), None) is not None


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class BoundedPattern:
    """`\\b` + `pattern`, where `pattern` starts with a word: the word boundary is tested on each
    match, not tried by `re` at every position."""

    def __init__(self, pattern: str) -> None:
        self._pattern = re.compile(pattern)

    def search(self, text: str) -> bool:
        return any(at == 0 or not _word_char(text[at - 1])
                   for at in (match.start() for match in self._pattern.finditer(text)))
