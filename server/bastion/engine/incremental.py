"""Keep a document's units up to date from the lines an edit touched, without whole-file work.

After an edit only the units around it are split and parsed again: the edited statement of a
class or function body and its sibling statements, or the edited top-level statement and its
neighbours. Units after the edit are moved, not re-read. The result equals `split_document` on
the new text; when an edit could change the meaning of distant lines (an unclosed triple-quoted
string, a dedent out of a body), the statement that holds it, or the whole document, is split
again.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Generator
from typing import TYPE_CHECKING

from bastion.analyzers.base import body_reads_whole
from bastion.engine.units import (
    Reuse,
    Split,
    Unit,
    _split_region,
    lines_in_strings,
    split_document,
)

if TYPE_CHECKING:
    from bastion.engine.engine import RawAnalysis

_INDENT = re.compile(r"[ \t]*")


def _significant(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> str:
    return _INDENT.match(line).group(0)


class IncrementalSplitter:
    """The units of one document, updated edit by edit. Not thread-safe: one owner at a time.

    Edits are applied to the last split in which everything parsed (the base): while the user
    types through states that do not parse, the region around the edit is re-split from that
    base, so everything outside it keeps the units it had when the document was valid.
    """

    def __init__(self) -> None:
        self.split: Split | None = None
        self.records: tuple = ()  # the engine's records of `split`'s units, when it analysed it
        self.line_count = 0
        self._prefix: int | None = None  # lines unchanged since the base, from the start
        self._suffix: int | None = None  # ... and from the end

    def reset(self) -> None:
        self.split, self.records = None, ()

    def adopt(self, split: Split, line_count: int, records: tuple = ()) -> None:
        """Use a split made elsewhere (a whole-file analysis) as the base for the next edits."""
        if split.broken:
            self.reset()
        else:
            self._set_base(split, line_count, records)
        self._prefix = self._suffix = None

    def keep_records(self, split: Split, records: tuple) -> None:
        """The engine's records of a split `update` returned: reused by the next edit."""
        if self.split is not None and split.units is self.split.units:
            self.records = tuple(records)

    def _set_base(self, split: Split, line_count: int, records: tuple = ()) -> None:
        # Kept without the trees and the link to the split before: only the units are reused.
        self.split = Split(split.units, split.broken)
        self.records, self.line_count = tuple(records), line_count

    def update(self, lines: list[str], prefix: int | None, suffix: int | None) -> Split:
        """`prefix`/`suffix`: lines unchanged at the start/end since the last call (None: unknown)."""
        split = None
        if self.split is not None and prefix is not None and suffix is not None:
            # Unchanged-line counts compose by minimum: relative to the base, not the last call.
            self._prefix = prefix if self._prefix is None else min(self._prefix, prefix)
            self._suffix = suffix if self._suffix is None else min(self._suffix, suffix)
            split = self._update(lines, self._prefix, self._suffix)
        if split is None:
            split = split_document("\n".join(lines))
            if split.broken:
                self.reset()  # no valid base to work from
                return split
        if not split.broken:
            self._set_base(split, len(lines))
            self._prefix = self._suffix = None
        return split

    def _update(self, lines: list[str], prefix: int, suffix: int) -> Split | None:
        old_n, new_n = self.line_count, len(lines)
        prefix = min(prefix, old_n, new_n)
        suffix = min(suffix, old_n - prefix, new_n - prefix)
        delta = new_n - old_n
        old_lo, old_hi = prefix, old_n - 1 - suffix  # old_hi < old_lo: a pure insertion
        units = self.split.units
        if not units:
            return None
        first = bisect_left(units, old_lo, key=_end)  # the first unit the edit reaches
        last = bisect_right(units, old_hi, key=_start) - 1  # ... and the last
        block = _block_region(units, first, last, lines, prefix, new_n - 1 - suffix)
        if block is not None:
            first, last, indent, in_function = block
        else:
            indent, in_function = "", False
            # Neighbours too: a typed line may join the unit before it or the one after it.
            first, last = max(first - 1, 0), min(max(last, first) + 1, len(units) - 1)
            while first > 0 and units[first].indented:
                first -= 1  # widen to the top-level statement (the class) that holds it
            while last + 1 < len(units) and units[last + 1].indented:
                last += 1
        lo = min(units[first].start, prefix)
        old_end = max(units[last].end, old_hi)
        hi = old_end + delta
        if not indent and first == 0:
            lo = 0
        if not indent and last == len(units) - 1:
            hi, old_end = new_n - 1, old_n - 1
        if hi < lo:
            return None
        region_text = "\n".join(lines[lo:hi + 1])
        in_string = lines_in_strings(region_text)
        if _ends_inside_string(region_text):
            return None  # an open triple-quoted string changes the meaning of every later line
        if in_function and body_reads_whole(lines[lo:hi + 1]):
            return None  # the function is no longer split into statements
        region_units: list[Unit] = []
        region_broken: list[tuple[int, int]] = []
        known = {u.digest: u for u in units[first:last + 1]}
        trees: dict = {}
        _split_region(lines, lo, hi, indent, {n + lo for n in in_string}, region_units,
                      region_broken, known, trees, in_function)
        if indent and any(not u.indented for u in region_units):
            return None
        if indent and not region_units and not region_broken:
            return None  # the body is gone: its header no longer parses
        if region_broken:
            # What does not parse alone may parse as part of what surrounds it (a block indented
            # as a whole), and how far a broken statement reaches depends on the lines after the
            # region (joined continuation lines, a decorator): only the whole text can tell.
            return None
        after = [u.moved(delta) for u in units[last + 1:]]
        broken = [b for b in self.split.broken if b[1] < lo]
        broken += region_broken
        broken += [(a + delta, b + delta) for a, b in self.split.broken if a > old_end]
        reuse = Reuse(self.records, len(units), first, len(region_units), last + 1, delta)
        return Split(units[:first] + tuple(region_units) + tuple(after), tuple(broken), reuse, trees)


