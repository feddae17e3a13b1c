"""Names one edit away from a popular package (BST403); the list ships in data/ (see NOTICE.md)."""

from __future__ import annotations

import functools
from importlib import resources

MIN_LENGTH = 5  # shorter names sit one edit from many real packages (six/sip, toml/tomli)


@functools.cache
def popular_names() -> frozenset[str]:
    text = resources.files("bastion.deps").joinpath("data/popular-packages.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def one_edit(a: str, b: str) -> bool:
    """Whether b is a with one character inserted, removed, replaced, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    if a[i + 1:] == b[i + 1:]:
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]


def _halves(length: int) -> tuple[int, int]:
    """(k, j) for a name of `length` (at least MIN_LENGTH): a name one edit from it agrees with
    it on the first k characters or on the last j. Where the two first differ, i, is k or more;
    or less, and they agree on the last length - i - 2 characters at least (a swap of i and
    i + 1; a replacement leaves length - i - 1, an insertion either way length - i - 1 or
    length - i)."""
    k = (length - 1) // 2
    return k, length - 1 - k


@functools.cache
def _by_prefix_or_suffix() -> dict[tuple, tuple[str, ...]]:
    """The popular names of at least MIN_LENGTH characters that a name of a length may be one
    edit from (theirs, one shorter or longer), by that length and their first k characters,
    and by length, first letter and last j characters (`_halves`), sorted."""
    table: dict[tuple, list[str]] = {}
    for name in sorted(popular_names()):
        if len(name) >= MIN_LENGTH:
            for length in range(max(len(name) - 1, MIN_LENGTH), len(name) + 2):
                k, j = _halves(length)
                table.setdefault((length, name[:k]), []).append(name)
                table.setdefault((length, name[0], name[-j:]), []).append(name)
    return {key: tuple(names) for key, names in table.items()}


def lookalike(name: str) -> str | None:
    """The popular package `name` (normalised) is one edit away from, if it is not popular itself.

    A first letter added or changed makes real packages as often as squats (cattrs/attrs), so
    only popular names with the same first letter and a length one apart at most are compared,
    the first in sorted order given; of those, only the few that share its start or its end
    (`_halves`): two lookups and a comparison or two a name, so no cache is kept (a cache of
    names misses on files with more distinct names than it holds, and keeps names of any length
    alive)."""
    if len(name) < MIN_LENGTH or name in popular_names():
        return None
    table = _by_prefix_or_suffix()
    k, j = _halves(len(name))
    start = table.get((len(name), name[:k]), ())
    end = table.get((len(name), name[0], name[-j:]), ())
    candidates = sorted({*start, *end}) if start and end else start or end
    return next((p for p in candidates if one_edit(name, p)), None)
