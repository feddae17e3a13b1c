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


@functools.cache
def _by_start_and_length() -> dict[tuple[str, int], tuple[str, ...]]:
    """The popular names of at least MIN_LENGTH characters that a name of a first letter and
    a length may be one edit from (theirs, one shorter or longer), sorted."""
    table: dict[tuple[str, int], list[str]] = {}
    for name in sorted(popular_names()):
        if len(name) >= MIN_LENGTH:
            for length in (len(name) - 1, len(name), len(name) + 1):
                table.setdefault((name[0], length), []).append(name)
    return {key: tuple(names) for key, names in table.items()}


def lookalike(name: str) -> str | None:
    """The popular package `name` (normalised) is one edit away from, if it is not popular itself.

    A first letter added or changed makes real packages as often as squats (cattrs/attrs), so
    only the few popular names with the same first letter and a length one apart at most are
    compared, the first in sorted order given: a few microseconds a name, so no cache is kept
    (a cache of names misses on files with more distinct names than it holds, and keeps names
    of any length alive)."""
    if len(name) < MIN_LENGTH or name in popular_names():
        return None
    return next((p for p in _by_start_and_length().get((name[0], len(name)), ())
                 if one_edit(name, p)), None)
