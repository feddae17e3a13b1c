"""The block parser's lines of a text made from the last text's lines: only the lines an edit
changed are split again, and only they are compared with the last text's.

A keystroke in _pydecimal.py (230 kB, 6,400 lines) split the whole text (0.55 ms) and compared
both line lists from each end (0.3 ms), a third of the block parser's time on a key whose blocks
are all cached. The texts' common start and end in characters is one C-level comparison
(`common_ends`, shared with the taint gates), the changed stretch is split alone, and the line
where it starts is counted from the line the last edit started at (`Spliced.anchor`): typing
moves through a file, so the newlines between two edits are few.
"""

from __future__ import annotations

from typing import NamedTuple

from bastion.model.text import common_ends, common_lines


class Spliced(NamedTuple):
    lines: list[str]  # text.split("\n")
    same_before: int  # the lines it shares with the last text's at the start (common_lines)
    same_after: int  # ... and at the end, of those left
    anchor: tuple[int, int]  # a character offset of the text and the newlines before it


def split_after(text: str, last: str | None, last_lines: list[str], anchor: tuple[int, int]
                ) -> Spliced:
    """`text`'s lines and those it shares with `last` (split into `last_lines`, with `anchor`
    its Spliced.anchor), or with `last_lines` alone when `last` is None."""
    if last is None:
        lines = text.split("\n")
        return Spliced(lines, *common_lines(lines, last_lines), (0, 0))
    head, tail = common_ends(last, text)
    start = last.rfind("\n", 0, head) + 1  # where the first line that may differ starts
    at, newlines = anchor
    if at <= start:
        first = newlines + last.count("\n", at, start)
    else:
        first = newlines - last.count("\n", start, at)
    last_stop = last.find("\n", len(last) - tail)  # the end of the last line that may differ
    if last_stop < 0:
        last_stop, stop = len(last), len(text)
    else:
        stop = last_stop + len(text) - len(last)  # the texts agree from len(last) - tail on
    replaced = last.count("\n", start, last_stop) + 1
    lines = last_lines[:first]
    lines += text[start:stop].split("\n")
    kept = len(last_lines) - first - replaced
    if kept:
        lines += last_lines[len(last_lines) - kept:]
    return Spliced(lines, *common_lines(lines, last_lines, first, kept), (start, first))
