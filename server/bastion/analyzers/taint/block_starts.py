"""Where a module's top-level blocks (or a class body's members, at their indentation) start:
lines that begin a statement at exactly the indentation, outside a triple-quoted string, not
continuing the statement before (`else`, `except`, closing brackets, comments, a backslash) and
not a definition's decorator. `block_starts` scans a text; `Starts` rescans only from the first
line an edit changed. Owned by the block parser (blocks.py), which parses what lies between.
"""

from __future__ import annotations

from bisect import bisect_left

from bastion.deferred_patterns import deferred
from bastion.model.text import common_lines

_CONTINUES = deferred(r"(else|elif|except|finally)\b|[)\]}#]")
_TOKENS = deferred(r"#|\"\"\"|'''|'(?:\\.|[^'\\])*'?|\"(?:\\.|[^\"\\])*\"?")


def block_starts(lines: list[str], lo: int = 0, hi: int | None = None, indent: str = "") -> list[int]:
    """Lines in lo..hi that start a statement at exactly `indent`."""
    hi = len(lines) if hi is None else hi
    starts: list[int] = []
    state: tuple[str | None, bool] = (None, False)
    for number in range(lo, hi):
        starts_here, state = _step(lines, number, state, indent)
        if starts_here:
            starts.append(number)
    return starts


def _step(lines: list[str], number: int, state: tuple[str | None, bool], indent: str
          ) -> tuple[bool, tuple[str | None, bool]]:
    """Whether line `number` starts a block, and the scan's state after it: the triple quote of
    a string still open at the end of the line, and whether a decorator is waiting for its
    definition."""
    quote, decorated = state
    line = lines[number]
    inside = quote is not None
    if quote is not None:
        if quote in line:
            quote = _open_quote(line, quote)
    elif "'" in line or '"' in line:
        quote = _open_quote(line, None)
    width = len(indent)
    if inside or not line.startswith(indent) or len(line) <= width:
        return False, (quote, decorated)
    rest = line[width:]
    if rest[0] in " \t\r\n\f" or _CONTINUES().match(rest):
        return False, (quote, decorated)
    if number and lines[number - 1].rstrip().endswith("\\"):
        return False, (quote, decorated)
    return not decorated, (quote, rest.startswith("@"))


class Starts:
    """`block_starts` of a whole document (or of a long class's body, at its `indent`),
    rescanned from the first line a keystroke changed only until the scan's state agrees with
    the previous text's again: the rest is the previous result, shifted. The scan's states are
    replaced in place and the starts kept as a list: copying a list of every line and reading
    the starts back from a flag a line cost _pydecimal.py 0.6 ms a key. Owned by its
    BlockParser."""

    def __init__(self, indent: str = "") -> None:
        self.indent = indent
        self.lines: list[str] = []
        self.states: list[tuple[str | None, bool]] = []  # after each line
        self.starts: list[int] = []  # the lines that start a block

    def __call__(self, lines: list[str], ends: tuple[int, int] | None = None) -> list[int]:
        """`ends`: the lines `lines` and its last text share at the start and at the end, when
        the caller has counted them."""
        old, old_states = self.lines, self.states
        prefix, suffix = common_lines(lines, old) if ends is None else ends
        shift = len(lines) - len(old)
        state = old_states[prefix - 1] if prefix else (None, False)
        states: list[tuple[str | None, bool]] = []
        starts: list[int] = []
        number, resume = prefix, len(old)  # the old states from `resume` on are kept
        while number < len(lines):
            was = number - shift  # the same line in the previous document
            if (number >= len(lines) - suffix and number > 0 and was > 0
                    and old_states[was - 1] == state and old[was - 1] == lines[number - 1]):
                resume = was
                break
            starts_here, state = _step(lines, number, state, self.indent)
            states.append(state)
            if starts_here:
                starts.append(number)
            number += 1
        old_states[prefix:resume] = states
        kept = self.starts
        before, after = bisect_left(kept, prefix), bisect_left(kept, resume)
        self.starts = kept[:before] + starts + ([n + shift for n in kept[after:]] if shift else kept[after:])
        self.lines = lines
        return self.starts  # a new list each call: a class's is kept by its digest


def _open_quote(line: str, quote: str | None) -> str | None:
    """The triple quote still open after `line`, given the one open before it."""
    position = 0
    while True:
        if quote is not None:
            end = line.find(quote, position)
            if end < 0:
                return quote
            position, quote = end + 3, None
            continue
        match = _TOKENS().search(line, position)
        if match is None:
            return None
        token = match.group(0)
        if token == "#":
            return None
        if token in ('"""', "'''"):
            quote = token
        position = match.end()
