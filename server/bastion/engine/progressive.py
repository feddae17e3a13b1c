"""The first analysis of a large document, slice by slice, reporting findings as it goes.

The document is parsed a slice at a time (about `SLICE_LINES` lines of whole top-level
statements, each parsed as a file of its own with the document's line numbers), and every
analyzer runs over a slice's tree as over a file that starts with the import context of the
statements before it; the findings are given to the units they fall in (filling their caches,
as a whole-file analysis does). No step holds the whole tree, no step is longer than a slice,
and the cost is linear in the file's size. The analysis is a generator that yields after each
slice: the caller serves other documents in between (see lsp/scheduler.py).

Slices begin at lines that look like the start of a top-level statement; a slice that does not
parse alone ended inside a statement, and is parsed again with the next slices (twice as many
each time, so a document that does not parse costs at most two parses; it is then left to the
unit-by-unit path). A slice that parses alone from a statement's start ends at a statement's
end: Python has no statement that a line at column 0 continues, except those that
`statement_starts` excludes (`else`, `except`, a closing bracket, a line in a string, ...).

The slices on the lines the user is looking at come first (when the client says which lines are
visible: `Progress.visible`, asked again after every slice, so a scroll mid-analysis is
followed), then the rest top to bottom. Slices passed over to reach the visible lines are
parsed for their imports only, and parsed again when their turn comes.
"""

from __future__ import annotations

import ast
import time
from bisect import bisect_right
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.base import UnitSource
from bastion.engine.context import EMPTY, Context
from bastion.engine.splitter import lines_in_strings, statement_starts
from bastion.engine.units import Split, Unit, units_of_module
from bastion.engine.whole_file import facts_from_nodes, unit_records
from bastion.parsing import parse_code

if TYPE_CHECKING:
    from bastion.engine.engine import Engine, RawAnalysis
    from bastion.engine.records import UnitRecord

SLICE_LINES = 256
# Between two partial reports at least this share of the time spent so far passes: a report
# costs what was found so far, so the reports of a long analysis cost a constant share of it.
REPORT_BACKOFF = 0.25


def _nothing_visible() -> tuple[tuple[int, int], ...]:
    return ()


@attrs_classes.frozen
class Progress:
    """Partial results while a large document is analysed for the first time: the units on
    the lines `visible()` returns (0-based, inclusive ranges; asked again after each unit)
    first, then top to bottom."""

    report: Callable[[RawAnalysis], None]
    every_s: float = 0.05
    visible: Callable[[], tuple[tuple[int, int], ...]] = _nothing_visible


@attrs_classes.define
class _Slice:
    start: int  # lines start..end - 1
    end: int
    units: tuple[Unit, ...]
    context: Context  # before the slice
    after: Context  # after it
    records: list | None = None  # None until analysed


