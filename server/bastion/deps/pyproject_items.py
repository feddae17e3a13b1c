"""Whole lines of a dependencies array's string elements added, removed or retyped in a
pyproject.toml (`  "flask==0.12",`), read from its last read without parsing the TOML.

The lines an edit changes (`changed_lines`) may each be blank or a comment, or hold one string
and a comma at most (and a comment). Those removed must hold elements the last read derived a
requirement from (so the lines sit in a dependencies array, between its tokens); those added, a
string without escapes (its value is its text). Around them, past blank and comment lines
outside multi-line strings, the previous token must be the array's `[` or a `,`, and the next
one must be able to follow the new last element (`]` or `,` after a string without its comma;
`]` or a value after a comma or when no element is left). The new text is then valid TOML with
the same tables and keys, the array holding the new strings in place of the removed ones: a
whole read derives the same calls but those, in the same order, and places the others' findings
by the lines added.

Which array the lines are in, and so where their calls go in the read's order, is told by a
removed element, or the element right after them, or the one whose `,` is right before them.

State: none; `apply` updates the `pyproject_lines.Layout` it is given.
"""

from __future__ import annotations

import array
import bisect
import re

import attrs

from bastion.deps import pyproject

# A line of one string (escapes allowed: removed lines hold elements read whole), its comma, a comment.
_ELEMENT = re.compile(r"""[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*(,?)[ \t]*(?:#[^\n]*)?\r?\n""")
# An added one: no quote, backslash or control character (but a tab) in the string or comment.
_NEW_ELEMENT = re.compile(r"""[ \t]*("[^"\\\x00-\x08\x0a-\x1f\x7f]*"|'[^'\x00-\x08\x0a-\x1f\x7f]*')"""
                          r"""[ \t]*(,?)[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?\n""")
