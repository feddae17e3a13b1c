"""Text changes a fix makes, in document lines, and the minimal edits that express them.

A fix replaces whole lines (the statement it rewrote) and may insert import lines. Both are a
`Change`: document lines `start`..`end` (0-based, inclusive; `end == start - 1` inserts before
`start`) become `text`, whole lines each ending in the document's newline. Clients get the
smallest edit: the common prefix and suffix of the old and new text are trimmed (O(n), no diff).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import attrs


@attrs.frozen
class Change:
    start: int
    end: int  # inclusive; start - 1 for a pure insertion
    text: str  # whole lines, each ending in "\n" (with "\r" before it in CRLF documents)

    @property
    def delta(self) -> int:
        """How many lines the document gains."""
        return self.text.count("\n") - (self.end - self.start + 1)

    def new_lines(self) -> list[str]:
        return self.text.split("\n")[:-1]


@attrs.frozen
class LineEdit:
    """Replace (start_line, start_col)..(end_line, end_col) (code points) with `text`."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int
    text: str


def apply_changes(lines: Sequence[str], changes: Iterable[Change]) -> list[str]:
    """The document's lines after non-overlapping changes (given in any order)."""
    out = list(lines)
    for change in sorted(changes, key=lambda c: (c.start, c.end), reverse=True):
        out[change.start:change.end + 1] = change.new_lines()
    return out or [""]


def old_text(lines: Sequence[str], change: Change) -> str:
    """The text a change replaces, with the newline after its last line when there is one."""
    if change.end < change.start:
        return ""
    text = "\n".join(lines[change.start:change.end + 1])
    return text + "\n" if change.end + 1 < len(lines) else text


def to_line_edit(lines: Sequence[str], change: Change) -> LineEdit:
    """The minimal edit for one change: common prefix and suffix trimmed."""
    old = old_text(lines, change)
    new = change.text
    if change.end + 1 >= len(lines) and change.end >= change.start:
        new = new[:-1] if new.endswith("\n") else new  # the document has no final newline
    deletes_tail = change.end + 1 >= len(lines) and change.end >= change.start
    if deletes_tail and not change.text and change.start:
        last = len(lines) - 1  # delete the last lines with the newline before them
        return LineEdit(change.start - 1, len(lines[change.start - 1]), last, len(lines[last]), "")
    if change.start >= len(lines):  # insertion after the last line of a document without "\n"
        if not new:
            return LineEdit(len(lines) - 1, len(lines[-1]), len(lines) - 1, len(lines[-1]), "")
        return LineEdit(len(lines) - 1, len(lines[-1]), len(lines) - 1, len(lines[-1]),
                        "\n" + new[:-1] if new.endswith("\n") else "\n" + new)
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old[prefix:], new[prefix:])
    start = _position(lines, change.start, old, prefix)
    end = _position(lines, change.start, old, len(old) - suffix)
    return LineEdit(start[0], start[1], end[0], end[1], new[prefix:len(new) - suffix])


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


def _position(lines: Sequence[str], first: int, text: str, offset: int) -> tuple[int, int]:
    line = first + text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return line, column


def line_edits(lines: Sequence[str], changes: Iterable[Change]) -> list[LineEdit]:
    """Minimal edits for non-overlapping changes, in document order."""
    edits = [to_line_edit(lines, c) for c in sorted(changes, key=lambda c: (c.start, c.end))]
    return [e for e in edits if e.text or (e.start_line, e.start_col) != (e.end_line, e.end_col)]


def diff_edits(old_lines: Sequence[str], new_lines: Sequence[str]) -> list[LineEdit]:
    """Edits turning one document into another, hunk by hunk (fix-all; not the hot path)."""
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    changes = [Change(i1, i2 - 1, "".join(line + "\n" for line in new_lines[j1:j2]))
               for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return line_edits(old_lines, changes)


def apply_line_edits(text: str, edits: Iterable[LineEdit]) -> str:
    """Apply code-point edits to a text (tests and the CLI use it the way a client would)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    out = text
    ordered = sorted(enumerate(edits), reverse=True,
                     key=lambda p: (p[1].start_line, p[1].start_col, p[1].end_line,
                                    p[1].end_col, p[0]))
    for _, edit in ordered:
        a = starts[edit.start_line] + edit.start_col
        b = starts[edit.end_line] + edit.end_col
        out = out[:a] + edit.text + out[b:]
    return out
