"""TOML lock files as the editor re-reads them: the text is cut before each `[[package]]` line
(`[[packages]]` in pylock.toml) and each piece is parsed and matched on its own, its results
kept by its text, so that an edit to one package of a large lock parses that package only.

The pieces' results equal the whole file's (`locks.parse` then `match.findings`;
tests/unit/test_deps_lock_blocks.py edits lock files at random and compares) when: every piece
is valid TOML on its own (a piece that ends inside a string, array or inline table is not, so
each cut is at a real header), each piece has as many `[[package]]` tables for tomllib as lines
for the version scan (the whole-file reading pairs them by position), the text before the
first cut does not name the package key, and no other top-level key is in two pieces (two
pieces that both define `[metadata]` are an error only the whole file shows). Otherwise the
file is read whole, as a file with no cut is.

State: a `LockCache` belongs to one deps analyzer. It keeps, for each of the 4 lock files read
last, its pieces' results by piece text, lines counted from the piece's first; it is emptied
when the advisory index object changes and by `forget()`. It takes no lock: the engine runs
text analyzers under its own.
"""

from __future__ import annotations

import re

import attrs

from bastion.deps import locks, match
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Problem
from bastion.deps.toml_text import TOMLDecodeError, loads
from bastion.engine.cache import LRU
from bastion.model import Finding
from bastion.model.text import text_lines

_PATHS = 4  # lock files whose pieces are kept
_CUT = {block: re.compile(r"^[ \t]*\[\[[ \t]*" + block + r"[ \t]*\]\]", re.MULTILINE)
        for block in set(locks.BLOCK.values())}
_UNSET = object()


@attrs.frozen
class _Piece:
    keys: frozenset[str]  # its top-level keys other than the package key
    packages: bool  # it holds the package key
    lines: int  # as str.splitlines counts them (the version scan counts lines so)
    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]


class LockCache:
    def __init__(self) -> None:
        self._last: LRU[str, dict[str, _Piece | None]] = LRU(_PATHS)
        self._index: object = _UNSET

    def forget(self) -> None:
        self._last.clear()
        self._index = _UNSET

    def read(self, path: str, kind: str, text: str, index: AdvisoryIndex | None
             ) -> tuple[list[Finding], list[Problem]]:
        """The findings (unsorted) and problems of the lock file `text` of `kind` at `path`."""
        if index is not self._index:
            self.forget()
            self._index = index
        block = locks.BLOCK[kind]
        cuts = [m.start() for m in _CUT[block].finditer(text)]
        if not cuts:
            return _whole(kind, text, index)
        bounds = [0, *cuts] if cuts[0] else cuts
        kept = self._last.get(path) or {}
        pieces: dict[str, _Piece | None] = {}
        found: list[Finding] = []
        problems: list[Problem] = []
        seen: set[str] = set()
        line = 0
        for number, start in enumerate(bounds):
            part = text[start:bounds[number + 1] if number + 1 < len(bounds) else len(text)]
            piece = pieces[part] = pieces[part] if part in pieces else kept[part] \
                if part in kept else _read(kind, block, part, index)
            if piece is None or piece.keys & seen or (piece.packages and start < cuts[0]):
                self._last.put(path, pieces)
                return _whole(kind, text, index)
            seen |= piece.keys
            found.extend(f.shifted(line) if line else f for f in piece.findings)
            problems.extend(Problem(p.reason, p.line + line) for p in piece.problems)
            line += piece.lines
        self._last.put(path, pieces)
        return found, problems


def _read(kind: str, block: str, part: str, index: AdvisoryIndex | None) -> _Piece | None:
    """A piece's results, None if it cannot be read on its own."""
    try:
        data = loads(part)
    except TOMLDecodeError:
        return None
    entries = data.get(block, [])
    spans = locks.version_lines(part, block)
    if not isinstance(entries, list) or len(entries) != len(spans):
        return None
    dependencies, problems = locks.dependencies(kind, entries, spans)
    return _Piece(frozenset(data) - {block}, block in data, len(text_lines(part)),
                  tuple(match.findings(tuple(dependencies), index)), tuple(problems))


def _whole(kind: str, text: str, index: AdvisoryIndex | None
           ) -> tuple[list[Finding], list[Problem]]:
    manifest = locks.parse(kind, text)
    return match.findings(manifest.dependencies, index), list(manifest.problems)
