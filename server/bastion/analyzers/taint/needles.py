"""Which of several texts cannot match an expression, found in one pass over them all: the
relevance step (relevance.py) searched each function's text for the module's source expression
and the judged-pattern trigger, 25 ms of the 110 ms warm-up of `_pydecimal.py`, because an
expression led by `\\b` gets no fast scan from `re` and each search tries every position.

Every match of an expression holds one of its needles: literal runs the expression requires
(`request` of `\\b(?:request\\s*\\.\\s*args|...)\\b`), read from its parse. The texts are joined,
lowered as ASCII bytes (lowering widens a case-sensitive needle and is exact for a case-blind
one on ASCII text) and searched for each needle with `bytes.find` (an alternation of the
needles in `re` tries every position: 6 ms); a text that holds no needle cannot match. A text
with a non-ASCII character is always kept: Unicode case folds (`ſ` is `s` to `(?i:s)`) have
no ASCII bytes to find.

A text whose matches all lie in comments does not match either (`matches_in_code`).
"""

from __future__ import annotations

import bisect
import functools
import re
import tokenize
from collections.abc import Iterable

# `re`'s own parser: `re._parser` since Python 3.11, `sre_parse` before (3.10). Private: on an
# interpreter without either, no text is ruled out (every function is searched, as before).
try:
    from re import _constants as _codes  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    try:
        import sre_constants as _codes
        import sre_parse as _sre_parse
    except ImportError:
        _codes = _sre_parse = None
_LITERAL = getattr(_codes, "LITERAL", None)
_BRANCH = getattr(_codes, "BRANCH", None)
_SUBPATTERN = getattr(_codes, "SUBPATTERN", None)


def without_match(check: re.Pattern, texts: Iterable[tuple[str, str]]) -> set[str]:
    """The names of the (name, text) pairs whose text `check.search` cannot match; a name
    left out may match or not."""
    scan = _scan(check.pattern, check.flags) if isinstance(check.pattern, str) else None
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
def _scan(pattern: str, flags: int) -> tuple[bytes, ...] | None:
    """The needles, lowered, None when the parse shows none every match holds."""
    if _sre_parse is None or _LITERAL is None:
        return None
    try:
        needles = _required(_sre_parse.parse(pattern, flags))
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    if not needles or any(not n.isascii() or "?" in n for n in needles):
        return None
    lowered = {n.lower().encode("ascii") for n in needles}
    # a text holding `check_call` holds `call`: the longer needle finds no other text
    return tuple(sorted(n for n in lowered if not any(o != n and o in n for o in lowered)))


def _required(items) -> set[str] | None:
    """Literal strings one of which every match of the sequence `items` holds, the set whose
    shortest string is longest; None if no part of the sequence gives one. Only parts that
    every match goes through are read: literal runs, groups, alternations."""
    found: list[set[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append({"".join(run)})
            run = []
        if op is _BRANCH:
            choices = [_required(alternative) for alternative in av[1]]
            if all(choices):
                found.append(set().union(*choices))
        elif op is _SUBPATTERN:
            inner = _required(av[3])
            if inner:
                found.append(inner)
    if not found:
        return None
    return max(found, key=lambda needles: min(len(n) for n in needles))


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
