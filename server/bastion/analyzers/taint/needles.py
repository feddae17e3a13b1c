"""Which of several texts cannot match an expression, found in one pass over them all: the
relevance step (relevance.py) searched each function's text for the module's source expression
and the judged-pattern trigger, 25 ms of the 110 ms warm-up of `_pydecimal.py`, because an
expression led by `\\b` gets no fast scan from `re` and each search tries every position.

The caller gives the expression's needles: literal strings one of which every match holds
(`request` of `\\b(?:request\\s*\\.\\s*args|...)\\b`), known where the expression is built. The
texts are joined, lowered as ASCII bytes (lowering widens a case-sensitive needle and is exact
for a case-blind one on ASCII text) and searched for each needle with `bytes.find` (an
alternation of the needles in `re` tries every position: 6 ms); a text that holds no needle
cannot match. A text with a non-ASCII character is always kept: Unicode case folds (`ſ` is `s`
to `(?i:s)`) have no ASCII bytes to find.

A text whose matches all lie in comments does not match either (`matches_in_code`).
"""

from __future__ import annotations

import bisect
import functools
import re
import tokenize
from collections.abc import Iterable


def without_match(needles: tuple[str, ...], texts: Iterable[tuple[str, str]]) -> set[str]:
    """The names of the (name, text) pairs whose text holds none of `needles`, so that an
    expression every match of which holds one cannot match it; a name left out may match or
    not. No needle, or an empty or non-ASCII one, rules nothing out."""
    scan = _scan(needles)
    pairs = list(texts)
    if scan is None or len(pairs) < 2:
        return set()
    starts: list[int] = []
    offset = 0
    for _, text in pairs:
        starts.append(offset)
        offset += len(text) + 1
    # "?" replaces every non-ASCII character, one byte for one character: offsets are kept
    joined = "\n".join(text for _, text in pairs).encode("ascii", "replace").lower()
    touched = {i for i, (_, text) in enumerate(pairs) if not text.isascii()}
    for needle in scan:
        at = joined.find(needle)
        while at >= 0:
            first = bisect.bisect_right(starts, at) - 1
            last = bisect.bisect_right(starts, at + len(needle) - 1) - 1
            touched.update(range(first, last + 1))
            # the rest of the text that holds it: it is kept already
            at = joined.find(needle, max(at + 1, starts[last + 1] if last + 1 < len(starts) else offset))
    return {name for name, _ in pairs} - {pairs[i][0] for i in touched}


@functools.lru_cache(maxsize=64)
def _scan(needles: tuple[str, ...]) -> tuple[bytes, ...] | None:
    """The needles lowered, those holding a shorter one left out; None when they rule nothing out."""
    if not needles or any(not n or not n.isascii() or "?" in n for n in needles):
        return None
    lowered = {n.lower().encode("ascii") for n in needles}
    # a text holding `check_call` holds `call`: the longer needle finds no other text
    return tuple(sorted(n for n in lowered if not any(o != n and o in n for o in lowered)))


def matches_in_code(check: re.Pattern, text: str) -> bool:
    """Whether `check` matches `text` with its comments blanked: a comment cannot read a
    source, and `_parsegen` of email/feedparser.py was interpreted (173 ms, no finding) for
    the word "input" in four of its comments. Strings are read as they are (an f-string holds
    code). Tokenized only when a `#` precedes the first match on its line; any text that does
    not tokenize is read whole."""
    match = check.search(text)
    if match is None:
        return False
    if "#" not in text[text.rfind("\n", 0, match.start()) + 1:match.start()]:
        return True
    blanked = _without_comments(text)
    return blanked is None or check.search(blanked) is not None


def _without_comments(text: str) -> str | None:
    """`text` with each comment's characters spaces (a comment ends its line: every other
    character keeps its offset and its word boundaries), None if it does not tokenize."""
    lines = text.split("\n")
    readline = iter(line + "\n" for line in lines).__next__
    try:
        for token in tokenize.generate_tokens(readline):
            if token.type == tokenize.COMMENT:
                (row, start), (_, end) = token.start, token.end
                line = lines[row - 1]
                lines[row - 1] = line[:start] + " " * (end - start) + line[end:]
    except (tokenize.TokenError, SyntaxError, StopIteration):
        return None
    return "\n".join(lines)
