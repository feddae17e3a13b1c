"""Requirements files as the editor re-reads them: each logical line's findings and problems are
kept, keyed by its text, so that an edit to one line of a large file parses and matches that
line only; the others cost a lookup each.

A logical line's results depend only on its own physical lines and the advisory index: a
requirement's options, markers and hashes are on its line, and pip's global options change no
finding. `-r`/`-c` includes are followed afresh on every analysis (their targets can change on
disk), from the include lines' positions. The results equal `requirements_txt.read_with_includes`
then `match.findings` on the whole file (tests/unit/test_deps_lines.py edits files at random and
compares).

An edit changes a run of lines: the lines before it and after it are the last read's, so only
the run is looked up again (the common start and end of the old and new text are found by
comparing strings, not lines); the findings after it are moved if lines were added or removed.

State: a `LineCache` belongs to one deps analyzer. It maps a logical line's text to its results,
with lines counted from its first physical line, at most `LINES` of them (past that, only the
lines of the file just read are kept), and keeps the last read (text, and the results placed at
their lines) of the 16 files read last; it is emptied when the index object changes and by
`forget()` (no document open any more). It takes no lock: the engine runs text analyzers under
its own.
"""

from __future__ import annotations

import bisect

import attrs

from bastion.deps import match, requirements_txt
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Problem
from bastion.deps.requirements_txt import Reader
from bastion.engine.cache import LRU
from bastion.model import Finding, Span
from bastion.model.text import common_ends, text_lines

# Logical lines kept: a 5 MB requirements file has about 260k (1 MB: 34k distinct, 8 MB held).
LINES = 1 << 19
_PATHS = 16  # files whose placed findings are kept


@attrs.frozen
class _Line:
    findings: tuple[Finding, ...]  # lines counted from the logical line's first
    problems: tuple[str, ...]  # reasons, reported on the logical line's first physical line
    include: tuple[Span, str] | None  # an include line: its span and target


@attrs.frozen
class _Placed:
    """A logical line of the last read with something to report, at its first physical line."""

    start: int
    findings: tuple[Finding, ...]
    problems: tuple[str, ...]
    include: tuple[Span, str] | None

    def shifted(self, lines: int) -> _Placed:
        include = self.include and (self.include[0].shifted(lines), self.include[1])
        return _Placed(self.start + lines, tuple(f.shifted(lines) for f in self.findings),
                       self.problems, include)


@attrs.frozen
class _Read:
    text: str
    line_count: int
    placed: tuple[_Placed, ...]  # by `start`


_NOTHING = _Line((), (), None)  # most lines: shared, so an entry costs its key only
_UNSET = object()


