"""Analysis unit by unit: a document that does not parse whole, and every edit of one analysed
before (`Engine.analysis_steps` with a `split`).

After an edit, the records of the units before it are the previous split's; the units the edit
touched are analysed (through the engine's unit caches); the units after it keep their records,
moved, when the imports before them did not change, else are analysed again. The work is a
generator that yields every `UNITS_PER_STEP` units, as progressive.py's does every slice, so
the caller serves other documents in between.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

from bastion.engine.context import EMPTY
from bastion.engine.progressive import Progress, Reporter
from bastion.engine.splitter import split_document
from bastion.model.text import split_lines

if TYPE_CHECKING:
    from bastion.engine.engine import Engine, RawAnalysis
    from bastion.engine.records import UnitRecord
    from bastion.engine.units import Split

# Units analysed between two yields of a unit-by-unit analysis (a document that does not parse).
UNITS_PER_STEP = 256


def analyse_units(engine: Engine, text: str, path: str, split: Split | None, lines: list[str] | None,
                  progress: Progress | None = None) -> Generator[None, None, RawAnalysis]:
    """The analysis of the document's units (`split`, by default the text split), yielding
    every `UNITS_PER_STEP` units without holding the engine's lock."""
    if split is None:
        split = split_document(text)
    if lines is None:
        lines = split_lines(text)
    units, reuse = split.units, split.reuse
    records: list[UnitRecord] = []
    index, context = 0, EMPTY
    with engine.lock:
        if reuse is not None and progress is None and len(reuse.records) == reuse.count:
            # Units before the edit are the previous split's: so are their records.
            records.extend(reuse.records[:reuse.head])
            index, context = reuse.head, records[-1].context if records else EMPTY
            for unit in units[index:index + reuse.region]:
                records.append(engine.unit_record(unit, lines, path, context, split.trees))
                context = records[-1].context
            index += reuse.region
            before_tail = reuse.records[reuse.tail - 1].context if reuse.tail else EMPTY
            if context.digest == before_tail.digest:
                # Same imports up to the units after the edit: their records only move (or,
                # when no line was added or removed, stay: a keystroke in _pydecimal.py left
                # ~780 records in place one call each).
                after = reuse.records[reuse.tail:]
                records.extend(after if not reuse.delta else (r.moved(reuse.delta) for r in after))
                index = len(units)
    reporter = Reporter(progress)
    while index < len(units):
        with engine.lock:
            for unit in units[index:index + UNITS_PER_STEP]:
                records.append(engine.unit_record(unit, lines, path, context, split.trees))
                context = records[-1].context
                reporter.count(records[-1])
        index += UNITS_PER_STEP
        reporter.report()
        yield
    with engine.lock:
        return engine.assemble(text, path, split, records)