class _Slicer:
    """Parses the document a slice at a time, top to bottom (see the module docstring)."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.lines = lines
        starts = statement_starts(lines, 0, len(lines) - 1, "", lines_in_strings(text))
        self._starts = [0]
        for line in starts:
            if line - self._starts[-1] >= SLICE_LINES:
                self._starts.append(line)
        self._next = 0  # index in _starts of the first line not parsed yet
        self.parsed_starts: list[int] = []  # the first line of each slice parsed so far

    @property
    def done(self) -> bool:
        return self._next >= len(self._starts)

    @property
    def frontier(self) -> int:
        """The first line not parsed yet."""
        return self._starts[self._next] if not self.done else len(self.lines)

    def parse_next(self) -> tuple[int, int, ast.Module] | None:
        """(start, end, tree) of the next slice; None when the rest does not parse."""
        count, first = 1, self._next
        while True:
            last = min(first + count, len(self._starts))
            end = self._starts[last] if last < len(self._starts) else len(self.lines)
            try:
                tree = self.parse(self._starts[first], end)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                if last == len(self._starts):
                    return None
                count *= 2
                continue
            self._next = last
            self.parsed_starts.append(self._starts[first])
            return self._starts[first], end, tree

    def parse(self, start: int, end: int) -> ast.Module:
        tree = parse_code("\n".join(self.lines[start:end]))
        return ast.increment_lineno(tree, start) if start else tree


def analyse_progressively(engine: Engine, text: str, path: str, lines: list[str],
                          progress: Progress) -> Generator[None, None, RawAnalysis | None]:
    """Yields after each slice; returns None when the document does not parse (the unit-by-unit
    path handles it, top to bottom)."""
    slicer = _Slicer(text, lines)
    slices: list[_Slice] = []
    reporter = Reporter(progress)
    in_order = 0  # every slice before this one is analysed

    def analyse(piece: _Slice, tree: ast.Module, nodes: list) -> None:
        with engine.lock:
            piece.records = _analyse_slice(engine, piece.units, nodes, tree, lines, path,
                                           piece.context)
        for record in piece.records:
            reporter.count(record)
        reporter.report()

    while True:
        wanted = _visible_slice(slices, slicer, progress)
        in_view = wanted is not None
        if wanted is None:
            while in_order < len(slices) and slices[in_order].records is not None:
                in_order += 1
            wanted = in_order if in_order < len(slices) else -1 if not slicer.done else None
        if wanted is None:
            break
        if wanted >= 0:  # a slice parsed before, for its imports: parse it again, analyse it
            piece = slices[wanted]
            tree = slicer.parse(piece.start, piece.end)
            analyse(piece, tree, units_of_module(tree, lines)[1])
        else:  # the next slice down
            parsed = slicer.parse_next()
            if parsed is None:
                return None
            start, end, tree = parsed
            units, nodes = units_of_module(tree, lines)
            context = slices[-1].after if slices else EMPTY
            with engine.lock:
                after = context
                for unit, unit_nodes in zip(units, nodes, strict=True):
                    after = after.plus(facts_from_nodes(engine, unit, unit_nodes).imports)
            piece = _Slice(start, end, units, context, after)
            slices.append(piece)
            if not in_view or _wants(progress, piece):
                analyse(piece, tree, nodes)
        del tree
        yield
    units = tuple(u for piece in slices for u in piece.units)
    records = [r for piece in slices for r in piece.records]
    with engine.lock:
        return engine.assemble(text, path, Split(units, ()), records)


def _visible_slice(slices: list[_Slice], slicer: _Slicer, progress: Progress | None) -> int | None:
    """The first slice on a visible line that is not analysed yet (-1: the next one to parse);
    None when every visible line is analysed."""
    if progress is None:
        return None
    starts = slicer.parsed_starts
    for first, last in progress.visible():
        index = max(bisect_right(starts, first) - 1, 0)
        while index < len(slices) and slices[index].start <= last:
            if slices[index].records is None and slices[index].end > first:
                return index
            index += 1
        if last >= slicer.frontier and not slicer.done:
            return -1
    return None


def _wants(progress: Progress | None, piece: _Slice) -> bool:
    return progress is not None and any(first < piece.end and last >= piece.start
                                        for first, last in progress.visible())


def _analyse_slice(engine: Engine, units: tuple[Unit, ...], unit_nodes: list[list[ast.stmt]],
                   tree: ast.Module, lines: list[str], path: str,
                   context: Context) -> list[UnitRecord]:
    """The records of a slice's units, analysed together after `context`. Call with the lock."""
    source = UnitSource(tree, lines, path, context.current())
    findings = []
    try:
        for analyzer in engine.analyzers:
            findings.extend(analyzer.analyse_unit(source))
    except Exception:  # unit by unit, a crashing check costs one unit's findings, and says so
        records = []
        for unit in units:
            records.append(engine.unit_record(unit, lines, path, context, {}))
            context = records[-1].context
        return records
    return unit_records(engine, units, unit_nodes, findings, context)


class Reporter:
    """Reports what a first analysis has found so far: the first findings at once, later ones
    in batches, at least `every_s` apart and further apart as the analysis goes on."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._findings: list = []
        self._directives: dict = {}
        self._reported = 0
        self._start = self._last = time.perf_counter()

    def count(self, record: UnitRecord) -> None:
        if self._progress is not None:
            self._findings.extend(record.findings)
            self._directives.update((d.line, d) for d in record.directives)

    def report(self) -> None:
        from bastion.engine.engine import RawAnalysis

        progress = self._progress
        if progress is None or len(self._findings) == self._reported:
            return
        now = time.perf_counter()
        wait = max(progress.every_s, (now - self._start) * REPORT_BACKOFF)
        if self._reported and now - self._last <= wait:
            return
        progress.report(RawAnalysis(tuple(self._findings), dict(self._directives), ()))
        self._last, self._reported = time.perf_counter(), len(self._findings)
