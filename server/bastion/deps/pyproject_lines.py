"""A pyproject.toml edited within one line, or by blank or comment lines added or removed, read
from its last read: the calls of `pyproject.read` whose arguments the edit changed, found
without parsing the TOML again.

An edit is read so when it adds and removes no line end, touches no multi-line string, and
leaves the line's tokens as they were but for
- the contents of value strings (one-line, same quotes), the new contents plain: no quote,
  backslash or control character, so each is still one string and its value is its text;
- blanks beside a string, a comment or the line's ends (between two bare tokens a blank may
  mean something: `1979-05-27 07:32:00`), and the comment, free of control characters.
The new text is then valid TOML when the old one was, with the same tables, keys and value
types: a whole read would derive the same calls, but that those holding a place on that line
see it moved, and a changed string's value. Whether a string is a value (not a quoted key) is
asked of the last whole read, whose line held the same tokens.

Lines that are blank or hold only a comment may be added or removed (Enter, a line joined to an
empty one, a comment line) anywhere but after a multi-line string's lines: outside strings,
valid TOML has line ends only between statements or between an array's tokens, where such lines
mean nothing. So may a dependencies array's elements, a line each (`pyproject_items`), and a
Poetry table's `name = "version"` lines (`pyproject_entries`); a line edited so that it is or
was one is read as a line replaced. Calls, their results and the last whole read's tables stay
in that read's lines (`Layout.bases` maps the text's lines to them; an added line gets a
fraction of a line, and a dependency added there a call on it, whose findings are derived at
the text's line); the findings of the calls below the edit move by the lines
added, unless a call holds places on both sides.

Any other edit is left to a whole read (None). The layout is that of the last valid text (a text
that is not valid TOML is read whole, or told by `pyproject_errors`, and the next one compared
with the last valid one).
tests/unit/test_deps_pyproject_lines.py compares the two on random edits.

State: a `Layout` belongs to the `pyproject_memo.Memo` entry of one document, which updates it.
"""

from __future__ import annotations

import array
import bisect
import math
import re

import attrs

from bastion.deps import pyproject, pyproject_entries, pyproject_items
from bastion.deps.pyproject_items import BLANK_LINE
from bastion.deps.toml_keys import KeyIndex, Place
from bastion.model.text import changed_lines, common_ends

# A line's tokens: blanks, a comment, a basic or a literal string on one line, a run of the rest.
_TOKEN = re.compile(r"""[ \t]+|#.*|"(?:[^"\\]|\\.)*"|'[^']*'|[^ \t#"']+""")
_PLAIN = re.compile(r"""[^"'\\\x00-\x08\x0a-\x1f\x7f]*""")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # not in a comment (a tab is)
_LONE_CR = re.compile(r"\r(?!\n)")
_FIXED = "fixed"  # a run, or blanks between two runs: kept as written
Token = tuple[str, int, int]  # kind (_FIXED, or a string's quote), start and end column


@attrs.define
class Layout:
    """What an edit within a line is read from; arrays, not lists or dicts: a 5 MB file has
    200,000 dependencies, and a document's layout lives as long as its memo entry."""

    text: str  # the text `calls` were derived from
    base: str  # the text last read whole
    line_starts: array.array  # of `base`
    values: array.array  # where string values' contents start in `base`, ascending
    calls: list[pyproject.Call]
    results: list  # of each call
    findings: list[tuple]  # of each call (the memo's)
    problems: list  # the results that are problems
    lines: array.array  # the lines calls hold a place on, ascending (floats: see `bases`)
    numbers: array.array  # the call holding a place on each of `lines`
    locked: frozenset[int]  # the lines of multi-line strings
    spread: list[tuple[int, int]]  # the first and last lines of calls holding places on two
    # Lines above are those of `base` (the calls', results' and `problems`'); `findings` are at
    # the text's lines; each line of the text -> its line in `base` (a fraction: added, ascending;
    # a dependency written there holds it), None: the same.
    bases: array.array | None = None
    tables: dict[tuple, set[str]] = attrs.Factory(dict)  # each Poetry table's keys

    @classmethod
    def of(cls, text: str, keys: KeyIndex, calls: list[pyproject.Call], results: list,
           findings: list[tuple]) -> Layout:
        starts = array.array("q", keys.line_starts())
        spans = keys.string_spans()
        held = sorted({(place[0], number) for number, call in enumerate(calls)
                       for place in pyproject.places(call)})
        spread = [(min(lines), max(lines)) for lines in (
            {place[0] for place in pyproject.places(call)} for call in calls) if len(lines) > 1]
        locked: set[int] = set()
        if '"""' in text or "'''" in text:
            for start, end in spans:
                # From the opening quotes' line; a line end right after them is not in the value
                if text.find("\n", start - 1, end) >= 0:
                    locked.update(range(bisect.bisect_right(starts, start - 1) - 1,
                                        bisect.bisect_right(starts, end)))
        problems = list(pyproject.manifest(results).problems)
        return cls(text, text, starts, array.array("q", sorted(start for start, _end in spans)),
                   list(calls), list(results), findings, problems,
                   array.array("d", (line for line, _number in held)),
                   array.array("q", (number for _line, number in held)), frozenset(locked), spread,
                   tables=keys.children(pyproject.poetry_table) if "poetry" in text else {})

    def problems_now(self) -> list:
        """`problems` at the text's lines."""
        if self.bases is None:
            return list(self.problems)
        return [attrs.evolve(problem, line=bisect.bisect_left(self.bases, problem.line))
                for problem in self.problems]


