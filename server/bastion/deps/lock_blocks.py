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

An edit within one piece (from the start of its first changed line to the piece's end, lines
added or removed or not) that leaves the piece valid TOML with the same top-level keys, package
key or not, is read from the last read made of pieces: only that piece is read again
(`_again`), the others' texts are as they were, moved by the edit's length (and, when it adds
or removes lines, their findings by as many lines); no search for the cuts in the whole text.
The conditions above held for the last read and hold for the piece that changed (a piece may
now hold a `[[package]]` line that is not a cut: a piece may hold any number of packages), so
the results still equal the whole file's, provided that the piece still ends at a line end and
that a piece after the first still starts with its `[[package]]` line, after blank or comment
lines only: a key written before it would, in the whole file, belong to the table above. Lines
are counted at "\n": valid TOML has no lone carriage return.

The first read of a large lock after its preview (deps/lock_preview.py, which parsed the whole
text and kept the values: `toml_text.take`) does not parse the pieces again: a piece after the
first whose every line that opens with `[` is a header of the package key (`[[package]]`,
`[package.x]`, `[[package.x]]`) defines no other top-level key, and its tables are the whole
text's next ones, as many as its `[[package]]` lines, when the text has no multi-line string
(the only place a valid text holds a header-like line that is not one): parsed on its own it
would give the same values. Other pieces (the first; `[metadata]`, quoted keys) are parsed.

State: a `LockCache` belongs to one deps analyzer. It keeps, for each of the 4 lock files read
last, its pieces' results by piece text, lines counted from the piece's first, and the `_Layout`
of the last read that was made of pieces (updated in place by an edit read from it; kept
through reads with a piece not valid TOML); it is emptied when the advisory index object
changes and by `forget()`. It takes no lock: the engine runs text analyzers under its own.
Pipfile.lock files are its `PipfileMemo`'s.
"""

from __future__ import annotations

import array
import bisect
import itertools
import re

import attrs

from bastion.deps import lock_whole, locks, match
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Problem
from bastion.deps.pipfile_lines import PipfileMemo
from bastion.deps.toml_text import TOMLDecodeError, loads, take
from bastion.engine.cache import LRU
from bastion.model import Finding
from bastion.model.text import common_ends, text_lines

_PATHS = 4  # lock files whose pieces are kept
_CUT = {block: re.compile(r"^[ \t]*\[\[[ \t]*" + block + r"[ \t]*\]\]", re.MULTILINE)
        for block in set(locks.BLOCK.values())}
# Blank and comment lines: what may come before a piece's `[[package]]` line.
_LEADING = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*")
_BRACKET = re.compile(r"^[ \t]*\[", re.MULTILINE)
_OWN = {block: re.compile(r"^[ \t]*\[\[?[ \t]*" + block + r"[ \t]*[.\]]", re.MULTILINE)
        for block in set(locks.BLOCK.values())}
_UNSET = object()


@attrs.frozen
class _Piece:
    keys: frozenset[str]  # its top-level keys other than the package key
    packages: bool  # it holds the package key
    lines: int  # as str.splitlines counts them (the version scan counts lines so)
    tables: int  # its `[[package]]` tables
    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]
    names: frozenset[str] = frozenset()  # its packages' (`lock_whole.graph`)
    wants: frozenset[str] = frozenset()  # the packages they depend on


@attrs.define
class _Layout:
    """A read made of pieces: what an edit within one line is read from."""

    text: str
    bounds: array.array  # where each piece starts in `text`
    firsts: array.array  # each piece's first line
    pieces: list[_Piece]
    found: list[tuple[Finding, ...]]  # each piece's findings, at their lines in the file
    problems: list[tuple[Problem, ...]]  # likewise
    missing: tuple[Problem, ...] = ()  # the whole file's (`locks.file_problems`): an edit read
    # from the layout keeps each piece's keys, and recounts it if it changes a piece's names
    keys: frozenset[str] = frozenset()  # the pieces' top-level keys

    def recount(self, kind: str) -> None:
        names = frozenset().union(*(piece.names for piece in self.pieces))
        wants = frozenset().union(*(piece.wants for piece in self.pieces))
        self.missing = tuple(locks.file_problems(kind, self.keys, names, wants))

    def results(self) -> tuple[list[Finding], list[Problem]]:
        return list(itertools.chain.from_iterable(self.found)), \
            [*itertools.chain.from_iterable(self.problems), *self.missing]


@attrs.frozen
class _Kept:
    pieces: dict[str, _Piece | None]  # by text
    layout: _Layout | None  # None: the last read was whole


class LockCache:
    def __init__(self) -> None:
        self._last: LRU[str, _Kept] = LRU(_PATHS)
        self._pipfiles = PipfileMemo()
        self._index: object = _UNSET

    def forget(self) -> None:
        self._last.clear()
        self._pipfiles.forget()
        self._index = _UNSET

    def closed(self, path: str) -> None:
        """The editor closed the lock file at `path`: its last pieces go."""
        self._last.pop(path)
        self._pipfiles.closed(path)

    def read(self, path: str, kind: str, text: str, index: AdvisoryIndex | None
             ) -> tuple[list[Finding], list[Problem]]:
        """The findings (unsorted) and problems of the lock file `text` of `kind` at `path`."""
        if index is not self._index:
            self.forget()
            self._index = index
        if kind == "Pipfile.lock":
            return self._pipfiles.read(path, text, index)
        block = locks.BLOCK[kind]
        whole = take(text)
        last = self._last.get(path)
        if last is not None and last.layout is not None and _again(last.layout, kind, text, index):
            return last.layout.results()
        cuts = [m.start() for m in _CUT[block].finditer(text)]
        if not cuts:
            self._last.put(path, _Kept({}, None))
            return _whole(kind, text, index)
        bounds = [0, *cuts] if cuts[0] else cuts
        kept = last.pieces if last is not None else {}
        pieces: dict[str, _Piece | None] = {}
        layout = _Layout(text, array.array("q", bounds), array.array("q"), [], [], [])
        seen: set[str] = set()
        entries = whole.get(block) if whole is not None and '"""' not in text \
            and "'''" not in text else None
        line = tables = 0
        for number, start in enumerate(bounds):
            part = text[start:bounds[number + 1] if number + 1 < len(bounds) else len(text)]
            given = (entries, tables) if isinstance(entries, list) and start >= cuts[0] \
                and _owned(block, part) else None
            piece = pieces[part] = pieces[part] if part in pieces else kept[part] \
                if part in kept else _read(kind, block, part, index, given)
            if piece is None or piece.keys & seen or (piece.packages and start < cuts[0]):
                # A piece that is not valid TOML (a string being typed) keeps the last layout:
                # the keystroke that makes it valid again is read from it.
                self._last.put(path, _Kept(pieces, last.layout if piece is None and last else None))
                return _whole(kind, text, index)
            seen |= piece.keys
            layout.firsts.append(line)
            layout.pieces.append(piece)
            layout.found.append(_found(piece, line))
            layout.problems.append(_problems(piece, line))
            line += piece.lines
            tables += piece.tables
        layout.keys = frozenset(seen)
        layout.recount(kind)
        self._last.put(path, _Kept(pieces, layout))
        return layout.results()


