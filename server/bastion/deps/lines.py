"""Requirements files as the editor re-reads them: each logical line's findings and problems are
kept, keyed by its text, so that an edit to one line of a large file parses and matches that
line only; the others cost a lookup each.

A logical line's results depend only on its own physical lines and the advisory index: a
requirement's options, markers and hashes are on its line, and pip's global options change no
finding. `-r`/`-c` includes are followed afresh on every analysis (their targets can change on
disk), from the include lines' positions. The results equal `requirements_txt.read_with_includes`
then `match.findings` on the whole file (tests/unit/test_deps_lines.py edits files at random and
compares).

State: a `LineCache` belongs to one deps analyzer. It maps a logical line's text to its results,
with lines counted from its first physical line, at most `LINES` of them (past that, only the
lines of the file just read are kept), and keeps the last findings of the 16 files read last;
it is emptied when the index object changes and by `forget()` (no document open any more).
It takes no lock: the engine runs text analyzers under its own.
"""

from __future__ import annotations

import attrs

from bastion.deps import match, requirements_txt
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Problem
from bastion.deps.requirements_txt import Reader
from bastion.engine.cache import LRU
from bastion.model import Finding, Span

# Logical lines kept: a 5 MB requirements file has about 260k (1 MB: 34k distinct, 8 MB held).
LINES = 1 << 19
_PATHS = 16  # files whose placed findings are kept


@attrs.frozen
class _Line:
    findings: tuple[Finding, ...]  # lines counted from the logical line's first
    problems: tuple[str, ...]  # reasons, reported on the logical line's first physical line
    include: tuple[Span, str] | None  # an include line: its span and target


_NOTHING = _Line((), (), None)  # most lines: shared, so an entry costs its key only
_UNSET = object()


class LineCache:
    def __init__(self, size: int = LINES) -> None:
        self._size = size
        self._results: dict[str | tuple[str, ...], _Line] = {}
        self._index: object = _UNSET
        # By path, the findings of the last read placed at their lines: an edit that adds or
        # removes no line moves none, and building them again costs more than the reading.
        self._placed: LRU[str, dict[tuple[int, str | tuple[str, ...]], list[Finding]]] = LRU(_PATHS)

    def forget(self) -> None:
        self._results.clear()
        self._placed.clear()
        self._index = _UNSET

    def __len__(self) -> int:
        return len(self._results)

    def read(self, path: str, text: str, root: str | None, index: AdvisoryIndex | None,
             reader: Reader) -> tuple[list[Finding], list[Problem]]:
        """The findings (unsorted) and problems of the requirements file `text` at `path`."""
        if index is not self._index:
            self.forget()
            self._index = index
        lines = text.splitlines()
        results = self._results
        before = self._placed.get(path) or {}
        placed: dict[tuple[int, str | tuple[str, ...]], list[Finding]] = {}
        keys = []
        findings: list[Finding] = []
        problems: list[Problem] = []
        includes: list[tuple[Span, str]] = []
        start, count = 0, len(lines)
        while start < count:
            key, end = lines[start], start + 1
            if key.endswith("\\"):  # a continuation (unless the backslash ends a comment)
                while end < count and requirements_txt.continues(lines[end - 1]):
                    end += 1
                if end > start + 1:
                    key = tuple(lines[start:end])
            keys.append(key)
            line = results.get(key)
            if line is None:
                line = results[key] = _read(lines[start:end], index)
            if line is not _NOTHING:
                if line.findings:
                    at = before.get((start, key))
                    if at is None:
                        at = [f.shifted(start) for f in line.findings]
                    placed[start, key] = at
                    findings.extend(at)
                problems.extend(Problem(reason, start) for reason in line.problems)
                if line.include is not None:
                    includes.append((line.include[0].shifted(start), line.include[1]))
            start = end
        self._placed.put(path, placed)
        if len(results) > self._size:  # keep the lines of the file just read
            self._results = {key: results[key] for key in keys[-self._size:]}
        included, more = requirements_txt.follow_includes(path, includes, root, reader)
        findings.extend(match.findings(included, index))
        problems.extend(more)
        return findings, problems


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