def _start(unit: Unit) -> int:
    return unit.start


def _end(unit: Unit) -> int:
    return unit.end


def _deeper(indent: str, than: str) -> bool:
    return len(indent) > len(than) and indent.startswith(than)


def _block_region(units: tuple[Unit, ...], first: int, last: int, lines: list[str],
                  new_lo: int, new_hi: int) -> tuple[int, int, str, bool] | None:
    """The statements around an edit inside one class or function body: the edited ones and a
    sibling on each side (a typed line may join either), each with the units nested in it.

    Returns (first unit, last unit, the body's indentation, whether it is a function body);
    None when the edit does not stay inside one body.
    """
    count = len(units)
    lo = min(first, count - 1)
    hi = max(last, lo)  # a line inserted between two units touches the one after it
    core = units[lo:hi + 1]
    if not all(u.indented for u in core):
        return None
    indents = [_indent(u.text) for u in core]
    indents += [_indent(lines[i]) for i in range(max(new_lo, 0), min(new_hi, len(lines) - 1) + 1)
                if _significant(lines[i])]
    indent = min(indents, key=len)
    if not indent or not all(i.startswith(indent) for i in indents):
        return None

    def statement_start(index: int) -> int | None:
        while index > 0 and _deeper(_indent(units[index].text), indent):
            index -= 1
        return index if _indent(units[index].text) == indent and units[index].indented else None

    def statement_end(index: int) -> int:
        while index + 1 < count and _deeper(_indent(units[index + 1].text), indent):
            index += 1
        return index

    start = statement_start(lo)
    if start is None:
        return None
    before = _indent(units[start - 1].text) if start else ""
    if start and (before == indent or _deeper(before, indent)):
        start = statement_start(start - 1)
        if start is None:
            return None
    end = statement_end(hi)
    if end + 1 < count and _indent(units[end + 1].text) == indent and units[end + 1].indented:
        end = statement_end(end + 1)
    return start, end, indent, units[start].in_function


def _ends_inside_string(text: str) -> bool:
    """Whether a triple-quoted string opened in `text` is still open at its end."""
    probe = lines_in_strings(text + "\n")
    return text.count("\n") + 1 in probe


def analyse_edit(engine, splitter: IncrementalSplitter, text: str, path: str, lines: list[str],
                 prefix: int | None, suffix: int | None,
                 progress=None) -> Generator[None, None, RawAnalysis]:
    """The analysis of a document's new text, as `Engine.analysis_steps` yields it: from the
    splitter's units when the lines an edit left unchanged at the start and end (`prefix`,
    `suffix`) are known and the splitter has a base; else whole (a first analysis, served from
    the disk cache when the same text was analysed before, whose split becomes the base)."""
    if prefix is None or splitter.split is None:
        raw = yield from engine.analysis_steps(text, path, lines=lines, use_disk=prefix is None,
                                               progress=progress)
        if raw.split is not None:
            splitter.adopt(raw.split, len(lines), raw.records)
        else:
            splitter.reset()
        return raw
    try:
        split = splitter.update(lines, prefix, suffix)
    except Exception:
        splitter.reset()
        raise
    raw = yield from engine.analysis_steps(text, path, split, lines)
    splitter.keep_records(split, raw.records)
    return raw
