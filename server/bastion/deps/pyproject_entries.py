"""Whole lines of a Poetry dependencies table's entries added, removed or retyped in a
pyproject.toml (`flask = "0.12"`), read from its last read without parsing the TOML.

The lines an edit changes may each be blank or a comment, or hold one bare key, `=`, a string on
one line (and a comment). Those removed must hold dependencies the last read derived with their
name written there; those added, a string without escapes. A line held so, right above or below
the changed lines (past blank and comment lines outside multi-line strings) or among those
removed, is a statement of the section of a Poetry table: the new lines are statements of that
table too. The new text is then valid TOML when no key added is one of the table's others (its
keys, from the last whole read, are kept in `Layout.tables` and updated here); a whole read
derives the same calls but those, the new ones next to that line's in the table's order (keys
come in the order they are first written; the new ones are first written there).

The table is found by the name on that line: it must be a key of one Poetry table only (the
same name in `dependencies` and a group's: read whole). `python` is not added (it is no
dependency).

State: none (`pyproject_items.apply` updates the layout).
"""

from __future__ import annotations

import bisect
import re

from bastion.deps import pyproject
from bastion.deps.pyproject_items import Items, elements, line_above, line_below

_KEY = r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
_ENTRY = re.compile(_KEY + r"""("(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*(?:#[^\n]*)?\r?\n""")
_NEW_ENTRY = re.compile(_KEY + r"""("[^"\\\x00-\x08\x0a-\x1f\x7f]*"|'[^'\x00-\x08\x0a-\x1f\x7f]*')"""
                        r"""[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?\n""")


def plan(layout, old: str, offset, first: int, removed: list[str], added: list[str],
         bases) -> Items | None:
    """As `pyproject_items.plan`, for a Poetry table's entries."""
    if not layout.tables:
        return None
    gone, new = elements(removed, _ENTRY), elements(added, _NEW_ENTRY)
    if gone is None or new is None or not (gone or new):
        return None
    numbers = [_entry_call(layout, bases[first + number], entry) for number, entry in gone]
    if None in numbers or (numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers)))):
        return None
    names = {entry.group(1) for _number, entry in gone}
    if numbers:
        at, name = numbers[0], gone[0][1].group(1)
    else:
        start = offset()
        near = _near(layout, line_above(layout, old, start, first, bases), bases)
        if near is not None:
            at, name = near[0] + 1, near[1]
        else:
            end = start + sum(map(len, removed))
            near = _near(layout, line_below(layout, old, end, first + len(removed), bases), bases)
            if near is None:
                return None
            at, name = near
    tables = [path for path, keys in layout.tables.items() if name in keys]
    if len(tables) != 1 or not names <= layout.tables[tables[0]]:
        return None
    kept = layout.tables[tables[0]] - names
    new_names = [entry.group(1) for _number, entry in new]
    if len(set(new_names)) != len(new_names) or kept.intersection(new_names) \
            or any(added.lower() == "python" for added in new_names):
        return None
    calls = tuple((number, pyproject.entry(entry.group(1), entry.group(2)[1:-1],
                                           (0, entry.start(2) + 1, 0, entry.end(2) - 1),
                                           (0, entry.start(1), 0, entry.end(1))))
                  for number, entry in new)
    return Items(at, len(numbers), calls, tables[0], frozenset(names), frozenset(new_names))


def _near(layout, line: tuple[str, int] | None, bases) -> tuple[int, str] | None:
    """The number and name of the entry on `line` (its text and number), if it is one."""
    entry = None if line is None else _ENTRY.fullmatch(line[0])
    number = None if entry is None else _entry_call(layout, bases[line[1]], entry)
    return None if number is None else (number, entry.group(1))


def _entry_call(layout, key: float, entry: re.Match) -> int | None:
    """The number of the call of `entry`, the text of the line at `key`, when it is the only
    call there and its name and version are written there."""
    low = bisect.bisect_left(layout.lines, key)
    held = layout.numbers[low:bisect.bisect_right(layout.lines, key, low)]
    if len(held) != 1:
        return None
    call = layout.calls[held[0]]
    if not pyproject.is_entry(call) or call[1] != entry.group(1):
        return None
    if call[3] != (key, entry.start(2) + 1, key, entry.end(2) - 1) \
            or call[5] != (key, entry.start(1), key, entry.end(1)):
        return None
    return held[0]
