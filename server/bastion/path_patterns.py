"""Path patterns of `exclude` and `per_path_ignores`, compiled once per set.

A pattern matches a path (relative, `/`-separated) as bandit's do: as a glob on the whole path
or on the path and anything below it, as a glob on one of its parts, or, when it has a `/`, as
a run of whole parts (`_matches_one`, the reference). Trying every pattern on every path cost
patterns x paths fnmatch calls (10k patterns on 200 files: 30 s). Here a set answers with set
lookups for plain names and paths, and tries only the globs that can match: each glob is
indexed by one three-character piece of its literal text (the rarest in the set), and a path
looks up the pieces it contains. Globs without three literal characters in a row (`*.py`,
`t?st`) are tried on every path; they are few in any real configuration.
"""

from __future__ import annotations

import fnmatch
import os
from collections import Counter
from collections.abc import Iterable

from bastion.deferred_patterns import deferred

_MAGIC = deferred(r"[*?[]")
_GRAM = 3


def _normalised(pattern: str) -> str:
    return pattern.strip().rstrip("/")


def _matches_one(rel: str, pattern: str) -> bool:
    """bandit-compatible: a glob on the path or any parent, or a plain folder name in the path."""
    pattern = _normalised(pattern)
    if not pattern:
        return False
    parts = rel.split("/")
    if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.removeprefix("./") + "/*"):
        return True
    if any(fnmatch.fnmatch(part, pattern) for part in parts):
        return True
    return "/" in pattern and f"/{pattern.strip('./')}/" in f"/{rel}/"


def _literal_pieces(pattern: str) -> list[str]:
    """The runs of text a glob matches literally, read as fnmatch.translate reads the glob: a
    class may start with `!` and then `]` (`[]ab]` is one class), an unclosed `[` is literal."""
    pieces, piece, i, n = [], "", 0, len(pattern)
    while i < n:
        char = pattern[i]
        i += 1
        if char in "*?" or char == "[":
            if char == "[":
                j = i + (i < n and pattern[i] == "!")
                j += j < n and pattern[j] == "]"
                j = pattern.find("]", j)
                if j == -1:
                    piece += char
                    continue
                i = j + 1
            pieces.append(piece)
            piece = ""
        else:
            piece += char
    return [*pieces, piece]


def _grams(text: str) -> set[str]:
    return {text[i:i + _GRAM] for i in range(len(text) - _GRAM + 1)}


class PathPatterns:
    """Patterns (as written) and what each stands for; `matching(rel)` is the subset of the
    patterns that match `rel`, exactly those for which `_matches_one` is true."""

    def __init__(self, patterns: Iterable[str]) -> None:
        normcase = os.path.normcase  # fnmatch's case rule (folds case on Windows only)
        # Plain patterns: the whole path or one part equal to it, or a parent of the path.
        self._equal: dict[str, list[str]] = {}
        self._parent: dict[str, list[str]] = {}
        # Patterns with a `/`: the run of whole parts they stand for (a literal test, even for
        # globs).
        self._run: dict[str, list[str]] = {}
        self._indexed: dict[str, list[str]] = {}
        self._unindexed: list[str] = []
        globs: list[tuple[str, set[str]]] = []
        for raw in dict.fromkeys(patterns):
            pattern = _normalised(raw)
            if not pattern:
                continue
            if "/" in pattern:
                self._run.setdefault(pattern.strip("./"), []).append(raw)
            if _MAGIC().search(pattern) is None:
                self._equal.setdefault(normcase(pattern), []).append(raw)
                self._parent.setdefault(normcase(pattern.removeprefix("./") + "/"), []).append(raw)
                continue
            literal = _literal_pieces(normcase(pattern.removeprefix("./")))
            globs.append((raw, set().union(*map(_grams, literal))))
        counts = Counter(gram for _, grams in globs for gram in grams)
        for raw, grams in globs:
            if grams:
                self._indexed.setdefault(min(grams, key=lambda g: (counts[g], g)), []).append(raw)
            else:
                self._unindexed.append(raw)
        self._separator = normcase("/")
        self._longest_run = max(map(len, self._run), default=0)

    def __bool__(self) -> bool:
        return bool(self._equal or self._run or self._indexed or self._unindexed)

    def matching(self, rel: str) -> set[str]:
        found: set[str] = set()
        name = os.path.normcase(rel)
        parts = rel.split("/")
        if self._equal:
            for key in (name, *map(os.path.normcase, parts)):
                found.update(self._equal.get(key, ()))
        if self._parent:
            at = name.find(self._separator)
            while at != -1:
                found.update(self._parent.get(name[:at + 1], ()))
                at = name.find(self._separator, at + 1)
        for start in range(len(parts)) if self._run else ():
            run = parts[start]
            for end in range(start + 1, len(parts) + 1):
                if end > start + 1:
                    run += "/" + parts[end - 1]
                if len(run) > self._longest_run:
                    break
                found.update(self._run.get(run, ()))
        candidates = list(self._unindexed)
        if self._indexed:
            for gram in _grams(name):
                candidates.extend(self._indexed.get(gram, ()))
        found.update(raw for raw in candidates if raw not in found and _matches_one(rel, raw))
        return found