BLANK_LINE = re.compile(r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?\n")  # with its end
_BLANKS = re.compile(r"[ \t]*")
# A line's tokens: blanks, a comment, a basic or a literal string on one line, a run of the rest.
_TOKEN = re.compile(r"""[ \t]+|#.*|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^ \t#"']+""")
_REACH = 200  # blank or comment lines looked past for the tokens around the edit
_AFTER_COMMA = "]\"'[{"  # what may follow a `,` or an array's `[` (a value: the usual ones)
_AFTER_STRING = "],"


@attrs.frozen
class Items:
    at: int  # where the new calls go in the layout's order
    removed: int  # how many calls from `at` the edit removes
    added: tuple[tuple[int, pyproject.Call], ...]  # (line of the edit, call there, as on line 0)
    table: tuple | None = None  # a Poetry table's path, whose keys (`Layout.tables`) change:
    names: frozenset[str] = frozenset()  # those removed
    new_names: frozenset[str] = frozenset()  # those added


def plan(layout, old: str, offset, first: int, removed: list[str], added: list[str],
         bases) -> Items | None:
    """What an edit replacing `removed` (old lines from `first`, the first at offset `offset()`:
    asked once the lines are seen to be elements) with `added` does to the calls, or None when
    it is not one of those above; `bases`: each old line's line in the layout's base."""
    gone, new = elements(removed, _ELEMENT), elements(added, _NEW_ELEMENT)
    if gone is None or new is None or not (gone or new):
        return None  # blank or comment lines only are read by the caller
    if any(not element.group(2) for _number, element in new[:-1]):
        return None  # two strings with no comma between
    comma = not new or bool(new[-1][1].group(2))
    numbers = [_element_call(layout, bases[first + number], element.start(1) + 1, element.end(1) - 1)
               for number, element in gone]
    if None in numbers:
        return None
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None  # not one array's consecutive elements
    start = offset()
    before = _before(layout, old, start, first, bases)
    end = start + sum(map(len, removed))
    after = _after(layout, old, end, first + len(removed), bases)
    if before is None or after is None or before[0] not in "[,":
        return None
    if after[0] not in (_AFTER_COMMA if comma else _AFTER_STRING):
        return None
    if numbers:
        at = numbers[0]
    elif after[1] is not None:
        at = after[1]
    elif before[1] is not None:
        at = before[1] + 1
    else:
        return None
    return Items(at, len(numbers), tuple((number, pyproject.item(element.group(1)[1:-1], (
        0, element.start(1) + 1, 0, element.end(1) - 1))) for number, element in new))


def elements(lines: list[str], pattern: re.Pattern) -> list[tuple[int, re.Match]] | None:
    """The lines that `pattern` matches, with their numbers; None when another is not blank or a
    comment."""
    found = []
    for number, line in enumerate(lines):
        element = pattern.fullmatch(line)
        if element is not None:
            found.append((number, element))
        elif BLANK_LINE.fullmatch(line) is None:
            return None
    return found


def apply(layout, items: Items, first: int, keys: list[float]) -> dict[int, tuple[pyproject.Call, int]]:
    """`layout`'s calls with `items`' removed and placeholders for its new ones (their lines
    in the base: `keys`, the added lines'); the new calls by number, with their text lines."""
    at, gone = items.at, items.removed
    problem = any(isinstance(result, pyproject.Problem) for result in layout.results[at:at + gone])
    count = len(items.added)
    for number in range(at, at + gone):
        index = layout.numbers.index(number)
        del layout.lines[index], layout.numbers[index]
    layout.calls[at:at + gone] = [None] * count
    layout.results[at:at + gone] = [None] * count
    layout.findings[at:at + gone] = [()] * count
    if count != gone:
        moved = count - gone
        layout.numbers = array.array("q", (n + moved if n >= at + gone else n for n in layout.numbers))
    if problem:
        layout.problems = list(pyproject.manifest(layout.results).problems)
    if items.table is not None:
        layout.tables[items.table] = layout.tables[items.table] - items.names | items.new_names
    calls = {}
    for offset, (line, call) in enumerate(items.added):
        key = keys[line]
        index = bisect.bisect_left(layout.lines, key)
        layout.lines.insert(index, key)
        layout.numbers.insert(index, at + offset)
        calls[at + offset] = (pyproject.at_line(call, key), first + line)
    return calls


def _last_tokens(line: str) -> list[tuple[int, int]] | None:
    """The offsets of a line's last two tokens but blanks and the comment; None when the line
    holds what this reading cannot tell."""
    if '"""' in line or "'''" in line:
        return None
    tokens, at = [], 0
    while at < len(line) and line[at] != "#":
        match = _TOKEN.match(line, at)
        if match is None:
            return None
        if line[at] not in " \t":
            tokens.append(match.span())
        at = match.end()
    return tokens[-2:]


def _element_call(layout, key: float, start: int, end: int) -> int | None:
    """The number of the call of the array element whose contents are at `key`, `start` to
    `end`, when it is the only call on that line."""
    low = bisect.bisect_left(layout.lines, key)
    held = layout.numbers[low:bisect.bisect_right(layout.lines, key, low)]
    if len(held) != 1:
        return None
    call = layout.calls[held[0]]
    return held[0] if pyproject.is_item(call) and call[2] == (key, start, key, end) else None


def line_above(layout, old: str, start: int, line: int, bases) -> tuple[str, int] | None:
    """The last line above offset `start` (a line's start, `line`) that is not blank or a
    comment, with its end, and its number; None past `_REACH` lines or in a multi-line string."""
    for _ in range(_REACH):
        line -= 1
        if line < 0 or bases[line] in layout.locked:
            return None
        begin = old.rfind("\n", 0, start - 1) + 1
        text, start = old[begin:start], begin
        if not BLANK_LINE.fullmatch(text):
            return text, line
    return None


def line_below(layout, old: str, end: int, line: int, bases) -> tuple[str, int] | None:
    """`line_above`'s counterpart from offset `end` (a line's start, `line`) down; the last
    line as if it had its end."""
    for _ in range(_REACH):
        if end >= len(old) or line >= len(bases) or bases[line] in layout.locked:
            return None
        stop = old.find("\n", end)
        text = old[end:] + "\n" if stop < 0 else old[end:stop + 1]
        if not BLANK_LINE.fullmatch(text):
            return text, line
        end, line = stop + 1, line + 1
    return None


def opens_values(layout, old: str, start: int, line: int, bases) -> bool:
    """Whether the line at offset `start` (a line's start, `line`) of the valid text `old`
    starts among an array's values: the token before it is the array's `[` or a `,`."""
    before = _before(layout, old, start, line, bases)
    return before is not None and before[0] in "[,"


def _before(layout, old: str, start: int, line: int, bases) -> tuple[str, int | None] | None:
    """The last character of the token before offset `start` (a line's start, `line`), and the
    number of the element call right before it when it is a comma after one."""
    above = line_above(layout, old, start, line, bases)
    tokens = None if above is None else _last_tokens(above[0].rstrip("\r\n"))
    if not tokens:
        return None
    text, line = above
    char = text[tokens[-1][1] - 1]
    if text[slice(*tokens[-1])] != "," or len(tokens) < 2 or text[tokens[-2][0]] not in "\"'":
        return char, None
    string = tokens[-2]
    return char, _element_call(layout, bases[line], string[0] + 1, string[1] - 1)


def _after(layout, old: str, end: int, line: int, bases) -> tuple[str, int | None] | None:
    """The first character of the token at or after offset `end` (a line's start, `line`), and
    the number of the element call it opens when it does."""
    below = line_below(layout, old, end, line, bases)
    if below is None:
        return None
    text, line = below
    column = _BLANKS.match(text).end()
    string = _TOKEN.match(text, column) if text[column] in "\"'" else None
    number = None if string is None else _element_call(
        layout, bases[line], string.start() + 1, string.end() - 1)
    return text[column], number
