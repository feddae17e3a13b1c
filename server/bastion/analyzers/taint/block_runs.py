"""What one pass of the block parser over a list of block starts decided (blocks.py
`BlockParser._statements`), kept for the next text: a keystroke in one method of a 3,000-line
class went through every block of the module and every member of the class, each served from
its place (~0.4 of the parser's ~3.4 ms on a key in _pydecimal.py); now through those around the
edit.

A run is a list of segments: a block, blocks joined to parse, or a broken block left out.
Which it is is read from the lines of its first block's start up to its reach: the start
MAX_MERGE blocks on (whether a line starts a block depends on it and the lines before it), or
the end of the run. The same lines at the same places, split at the same starts, decide the
same, and the parser hands back the same statements for them (its blocks by place). So the next
pass of the same run (same first line, indent and end) takes as they are its first segments that
reach no further than the first line the edit changed; and once its own segments meet one of the
last run's at or after the last changed line, all the rest: a line that starts a block in both
texts is met outside any string with no decorator waiting (blocks.py `_step`), so the same lines
after it start the same blocks. The places a taken segment parsed go to the parser's blocks by
place as well.
"""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right

Place = tuple[int, int, str]  # a block's first line, the line after it, its indent


class Run:
    __slots__ = ("lows", "reaches", "body_at", "placed_at", "body", "placed")

    def __init__(self) -> None:
        self.lows: list[int] = []  # each segment's first line
        self.reaches: list[int] = []  # the line before which its decision read the text
        self.body_at: list[int] = []  # where its statements begin in `body`
        self.placed_at: list[int] = []  # where the blocks it parsed begin in `placed`
        self.body: list[ast.stmt] = []
        self.placed: list[tuple[Place, list[ast.stmt]]] = []

    def begin(self, low: int, reach: int) -> None:
        """A segment starts at line `low`; its decision reads lines before `reach`."""
        self.lows.append(low)
        self.reaches.append(reach)
        self.body_at.append(len(self.body))
        self.placed_at.append(len(self.placed))

    def take_first(self, last: Run, changed_from: int, placing: dict) -> int:
        """`last`'s segments that read only lines before `changed_from`, as this (empty) run's
        first: the first line of the segment after them, or -1 when none is left."""
        count = bisect_right(last.reaches, changed_from)  # reaches grow with the segments
        if count == len(last.lows):
            body_end, placed_end, low = len(last.body), len(last.placed), -1
        else:
            body_end, placed_end, low = last.body_at[count], last.placed_at[count], last.lows[count]
        self.lows, self.reaches = last.lows[:count], last.reaches[:count]
        self.body_at, self.placed_at = last.body_at[:count], last.placed_at[:count]
        self.body = last.body[:body_end]
        self.placed = last.placed[:placed_end]
        placing.update(self.placed)
        return low

    def take_rest(self, last: Run, low: int, placing: dict) -> bool:
        """`last`'s segments from the one that starts at line `low`, when one does, as this
        run's last."""
        index = bisect_left(last.lows, low)
        if index == len(last.lows) or last.lows[index] != low:
            return False
        body_from, placed_from = last.body_at[index], last.placed_at[index]
        body_shift, placed_shift = len(self.body) - body_from, len(self.placed) - placed_from
        self.lows += last.lows[index:]
        self.reaches += last.reaches[index:]
        self.body_at += [at + body_shift for at in last.body_at[index:]]
        self.placed_at += [at + placed_shift for at in last.placed_at[index:]]
        self.body += last.body[body_from:]
        rest = last.placed[placed_from:]
        self.placed += rest
        placing.update(rest)
        return True


def first_index(starts: list[int], low: int) -> int:
    """The index of line `low` in `starts` (-1: past the last)."""
    return len(starts) if low < 0 else bisect_left(starts, low)
