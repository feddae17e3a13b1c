"""Where a module's functions are, for what an analysis holds of lines: a line is told by the
function holding it and how far into it it is (`Places.relative`), so that what callers are keyed
by (a callee's summary fingerprint, fingerprints.py) does not change when an Enter above the
callee moves it, and an outcome reused after such an Enter is shifted function by function
(moves.py). Built per analysed text (analysis.py), from its module context.
"""

from __future__ import annotations

from bisect import bisect_right

from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.moves import first_line
from bastion.analyzers.taint.wrappers import MODULE_BODY


class Places:
    """The 0-based line span of each function of the module by its name (decorators included),
    made when first asked. The module's top-level code is no function here: its statements
    are far apart, and its lines are told as they are (its cache key holds its places)."""

    def __init__(self, module: ModuleContext) -> None:
        self._module = module
        self._spans: list[tuple[int, int, str]] | None = None  # (first, last, name), by first
        self._firsts: list[int] = []
        self._reach: list[int] = []  # the last line of the spans up to each, at most
        self._by_name: dict[str, tuple[int, int]] = {}

    def span(self, name: str) -> tuple[int, int] | None:
        """(first, last) line of the function `name`; None when there is none. Read from the
        function, not from the spans of all (sorted, 1,000 calls a key in argparse.py): a
        keystroke asks it of the function it edits, and of the callees whose lines it holds."""
        if self._spans is not None:
            return self._by_name.get(name)
        function = self._module.function_named(name) if name != MODULE_BODY else None
        if function is None:
            return None
        return first_line(function.node), (function.node.end_lineno or function.node.lineno) - 1

    def owner(self, line: int) -> tuple[str, int, int] | None:
        """(name, first, last) of the innermost function holding `line`; None at top level."""
        spans = self._build()
        index = bisect_right(self._firsts, line) - 1
        while index >= 0 and self._reach[index] >= line:
            first, last, name = spans[index]
            if last >= line:
                return name, first, last
            index -= 1
        return None

    def relative(self, line: int) -> tuple[str, int] | int:
        """`line` as (its function, lines into it), or as it is at top level."""
        found = self.owner(line)
        return line if found is None else (found[0], line - found[1])

    def _build(self) -> list[tuple[int, int, str]]:
        if self._spans is None:
            module = self._module
            # a function a later one of the same name hides is looked up by no name: at top level
            self._spans = sorted(
                (first_line(f.node), (f.node.end_lineno or f.node.lineno) - 1, f.name)
                for f in module.functions
                if f.name != MODULE_BODY and module.function_named(f.name) is f)
            self._firsts = [first for first, _, _ in self._spans]
            reach = -1
            for _, last, _ in self._spans:
                reach = max(reach, last)
                self._reach.append(reach)
            self._by_name = {name: (first, last) for first, last, name in self._spans}
        return self._spans
