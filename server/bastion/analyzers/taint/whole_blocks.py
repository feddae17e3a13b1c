"""A block's statements read from the whole file's tree instead of parsing the block again.

When the language server opens a document from the result cache, the engine parses it whole to
split it into units, then the taint analysis's block parser parsed each block once more (~60 ms
of the ~190 ms warm-up on _pydecimal.py). A block whose lines hold whole statements of the tree
and nothing else but blank and comment lines parses to those statements (the grammar starts
afresh at each statement), so they are taken as they are. Any other block (a split that cuts a
statement, code the scanner read wrongly) is parsed as before.

Not used when a line break of the tokenizer is not one of `text.split("\\n")` (a lone "\\r":
the tree's line numbers would not be the lines'), nor when `barry_as_FLUFL` may change the
grammar of the lines after it.
"""

from __future__ import annotations

import ast
from bisect import bisect_left


class WholeStatements:
    """The statements of one text's whole tree, by the lines of its blocks. Lives for one parse."""

    def __init__(self, lines: list[str], tree: ast.Module) -> None:
        self._lines = lines
        self._module = _Body(tree.body)
        self._classes: dict[int, _Body | None] = {}  # by the start line of a top-level class

    @classmethod
    def of(cls, text: str, lines: list[str], tree: ast.Module | None) -> WholeStatements | None:
        if tree is None or text.count("\r") != text.count("\r\n") or "barry_as_FLUFL" in text:
            return None
        return cls(lines, tree)

    def block(self, start: int, end: int, indent: str) -> list[ast.stmt] | None:
        """The statements of lines [start, end) (0-based) at `indent` (a long top-level class's
        members when not ""), or None when those lines are not whole statements of the tree."""
        body = self._module if not indent else self._class_at(start)
        if body is None:
            return None
        statements = body.within(start, end)
        if statements is None:
            return None
        covered = start
        for node in statements:
            if not _quiet(self._lines, covered, _first(node)):
                return None
            covered = node.end_lineno
        if not _quiet(self._lines, covered, end):
            return None
        return statements

    def _class_at(self, line: int) -> _Body | None:
        index = self._module.holding(line)
        if index is None:
            return None
        node = self._module.statements[index]
        if not isinstance(node, ast.ClassDef):
            return None
        body = self._classes.get(index)
        if body is None:
            body = self._classes[index] = _Body(node.body)
        return body


class _Body:
    """A list of statements with their line ranges, 0-based [first, end)."""

    def __init__(self, statements: list[ast.stmt]) -> None:
        self.statements = statements
        self.firsts = [_first(node) for node in statements]
        self.ends = [node.end_lineno for node in statements]

    def holding(self, line: int) -> int | None:
        index = bisect_left(self.ends, line + 1)
        if index < len(self.statements) and self.firsts[index] <= line:
            return index
        return None

    def within(self, start: int, end: int) -> list[ast.stmt] | None:
        """The statements in [start, end); None when one starts before either and ends after it."""
        lo = bisect_left(self.ends, start + 1)  # the first that ends after `start`
        hi = bisect_left(self.firsts, end)  # the first that starts at or after `end`
        if lo < len(self.statements) and self.firsts[lo] < start:
            return None
        if hi > lo and self.ends[hi - 1] > end:
            return None
        return self.statements[lo:hi]


def _first(node: ast.stmt) -> int:
    """The node's first line, 0-based: its first decorator's for a decorated definition."""
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno] + [d.lineno for d in decorators or ()]) - 1


def _quiet(lines: list[str], lo: int, hi: int) -> bool:
    """Lines lo..hi hold no code: blank or comments."""
    for number in range(lo, hi):
        line = lines[number].strip()
        if line and not line.startswith("#"):
            return False
    return True