Changed = dict[int, tuple[pyproject.Call, int]]  # by number: a call and its line in the text


def reread(layout: Layout, text: str) -> Changed | None:
    """The calls whose arguments differ in `text` from `layout.text` (new ones have None in
    `layout`), with their lines in the text; None when the edit is not one of those above. On
    a change of lines, `layout` is updated to `text`."""
    old = layout.text
    head, tail = common_ends(old, text)
    if _breaks(old[head:len(old) - tail]) or _breaks(text[head:len(text) - tail]):
        return _lines_changed(layout, text, head, tail)
    found = _within_line(layout, text, head)
    # A line that was or becomes an array's element is read as a line replaced.
    return found if found is not None else _lines_changed(layout, text, head, tail)


def _within_line(layout: Layout, text: str, head: int) -> Changed | None:
    old = layout.text
    start = old.rfind("\n", 0, head) + 1
    here = old.count("\n", 0, start)
    line = here if layout.bases is None else layout.bases[here]
    line = int(line) if float(line).is_integer() else line
    if line in layout.locked:
        return None
    old_line, new_line = _line(old, start), _line(text, start)
    before, after = _tokens(old_line), _tokens(new_line)
    if before is None or after is None or len(before[0]) != len(after[0]) \
            or _CONTROL.search(after[1]):
        return None
    pairs = []
    strings = 0
    for (kind, old_start, old_end), (new_kind, new_start, new_end) in zip(before[0], after[0], strict=True):
        was, now = old_line[old_start:old_end], new_line[new_start:new_end]
        if kind != new_kind or (kind == _FIXED and was != now):
            return None
        changed = was != now
        if changed and (not _PLAIN.fullmatch(now, 1, len(now) - 1)
                        or not _is_value(layout, line, strings, before[0])):
            return None
        strings += kind != _FIXED
        pairs.append((old_start, old_end, new_start, new_end, changed))

    def move(place: Place) -> tuple[Place, str | None] | None:
        if place[0] != line:
            return place, None
        first, last = place[1], place[3]
        for old_start, old_end, new_start, new_end, changed in pairs:
            if old_start <= first and last <= old_end and place[2] == line:
                if not changed:
                    moved = new_start - old_start
                    return (line, first + moved, line, last + moved), None
                if (first, last) == (old_start + 1, old_end - 1):  # a string's contents
                    return (line, new_start + 1, line, new_end - 1), new_line[new_start + 1:new_end - 1]
        return None

    found = {}
    first = bisect.bisect_left(layout.lines, line)
    for number in layout.numbers[first:bisect.bisect_right(layout.lines, line, first)]:
        call = pyproject.relocated(layout.calls[number], move)
        if call is None:
            return None
        if call != layout.calls[number]:
            found[number] = (call, here)
    return found


