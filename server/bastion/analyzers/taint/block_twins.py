"""Blocks moved by an edit above them: the block parser (blocks.py) keys a tree by its text and
first line, so an Enter parses every block below it again, to new nodes. What a walk of such a
block finds but its lines is what it found in the last parse of the same text: each new
statement (and a class's members) is paired with the one at its place in that parse, in the
memo the analysis keeps its walks in by node (nodes.TWIN; `kept_by_node(..., moved=True)` reads
them). Before, the first key after opening argparse.py (an Enter) walked every function below
it again for the module's calls, its classes' Content-Type and its guard helpers (~40 ms).
"""

from __future__ import annotations

import ast

from bastion.analyzers.taint.nodes import TWIN
from bastion.engine.cache import LRU


class Twins:
    """The statements each block text was last parsed to, by (digest, indent), with its first
    line; `memo`: where the pairs go (the analyzer's, None: not kept)."""

    def __init__(self, memo: LRU | None, size: int = 8192) -> None:
        self._memo = memo
        self._last: LRU[tuple[bytes, str], tuple[int, list[ast.stmt]]] = LRU(size)

    def forget(self) -> None:
        self._last.clear()

    def parsed(self, digest: bytes, start: int, indent: str, statements: list[ast.stmt]) -> None:
        """`statements`, newly parsed from a block of that digest at `start`: paired with those
        the same text was last parsed to at another line."""
        if self._memo is None:
            return
        key = (digest, indent)
        last = self._last.get(key)
        self._last.put(key, (start, statements))
        if last is not None and last[0] != start:
            _pair(self._memo, last[1], statements)


def _pair(memo: LRU, old: list[ast.stmt], new: list[ast.stmt]) -> None:
    if len(old) != len(new):
        return
    for before, now in zip(old, new, strict=True):
        if type(before) is not type(now):
            return
        memo.put((TWIN, id(now)), (now, before))
        if isinstance(now, ast.ClassDef):  # a short class is one block: its members are asked
            _pair(memo, before.body, now.body)
