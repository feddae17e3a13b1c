"""Keep a document's units up to date from the lines an edit touched, without whole-file work.

After an edit only the units around it are split and parsed again: the edited class member
and its sibling members, or the edited top-level statement and its neighbours. Units after the
edit are moved, not re-read. The result equals `split_document` on the new text; when an edit
could change the meaning of distant lines (an unclosed triple-quoted string, a dedent inside a
class), the whole document is split again.
"""

from __future__ import annotations

import re

from bastion.engine.units import Split, Unit, _split_region, lines_in_strings, split_document

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
        self.line_count = 0
        self._prefix: int | None = None  # lines unchanged since the base, from the start
        self._suffix: int | None = None  # ... and from the end

    def reset(self) -> None:
        self.split = None

    def adopt(self, split: Split, line_count: int) -> None:
        """Use a split made elsewhere (a whole-file analysis) as the base for the next edits."""
        if split.broken:
            self.split = None
        else:
            self.split, self.line_count = split, line_count
        self._prefix = self._suffix = None

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
                self.split = None  # no valid base to work from
                return split
        if not split.broken:
            self.split, self.line_count = split, len(lines)
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
        first = next((i for i, u in enumerate(units) if u.end >= old_lo), len(units))
        last = max((i for i, u in enumerate(units) if u.start <= old_hi), default=-1)
        # Neighbours too: a typed line may join the unit before it or the one after it.
        first, last = max(first - 1, 0), min(max(last, first) + 1, len(units) - 1)
        member = self._member_region(units, first, last, lines, prefix, new_n - 1 - suffix)
        if member is not None:
            first, last, indent = member
        else:
            indent = ""
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
        region_units: list[Unit] = []
        region_broken: list[tuple[int, int]] = []
        known = {u.digest: u for u in units[first:last + 1]}
        _split_region(lines, lo, hi, indent, {n + lo for n in in_string}, region_units,
                      region_broken, known)
        if indent and any(not u.indented for u in region_units):
            return None
        if any(lines[a][len(indent):].startswith("@") for a, _ in region_broken):
            return None  # a broken decorator claims the next statement, possibly past the region
        before = [u for u in units[:first]]
        after = [u.moved(delta) for u in units[last + 1:]]
        broken = [b for b in self.split.broken if b[1] < lo]
        broken += region_broken
        broken += [(a + delta, b + delta) for a, b in self.split.broken if a > old_end]
        return Split(tuple(before + region_units + after), tuple(broken))

    @staticmethod
    def _member_region(units, first, last, lines, new_lo, new_hi):
        """Class members around the edit, when the edit stays inside the class body."""
        core = units[first + 1:last] or units[first:last + 1]
        if not core or not all(u.indented for u in core):
            return None
        indent = _indent(lines[core[0].start]) if core[0].start < len(lines) else ""
        if not indent:
            return None
        if any(_indent(u.text) != indent for u in core):
            return None
        for index in range(max(new_lo, 0), min(new_hi, len(lines) - 1) + 1):
            line = lines[index]
            if _significant(line) and not line.startswith(indent):
                return None
        # Siblings only: the region must not reach the class header or another class's members.
        while first < last and not (units[first].indented and _indent(units[first].text) == indent
                                    and not units[first].suffix):
            first += 1
        while last > first and not (units[last].indented and _indent(units[last].text) == indent):
            last -= 1
        if units[first].suffix or _indent(units[first].text) != indent:
            return None
        return first, last, indent


def _ends_inside_string(text: str) -> bool:
    """Whether a triple-quoted string opened in `text` is still open at its end."""
    probe = lines_in_strings(text + "\n")
    return text.count("\n") + 1 in probe
