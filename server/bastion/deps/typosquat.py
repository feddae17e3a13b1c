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


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@functools.cache
def _neighbours() -> dict[str, frozenset[str]]:
    """Every popular name and each of its one-deletion variants -> the popular names: two names
    one edit apart share a key (an insertion, a deletion, a substitution or a swap)."""
    table: dict[str, set[str]] = {}
    for name in popular_names():
        if len(name) >= MIN_LENGTH:
            for key in _deletions(name) | {name}:
                table.setdefault(key, set()).add(name)
    return {key: frozenset(names) for key, names in table.items()}


@functools.lru_cache(maxsize=4096)
def lookalike(name: str) -> str | None:
    """The popular package `name` (normalised) is one edit away from, if it is not popular itself."""
    if name in popular_names() or len(name) < MIN_LENGTH:
        return None
    table = _neighbours()
    candidates = set()
    for key in _deletions(name) | {name}:
        candidates |= table.get(key, frozenset())
    # A first letter added or changed makes real packages as often as squats (cattrs/attrs).
    return next((p for p in sorted(candidates) if p[0] == name[0] and one_edit(name, p)), None)