class LineCache:
    def __init__(self, size: int = LINES) -> None:
        self._size = size
        self._results: dict[str | tuple[str, ...], _Line] = {}
        self._index: object = _UNSET
        self._last: LRU[str, _Read] = LRU(_PATHS)

    def forget(self) -> None:
        self._results.clear()
        self._last.clear()
        self._index = _UNSET

    def closed(self, path: str) -> None:
        """The editor closed the file at `path`: its last read (its text) goes."""
        self._last.pop(path)

    def __len__(self) -> int:
        return len(self._results)

    def read(self, path: str, text: str, root: str | None, index: AdvisoryIndex | None,
             reader: Reader, root_name: str | None = None) -> tuple[list[Finding], list[Problem]]:
        """The findings (unsorted) and problems of the requirements file `text` at `path`
        (`root`, `root_name`: see `requirements_txt.read_with_includes`)."""
        if index is not self._index:
            self.forget()
            self._index = index
        lines = text_lines(text)
        last = self._last.get(path)
        if last is None:
            placed = self._scan(lines, index, 0, len(lines))[0]
        else:
            placed = self._reread(last, text, lines, index)
        self._last.put(path, _Read(text, len(lines), tuple(placed)))
        if len(self._results) > self._size:  # keep the lines of the file just read
            results = self._results
            keys = [key for key, _end in _logical(lines, 0, len(lines))]
            self._results = {key: results[key] for key in keys[-self._size:] if key in results}
        findings = [finding for line in placed for finding in line.findings]
        problems = [Problem(reason, line.start) for line in placed for reason in line.problems]
        includes = [line.include for line in placed if line.include is not None]
        included, more = requirements_txt.follow_includes(path, includes, root, reader,
                                                           root_name)
        findings.extend(match.findings(included, index))
        problems.extend(more)
        return findings, problems

    def _reread(self, last: _Read, text: str, lines: list[str],
                index: AdvisoryIndex | None) -> list[_Placed]:
        """The placed lines of `text` from the last read of the same file: its lines before
        the first changed one and after the last, and the changed run looked up."""
        head, tail = common_ends(last.text, text)
        # Lines wholly inside the common start or end are the same lines in both texts; a line
        # cut by either end, and one more, is read again. Lines are counted in the shorter part
        # (around the edit): splitting the whole text again costs as much as the file's lookup.
        middle_end = len(text) - tail
        if head <= len(text) - head:
            first = len(text_lines(text[:head])) - 1
        else:
            first = len(lines) - len(text_lines(text[head:])) - 1
        first = max(first, 0)
        while first and lines[first - 1].endswith("\\"):  # may continue into the changed line
            first -= 1
        if tail <= middle_end:
            same_after = len(lines) - max(len(text_lines(text[middle_end:])) - 1, 0)
        else:
            same_after = min(len(text_lines(text[:middle_end])) + 1, len(lines))
        middle, resume = self._scan(lines, index, first, same_after)
        moved = len(lines) - last.line_count
        old = last.placed
        before = bisect.bisect_left(old, first, key=_start)
        after = bisect.bisect_left(old, resume - moved, key=_start)
        kept = old[after:] if not moved else [line.shifted(moved) for line in old[after:]]
        return [*old[:before], *middle, *kept]

    def _scan(self, lines: list[str], index: AdvisoryIndex | None, start: int,
              same_after: int) -> tuple[list[_Placed], int]:
        """The placed lines from `start` (a logical line's first), up to the first logical line
        that starts past `same_after` in lines the last read had too (or the end); and where it
        stopped."""
        results = self._results
        placed: list[_Placed] = []
        for key, end in _logical(lines, start, same_after):
            line = results.get(key)
            if line is None:
                line = results[key] = _read(lines[start:end], index)
            if line is not _NOTHING:
                include = line.include and (line.include[0].shifted(start), line.include[1])
                placed.append(_Placed(start, tuple(f.shifted(start) for f in line.findings),
                                      line.problems, include))
            start = end
        return placed, start


def _logical(lines: list[str], start: int, same_after: int):
    """(key, end) of each logical line from `start`: its physical line (a tuple of them when
    continued), stopping at the end or at a logical line that starts after `same_after` whose
    previous line does not continue (so it starts a logical line in the last read too)."""
    count = len(lines)
    while start < count and (start <= same_after or lines[start - 1].endswith("\\")):
        key, end = lines[start], start + 1
        if key.endswith("\\"):  # a continuation (unless the backslash ends a comment)
            while end < count and requirements_txt.continues(lines[end - 1]):
                end += 1
            if end > start + 1:
                key = tuple(lines[start:end])
        yield key, end
        start = end


def _start(line: _Placed) -> int:
    return line.start


def _read(lines: list[str], index: AdvisoryIndex | None) -> _Line:
    includes, manifest = requirements_txt.parse_lines(lines)
    found = tuple(match.findings(manifest.dependencies, index))
    problems = tuple(p.reason for p in manifest.problems)
    include = None
    if includes:
        logical, _option, target = includes[0]
        include = (logical.span(0, len(logical.text.rstrip())), target)
    if not found and not problems and include is None:
        return _NOTHING
    return _Line(found, problems, include)
