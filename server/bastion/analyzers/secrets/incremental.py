"""Secrets of an edited document: only the lines an edit touched are scanned again.

Equivalent to a scan of the whole text (tests/unit/test_secrets_incremental.py compares the two
on random edits) because, private keys aside, nothing found reads across a line end: no format
matches a "\n" (their classes, blanks and look-aheads exclude it), the generic check's key,
keyword and value are on one line, and its one-per-line skip ends there. So the findings of an
unchanged line do not depend on other lines, except through two whole-text facts:
- a format with `needles` runs only on a text holding one of them: when the set of formats that
  run changes, the whole text is scanned. The needles, and key headers, are kept as counts (none
  holds a "\n", so counts add up over whole lines);
- a private key's end is looked for across lines, up to `KEY_REACH` past its header ("-----BEGIN
  "), and a key's range hides later formats' findings inside it (an earlier format's finding
  there hides the key). So the lines scanned grow, in the old text and the new, until no
  header's reach crosses their first or last line: a key, the findings it hides and those that
  hide it are then all inside the lines scanned, or all outside.

State: a `Reads` belongs to one secrets analyzer and keeps the last read (text, findings, needle
counts) of the 4 documents read last, by path and kind; emptied by `forget()`. No lock: the
engine runs analyzers under its own.
"""

from __future__ import annotations

import attrs

from bastion import attrs_classes
from bastion.analyzers.secrets.formats import FORMATS, KEY_HEADER, KEY_REACH
from bastion.analyzers.secrets.scanning import Entry, enabled_formats, scan
from bastion.engine.cache import LRU
from bastion.filekinds import FileKind
from bastion.model import Finding
from bastion.model.text import common_ends

# The formats' needles, and a key's header: whether a text holds one is known from the counts.
NEEDLES = (KEY_HEADER, *sorted({needle for fmt in FORMATS for needle in fmt.needles}))
# Documents kept: the editor's keystrokes go to one; in a `bastion check` worker each kept text
# (up to 8 MB) outlives its analysis.
_DOCUMENTS = 4


@attrs_classes.frozen
class _Read:
    text: str
    line_ends: int  # "\n" in text
    entries: tuple[Entry, ...]  # in the order they are reported
    counts: tuple[int, ...]  # of each of NEEDLES in text

    def enabled(self) -> frozenset[int]:
        present = {needle for needle, count in zip(NEEDLES, self.counts, strict=True) if count}
        return enabled_formats(present.__contains__)


class Reads:
    def __init__(self) -> None:
        self._last: LRU[tuple[str, FileKind], _Read] = LRU(_DOCUMENTS)

    def forget(self) -> None:
        self._last.clear()

    def closed(self, path: str, kind: FileKind) -> None:
        """The editor closed the document: its last read (its text) goes."""
        self._last.pop((path, kind))

    def analyse(self, text: str, path: str, kind: FileKind) -> list[Finding]:
        last = self._last.get((path, kind))
        read = _whole(text, path, kind) if last is None else _again(last, text, path, kind)
        self._last.put((path, kind), read)
        return [finding for _order, _start, finding in read.entries]


def _whole(text: str, path: str, kind: FileKind,
           counts: tuple[int, ...] | None = None) -> _Read:
    if counts is None:
        counts = tuple(text.count(needle) for needle in NEEDLES)
    read = _Read(text, text.count("\n"), (), counts)
    return attrs.evolve(read, entries=tuple(scan(text, path, kind, read.enabled())))


def _again(last: _Read, text: str, path: str, kind: FileKind) -> _Read:
    """`text` read from the last read of the same document: the lines from the first changed
    one to the last changed one are scanned, the findings before kept, those after moved."""
    old = last.text
    head, tail = common_ends(old, text)
    start = text.rfind("\n", 0, head) + 1  # the first changed line's start, in both texts
    old_end, new_end = _line_end(old, len(old) - tail), _line_end(text, len(text) - tail)
    counts = tuple(count - old.count(needle, start, old_end) + text.count(needle, start, new_end)
                   for needle, count in zip(NEEDLES, last.counts, strict=True))
    line_ends = last.line_ends - old.count("\n", start, old_end) + text.count("\n", start, new_end)
    read = _Read(text, line_ends, (), counts)
    enabled = read.enabled()
    if enabled != last.enabled():
        return _whole(text, path, kind, counts)
    moved_chars = len(text) - len(old)
    if counts[0] or last.counts[0]:
        # grown over text both have: the line count above stays right
        start, old_end = _beyond_keys(old, text, start, old_end)
        new_end = old_end + moved_chars
    if start <= len(text) // 2:
        first_line = text.count("\n", 0, start)
    else:
        first_line = line_ends - text.count("\n", start)
    moved_lines = line_ends - last.line_ends
    entries = [entry for entry in last.entries if entry[1] < start]
    entries += scan(text, path, kind, enabled, start, new_end, first_line)
    entries += [(order, at + moved_chars, finding.shifted(moved_lines) if moved_lines else finding)
                for order, at, finding in last.entries if at >= old_end]
    entries.sort(key=_report_order)
    return attrs.evolve(read, entries=tuple(entries))


def _beyond_keys(old: str, new: str, start: int, old_end: int) -> tuple[int, int]:
    """The lines `[start, old_end)` of `old` (and the same lines of `new`, which ends as `old`
    past them) grown until no key header of either text reaches across their edges."""
    moved = len(new) - len(old)
    while True:
        was = start, old_end
        for text, shift in ((old, 0), (new, moved)):
            at = text.find(KEY_HEADER, max(0, start - KEY_REACH), old_end + shift)
            while at >= 0:
                if at < start and at + KEY_REACH > start:
                    start = text.rfind("\n", 0, at) + 1  # before `start`: the texts agree
                if at + KEY_REACH > old_end + shift:
                    old_end = _line_end(text, at + KEY_REACH - 1) - shift  # the texts' common end
                at = text.find(KEY_HEADER, at + 1, old_end + shift)
        if (start, old_end) == was:
            return start, old_end


def _line_end(text: str, at: int) -> int:
    """The end of the line holding offset `at`, its "\n" included."""
    found = text.find("\n", at)
    return len(text) if found < 0 else found + 1


def _report_order(entry: Entry) -> tuple[int, int]:
    return entry[0], entry[1]
