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
from bastion.engine.splitter import (
    find_close,
    lines_in_strings,
    looks_like_a_start,
    split_document,
    split_region,
    statement_starts,
)
from bastion.engine.units import Reuse, Split, Unit

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
        # Lines of the base that a split of a text that does not parse reads as statements other
        # than the base's units (None: not yet known). See `_odd_lines`.
        self._odd: list[int] | None = None
        self._next_odd: list[int] | None = None  # ... of the split `_update` last returned

    def reset(self) -> None:
        self.split, self.records = None, ()

    def adopt(self, split: Split, line_count: int, records: tuple = ()) -> None:
        """Use a split made elsewhere (a whole-file analysis) as the base for the next edits."""
        if split.broken:
            self.reset()
        else:
            self._set_base(split, line_count, records)
        self._prefix = self._suffix = None

    def prepare(self, lines: list[str]) -> None:
        """Find the base's odd lines now (`lines`: the text of the split last adopted), so that
        the first edit that breaks the text does not read the whole base: meant for time the user
        does not wait on (after a whole-file analysis, which reads every line anyway)."""
        if self.split is not None and self._odd is None and len(lines) == self.line_count:
            self._odd = _odd_lines(lines, self.split.units, 0, len(lines) - 1)

    def keep_records(self, split: Split, records: tuple) -> None:
        """The engine's records of a split `update` returned: reused by the next edit."""
        if self.split is not None and split.units is self.split.units:
            self.records = tuple(records)

    def _set_base(self, split: Split, line_count: int, records: tuple = ()) -> None:
        # Kept without the trees and the link to the split before: only the units are reused.
        self.split = Split(split.units, split.broken)
        self.records, self.line_count = tuple(records), line_count
        self._odd = None

    def update(self, lines: list[str], prefix: int | None, suffix: int | None) -> Split:
        """`prefix`/`suffix`: lines unchanged at the start/end since the last call (None: unknown)."""
        split = odd = None
        whole = False
        if self.split is not None and prefix is not None and suffix is not None:
            # Unchanged-line counts compose by minimum: relative to the base, not the last call.
            self._prefix = prefix if self._prefix is None else min(self._prefix, prefix)
            self._suffix = suffix if self._suffix is None else min(self._suffix, suffix)
            split = self._update(lines, self._prefix, self._suffix)
            odd = self._next_odd
        if split is None:
            split, whole = split_document("\n".join(lines)), True
            if split.broken:
                if self.split is None:
                    self._prefix = self._suffix = None  # no valid base to work from
                # else the base stays: the next edit is again re-split from it, locally
                return split
        if not split.broken:
            self._set_base(split, len(lines))
            self._odd = odd
            if whole:  # the whole text was just split: its odd lines cost a fraction more
                self.prepare(lines)
            self._prefix = self._suffix = None
        return split

    def _update(self, lines: list[str], prefix: int, suffix: int) -> Split | None:
        self._next_odd = None
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
        known = {u.digest: u for u in units[first:last + 1]}
        trees: dict = {}
        region_units, region_broken = split_region(lines, lo, hi, indent, {n + lo for n in in_string},
                                                   known, trees, in_function)
        if indent and any(not u.indented for u in region_units):
            return None
        if indent and not region_units and not region_broken:
            return None  # the body is gone: its header no longer parses
        if region_broken:
            if self._odd is None:
                self._odd = _odd_lines_outside(lines, units, first, last, lo, hi, delta)
            if any(line < lo or line > old_end for line in self._odd):
                return None  # a fresh split would read the base's lines otherwise somewhere
            if not _broken_wherever_it_stands(lines, lo, hi, indent, in_string, region_broken,
                                              first == 0):
                return None
        elif self._odd is not None:
            self._next_odd = ([a for a in self._odd if a < lo]
                              + _odd_lines(lines, region_units, lo, hi)
                              + [a + delta for a in self._odd if a > old_end])
        after = units[last + 1:] if not delta else tuple(u.moved(delta) for u in units[last + 1:])
        broken = [b for b in self.split.broken if b[1] < lo]
        broken += region_broken
        broken += [(a + delta, b + delta) for a, b in self.split.broken if a > old_end]
        reuse = Reuse(self.records, len(units), first, len(region_units), last + 1, delta)
        return Split(units[:first] + tuple(region_units) + after, tuple(broken), reuse, trees)


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


