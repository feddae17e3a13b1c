"""The first analysis of a large document, unit by unit, reporting findings as it goes.

The units on the lines the user is looking at come first (when the client says which lines are
visible: `Progress.visible`, asked again after every unit, so a scroll mid-analysis is followed),
then the rest top to bottom. One parse of the whole file gives each unit the import context of
the units before it without analysing them, so units can be analysed out of document order
with the context bandit would have.
"""

from __future__ import annotations

import ast
import time
from bisect import bisect_right
from typing import TYPE_CHECKING

from bastion.engine.context import EMPTY, Context
from bastion.engine.units import Split, Unit, units_of_module
from bastion.engine.whole_file import facts_from_nodes

if TYPE_CHECKING:
    from bastion.engine.engine import Engine, Progress, RawAnalysis, UnitRecord


def analyse_progressively(engine: Engine, text: str, path: str, lines: list[str],
                          progress: Progress) -> RawAnalysis | None:
    """None when the document does not parse (the unit-by-unit path handles it, top to bottom)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    units, unit_nodes = units_of_module(tree, lines)
    del tree  # each unit is parsed on its own below, so bandit sees exactly its statements
    contexts = [EMPTY]  # contexts[i]: the import context before unit i, as far as needed

    def context_before(index: int) -> Context:
        while len(contexts) <= index:
            k = len(contexts) - 1
            contexts.append(contexts[k].plus(facts_from_nodes(engine, units[k], unit_nodes[k]).imports))
        return contexts[index]

    with engine.lock:
        records: list[UnitRecord | None] = [None] * len(units)
        order, reporter = _Order(units, records, progress), Reporter(progress)
        while (index := order.next()) is not None:
            reporter.report(records)
            records[index] = engine.unit_record(units[index], lines, path, context_before(index), {})
            reporter.count(records[index])
        return engine.assemble(text, path, Split(units, ()), records)


class Reporter:
    """Reports what a first analysis has found so far: the first findings at once, later ones
    in batches, `every_s` apart."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._found = self._reported = 0
        self._last = time.perf_counter()

    def count(self, record: UnitRecord) -> None:
        self._found += len(record.findings)

    def report(self, records: list) -> None:
        """`records`: those of the units analysed so far (None for the others)."""
        from bastion.engine.engine import RawAnalysis, directives_by_line

        progress = self._progress
        if progress is None or self._found == self._reported or (
                self._reported and time.perf_counter() - self._last <= progress.every_s):
            return
        done = [r for r in records if r is not None]
        progress.report(RawAnalysis(tuple(f for r in done for f in r.findings),
                                    directives_by_line(done), ()))
        self._last, self._reported = time.perf_counter(), self._found


class _Order:
    """Which unit to analyse next: the first visible one not yet done, else the next in order."""

    def __init__(self, units: tuple[Unit, ...], records: list, progress: Progress) -> None:
        self._units, self._records, self._progress = units, records, progress
        self._starts = [u.start for u in units]
        self._in_order = 0

    def next(self) -> int | None:
        for first, last in self._progress.visible():
            index = max(bisect_right(self._starts, first) - 1, 0)
            while index < len(self._units) and self._units[index].start <= last:
                if self._records[index] is None and self._units[index].end >= first:
                    return index
                index += 1
        while self._in_order < len(self._units) and self._records[self._in_order] is not None:
            self._in_order += 1
        return self._in_order if self._in_order < len(self._units) else None