def _again(layout: _Layout, kind: str, text: str, index: AdvisoryIndex | None) -> bool:
    """Whether `text` is `layout.text` edited within a piece as the module header says; if so,
    `layout` is now `text`'s."""
    old = layout.text
    if text == old:
        return True
    head, tail = common_ends(old, text)
    number = bisect.bisect_right(layout.bounds, old.rfind("\n", 0, head) + 1) - 1
    moved = len(text) - len(old)
    last = number + 1 == len(layout.bounds)
    end = len(old) if last else layout.bounds[number + 1]
    if len(old) - tail > end or not (last or text[end + moved - 1] == "\n"):
        return False
    block = locks.BLOCK[kind]
    part = text[layout.bounds[number]:end + moved]
    if number and not _CUT[block].match(part, _LEADING.match(part).end()):
        return False
    piece = _read(kind, block, part, index)
    was = layout.pieces[number]
    if piece is None or (piece.keys, piece.packages) != (was.keys, was.packages):
        return False
    recount = (piece.names, piece.wants) != (was.names, was.wants)
    line = layout.firsts[number]
    layout.pieces[number] = piece
    layout.found[number] = _found(piece, line)
    layout.problems[number] = _problems(piece, line)
    lines = piece.lines - was.lines
    if lines:  # the later pieces' findings move down or up
        firsts = layout.firsts
        firsts[number + 1:] = array.array("q", [first + lines for first in firsts[number + 1:]])
        for later in range(number + 1, len(layout.bounds)):
            piece = layout.pieces[later]
            if piece.findings or piece.problems:  # most packages have neither
                layout.found[later] = _found(piece, firsts[later])
                layout.problems[later] = _problems(piece, firsts[later])
    if moved:
        later = layout.bounds[number + 1:]
        layout.bounds[number + 1:] = array.array("q", [bound + moved for bound in later])
    layout.text = text
    if recount:
        layout.recount(kind)
    return True


def _found(piece: _Piece, line: int) -> tuple[Finding, ...]:
    return tuple(f.shifted(line) for f in piece.findings) if line else piece.findings


def _problems(piece: _Piece, line: int) -> tuple[Problem, ...]:
    return tuple(Problem(p.reason, p.line + line) for p in piece.problems)

def _owned(block: str, part: str) -> bool:
    """Whether every line of `part` that opens with `[` is a header of the package key."""
    return len(_BRACKET.findall(part)) == len(_OWN[block].findall(part))


def _read(kind: str, block: str, part: str, index: AdvisoryIndex | None,
          given: tuple[list, int] | None = None) -> _Piece | None:
    """A piece's results, None if it cannot be read on its own; `given`: the whole text's
    tables and the position of the piece's first, for a piece that defines no other key
    (module header)."""
    spans = locks.version_lines(part, block)
    if given is not None:
        tables, first = given
        data = {block: tables[first:first + len(spans)]}
    else:
        try:
            data = loads(part, keep=False)  # no later reader: not kept (a large piece
            # would evict a pyproject.toml's values)
        except TOMLDecodeError:
            return None
    entries = data.get(block, [])
    if not isinstance(entries, list) or len(entries) != len(spans):
        return None
    dependencies, problems = locks.dependencies(kind, entries, spans)
    return _Piece(frozenset(data) - {block}, block in data, len(text_lines(part)), len(spans),
                  tuple(match.findings(tuple(dependencies), index)), tuple(problems),
                  *lock_whole.graph(kind, entries))


def _whole(kind: str, text: str, index: AdvisoryIndex | None
           ) -> tuple[list[Finding], list[Problem]]:
    manifest = locks.parse(kind, text)
    return match.findings(manifest.dependencies, index), list(manifest.problems)