def _lines_changed(layout: Layout, text: str, head: int, tail: int) -> Changed | None:
    """When `text` is `layout.text` with blank or comment lines, or an array's elements
    (`pyproject_items`), added or removed: `layout` updated to it, and the new calls; else
    None."""
    old = layout.text
    # A line end removed after a carriage return (the last line's is not compared): not valid TOML
    if _LONE_CR.search(text[max(head - 1, 0):len(text) - tail + 2]):
        return None
    first, removed, added = changed_lines(old, text, head, tail)
    bases = layout.bases if layout.bases is not None else array.array("d", range(old.count("\n") + 1))
    items = None
    if not all(BLANK_LINE.fullmatch(line) for line in (*removed, *added)):
        items = pyproject_items.plan(layout, old, lambda: line_start(old, head, first), first,
                                     removed, added, bases)
        if items is None:
            items = pyproject_entries.plan(layout, old, lambda: line_start(old, head, first), first,
                                           removed, added, bases)
        if items is None:
            return None
    before = bases[first - 1] if first else -1.0
    if before in layout.locked:  # lines in a multi-line string follow one of its lines
        return None
    after = bases[first + len(removed)] if first + len(removed) < len(bases) else None
    keys = _keys(before, after, len(added))
    if keys is None:
        return None
    moved = len(added) - len(removed)
    if moved and after is not None and any(low < after <= high for low, high in layout.spread):
        return None
    found = {} if items is None else pyproject_items.apply(layout, items, first, keys)
    if moved and after is not None:
        for number in set(layout.numbers[bisect.bisect_left(layout.lines, after):]):
            if layout.findings[number]:
                layout.findings[number] = tuple(f.shifted(moved) for f in layout.findings[number])
    bases[first:first + len(removed)] = array.array("d", keys)
    layout.bases, layout.text = bases, text
    return found


def _keys(before: float, after: float | None, count: int) -> list[float] | None:
    """Lines in the base for `count` lines added between two with those: fractions, ascending,
    between `before` and the next whole line (None when floats cannot tell them apart)."""
    high = math.floor(before) + 1 if after is None else min(after, math.floor(before) + 1)
    keys = [before + (high - before) * (n + 1) / (count + 1) for n in range(count)]
    if any(low >= key for low, key in zip([before, *keys], [*keys, high], strict=True)):
        return None
    return keys


def line_start(text: str, head: int, line: int) -> int:
    """The offset of `line`, at or after the line holding offset `head` (the text's length for
    a line after its last, unended one: `changed_lines` counts it)."""
    start = text.rfind("\n", 0, head) + 1
    for _ in range(line - text.count("\n", 0, start)):
        start = text.find("\n", start) + 1 or len(text)
    return start


def _breaks(changed: str) -> bool:
    return "\n" in changed or "\r" in changed


def _line(text: str, start: int) -> str:
    """The line starting at `start`, without its line end ("\\r\\n" included)."""
    end = text.find("\n", start)
    line = text[start:] if end < 0 else text[start:end]
    return line[:-1] if line.endswith("\r") else line


def _tokens(line: str) -> tuple[list[Token], str] | None:
    """A line's tokens but blanks (those between two runs are kept, as one run) and its
    comment; None for a line that holds what a one-line reading cannot tell."""
    if '"""' in line or "'''" in line:
        return None
    tokens: list[Token] = []
    blanks: list[bool] = []
    comment, at = "", 0
    while at < len(line):
        match = _TOKEN.match(line, at)
        if match is None:
            return None
        first = line[at]
        if first == "#":
            comment = match.group()
        elif first in " \t":
            blanks.append(True)
            tokens.append((_FIXED, at, match.end()))
        else:
            blanks.append(False)
            tokens.append((first if first in "\"'" else _FIXED, at, match.end()))
        at = match.end()
    kept = [token for number, token in enumerate(tokens) if not blanks[number] or (
        0 < number < len(tokens) - 1 and tokens[number - 1][0] == tokens[number + 1][0] == _FIXED)]
    return kept, comment


def _is_value(layout: Layout, line: float, number: int, tokens: list[Token]) -> bool:
    """Whether the `number`th string on `line` is a value, as the last whole read saw it (or,
    on a line added since, `pyproject_items`: one that a call holds); `tokens`: the line's
    now."""
    if not float(line).is_integer():
        string = [token for token in tokens if token[0] != _FIXED][number]
        low = bisect.bisect_left(layout.lines, line)
        return any(pyproject.places(layout.calls[held])[0][1] == string[1] + 1
                   for held in layout.numbers[low:bisect.bisect_right(layout.lines, line, low)])
    start = layout.line_starts[line]
    tokens = _tokens(_line(layout.base, start))
    if tokens is None:
        return False
    strings = [token for token in tokens[0] if token[0] != _FIXED]
    if number >= len(strings):
        return False
    contents = start + strings[number][1] + 1
    at = bisect.bisect_left(layout.values, contents)
    return at < len(layout.values) and layout.values[at] == contents