def _odd_lines(lines: list[str], units: list[Unit] | tuple[Unit, ...], lo: int, hi: int) -> list[int]:
    """Lines lo..hi (whole units of a text that parses) that a split of a text that does not
    parse would not read as the units do: code between units (a lone backslash), a unit's first
    line that does not look like a statement's start, or a line inside a unit that looks like a
    statement's start at the unit's indentation or less (a line inside brackets or after a
    backslash). Without them, every statement of the base that an edit leaves alone is a chunk
    of its own in a fresh split, which parses alone, as it was."""
    in_string = {n + lo for n in lines_in_strings("\n".join(lines[lo:hi + 1]))}
    odd: list[int] = []

    def gap(start: int, end: int) -> None:
        odd.extend(i for i in range(start, end) if i not in in_string and _significant(lines[i]))

    at = lo
    for unit in units:
        gap(at, unit.start)
        width = len(_indent(lines[unit.start]))
        if unit.start in in_string or not looks_like_a_start(lines[unit.start], width):
            odd.append(unit.start)
        decorated = lines[unit.start][width:width + 1] == "@"
        for i in range(unit.start + 1, unit.end + 1):
            line = lines[i]
            if i in in_string or not _significant(line):
                continue
            own = len(_indent(line))
            if own <= width and looks_like_a_start(line, own):
                if decorated:  # the decorators and the definition under them are one start
                    decorated = line[own] == "@"
                    continue
                odd.append(i)
        at = unit.end + 1
    gap(at, hi + 1)
    return odd


def _odd_lines_outside(lines: list[str], units: tuple[Unit, ...], first: int, last: int, lo: int,
                       hi: int, delta: int) -> list[int]:
    """`_odd_lines` of the base outside an edited region (lo..hi in `lines`, the new text), in
    the base's line numbers."""
    after = [u.moved(delta) for u in units[last + 1:]]
    return (_odd_lines(lines, units[:first], 0, lo - 1)
            + [i - delta for i in _odd_lines(lines, after, hi + 1, len(lines) - 1)])


def _broken_wherever_it_stands(lines: list[str], lo: int, hi: int, indent: str,
                               in_string: set[int], broken: list[tuple[int, int]],
                               at_top: bool) -> bool:
    """Whether a fresh split of the whole text decides the region's broken statements as the
    region's own split did, so that the region can stay local.

    A fresh split of a text that does not parse splits every class or function that does not
    parse into its statements (`_split_broken_block`), down to the broken one. It reaches the
    region's statements the same way when every broken statement of the region is broken in any
    context: one that ends outside brackets, or whose open brackets nothing later in the region
    closes (the lines after the region are whole statements of the base, which close nothing),
    makes every block around it fail to parse too. Otherwise (a body indented as a whole, code
    before the region's first statement that belongs to the statement before it, a decorator at
    the region's end that claims the statement after it, a line continued by a backslash
    anywhere in a broken statement, a bracket closed further down) only the whole text can
    tell.
    `in_string`: lines of the region that begin inside a triple-quoted string, from the region's
    first line (0-based in the region)."""
    absolute = {n + lo for n in in_string}
    starts = statement_starts(lines, lo, hi, indent, absolute)
    if not starts or lines[starts[-1]][len(indent)] == "@":
        return False
    if not (at_top and not indent) and any(
            lines[i].strip() and not lines[i].lstrip().startswith("#") for i in range(lo, starts[0])):
        return False
    lowest, depth = _bracket_depths(lines[lo:hi + 1])
    for first, last in broken:
        if any(lines[i].rstrip().endswith("\\") for i in range(first, last + 1)):
            return False  # joined to a line before or after it, which may make it whole
        if min(lowest[last + 1 - lo:], default=depth[last - lo]) < depth[last - lo]:
            return False  # a bracket still open at its end is closed further down
    return True


_SCAN = re.compile(r"#[^\n]*|'''|\"\"\"|'(?:\\.|[^'\\\n])*'?|\"(?:\\.|[^\"\\\n])*\"?|[(\[{]|[)\]}]|\n")


_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")


def _bracket_depths(lines: list[str]) -> tuple[list[int], list[int]]:
    """For each line: the lowest depth of open brackets reached on it, and the depth at its
    end, counted from the first line, outside strings and comments (read as
    `lines_in_strings` reads them)."""
    text = "".join(line + "\n" for line in lines)
    lowest, ends = [], []
    depth = low = 0
    pos = 0
    while True:
        match = _SCAN.search(text, pos)
        if match is None:
            break
        token = match.group(0)
        pos = match.end()
        if token == "\n":
            lowest.append(low)
            ends.append(depth)
            low = depth
        elif token in ("'''", '"""'):
            close = find_close(text, pos, token)
            for _ in range(text.count("\n", pos, close)):
                lowest.append(low)
                ends.append(depth)
                low = depth
            pos = close + 3
        elif token in _OPEN:
            depth += 1
        elif token in _CLOSE:
            depth -= 1
            low = min(low, depth)
    return lowest, ends


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
            splitter.prepare(lines)
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
