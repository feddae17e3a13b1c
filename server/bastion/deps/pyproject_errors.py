"""A keystroke that leaves a pyproject.toml not valid TOML (a dependency's string being typed),
told from its last valid text without parsing the whole text: tomllib's error, at the same
place and in the same words as a whole parse gives it.

tomllib reads a text from its start and stops at the first error; where it is at the start of a
line depends only on the text before it. The text above the first changed line is the last
valid text's, and there that line starts
- among an array's values, when the last token before it (past blank and comment lines outside
  multi-line strings) is a `[` or a `,` (valid TOML has those at a line's end in arrays only);
- or at a statement, when the line before it is a `key = "string"` (the key bare, quoted or
  dotted) or a `[table]` or `[[array of tables]]` header (one that no array's value reads as:
  `["a"]` and `[[true]]` may be either).
tomllib is then given that line and a few after it, behind `x=[` and a line end in the first
case (the same state: after an array's `[` or `,`, among blanks, line ends and comments), behind
a line end in the second; an error it reports there is the whole parse's, the line number
moved, when tomllib read the same way up to it:
- among values, until the array closes: no `]` closes it before the error (strings and comments
  are skipped as tomllib reads them; no multi-line string, whose quotes this reading does not
  follow); what tomllib decides at a place reads no further than that line's end, so the lines
  given end at a line end or the text's end (but for a literal string's closing quote, which it
  looks for past the line, then stops at the line end: one left open at their end is given the
  rest of the text, which tomllib does not read but for that quote); when it reads them all
  still among values (an array opened there), the rest of the text is given: tomllib stops at
  the error, wherever it is, having read no more than a whole parse would past that line; when
  the changed lines opened one array more and those they replaced opened and closed none, the
  values up to the `]` that closes it are the last valid text's, read the same way (a value or
  comma after the changed lines sets the same state in both), so tomllib is given the text
  from that `]`, behind `x=[[` (found by the lexemes, not parsed);
- at a statement, while the statement's key and value are read, before what follows depends on
  the keys written above (a key written twice): the line is a key being typed (bare, quoted or
  dotted parts), with `=` and the start of a string on one line at most, which no value
  completes; or a key, `=` and an array or inline table, its lines given as among values above,
  until it closes.
Otherwise (and for a text that parses there) None: the caller parses the whole text.
tests/unit/test_deps_pyproject_errors.py compares the two on random keystrokes.

State: none.
"""

from __future__ import annotations

import itertools
import re

from bastion.deps import pyproject_items
from bastion.deps.pyproject_items import line_above
from bastion.deps.pyproject_lines import line_start
from bastion.deps.toml_text import TOMLDecodeError, loads
from bastion.model.text import changed_lines, common_ends

_AFTER = 200  # characters past the changed lines given to tomllib (then to the line's end)
_NESTING = 16  # brackets and braces opened in the lines given (tomllib's depth is the text's)
# Characters past which a statement's line is parsed whole: the patterns below read a line of
# keys a character at a time at worst (70-130 ms a megabyte), no faster than tomllib.
_LONG = 10_000
# A basic string's contents on one line (escapes whole), unrolled so that a long line is read in
# runs rather than a character at a time; a literal string.
_BASIC = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*'
_LITERAL = r"'[^'\n]*'"
# What tomllib reads among values, for the brackets outside strings and comments: a basic string
# (to its line's end when left open: tomllib stops there), a literal one, a comment, the rest.
_LEXEME = re.compile(rf"""{_BASIC}"?|'[^'\n]*'?|#[^\n]*|[\[\]{{}}]|[^"'#\[\]{{}}]+""")
_BRACKETED = re.compile(r"^[^\n\[\]{}]*[\[\]{}][^\n]*", re.MULTILINE)  # a line holding one
# What may change how the lines below a changed one are read: a bracket, a brace, a multi-line
# string's quotes.
_STRUCTURE = re.compile(r"""[\[\]{}]|""" + '"""' + "|'''")
_BLANK = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")  # blanks and comments
_LITERAL_LEFT_OPEN = "Expected \"'\" (at end of document)"
_COORDINATES = re.compile(r" \(at (?:line (\d+), column (\d+)|end of document)\)\Z")
# A key part as tomllib reads it: bare, or a basic or literal string on one line.
_PART = rf"""(?:[A-Za-z0-9_-]+|{_BASIC}"|{_LITERAL})"""
_KEY = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
# A header's key that is no array's value (valid text holds both a line `["a"]` or `[[true]]`
# among an array's values and one as a header): its first part bare from a letter and not a
# keyword alone, or a string followed by a dot.
_HEADER_KEY = (rf"""(?:(?!(?:true|false|inf|nan)[ \t]*\])[A-Za-z_][A-Za-z0-9_-]*|{_PART}(?=[ \t]*\.))"""
               rf"(?:[ \t]*\.[ \t]*{_PART})*")
# A key being typed at a statement: its parts, dots and blanks (a string left open at the end),
# then perhaps `=`, then perhaps a string left open; no value is complete, so tomllib stops on
# that line before it asks what the keys above hold.
_KEY_CHARS = r"[A-Za-z0-9_.\- \t]*"
_OPEN_STATEMENT = re.compile(rf"""[ \t]*(?=[^ \t\r\n]){_KEY_CHARS}(?:(?:{_BASIC}"|{_LITERAL}){_KEY_CHARS})*"""
                             rf"""(?:=[ \t]*(?:"[^"\\\n]*|'[^'\n]*)?|{_BASIC}\\?|'[^'\n]*)?"""
                             r"""\r?(?:\n|\Z)""")
# A statement whose value is an array or an inline table: tomllib reads it with no regard to the
# keys above until it closes.
_VALUE_OPENED = re.compile(rf"[ \t]*{_KEY}[ \t]*=[ \t]*[\[{{]")
# A statement on one line: `key = "string"`, a table's or an array of tables' header.
_STATEMENT_END = re.compile(rf"""[ \t]*(?:{_KEY}[ \t]*=[ \t]*(?:{_BASIC}"|{_LITERAL})"""
                            rf"""|\[[ \t]*{_HEADER_KEY}[ \t]*\]|\[\[[ \t]*{_HEADER_KEY}[ \t]*\]\])"""
                            r"""[ \t]*(?:#[^\n]*)?\r?\n""")


def error(layout, text: str) -> str | None:
    """The message of the error a whole parse of `text` raises (None: not told here, or
    none); `layout`: the last valid text's (`pyproject_lines.Layout`)."""
    old = layout.text
    head, tail = common_ends(old, text)
    first, removed, added = changed_lines(old, text, head, tail)
    start = line_start(old, head, first)
    bases = layout.bases if layout.bases is not None else range(old.count("\n") + 1)
    changed = sum(map(len, added))
    if pyproject_items.opens_values(layout, old, start, first, bases):
        # The lines replaced opened and closed nothing: the last valid text read the lines
        # after them among the same array's values.
        settled = not any(_STRUCTURE.search(line) for line in removed)
        return _within("x=[\n", text, start, first, changed, start, settled)
    above = line_above(layout, old, start, first, bases)
    long = len(text) - start > _LONG and text.find("\n", start, start + _LONG) < 0
    if above is None or not added or long or len(above[0]) > _LONG or not _STATEMENT_END.fullmatch(above[0]):
        return None
    if _OPEN_STATEMENT.match(text, start) is not None:
        found = _told("\n", text, start, text.find("\n", start) + 1 or len(text), first)
        return None if found is None else found[0]
    opened = _VALUE_OPENED.match(text, start)
    return None if opened is None else _within("\n", text, start, first, changed, opened.end(), False)


def _within(prefix: str, text: str, start: int, first: int, changed: int, inside: int,
            settled: bool) -> str | None:
    """tomllib's error for `text` read from `start` behind `prefix`, when it is met among the
    values of the array or inline table that `inside` is in (from there at depth 1); `settled`:
    the last valid text had the lines after the changed ones among that array's values, where
    the changed ones start (at depth 1)."""
    end = text.find("\n", start + changed + _AFTER) + 1 or len(text)
    given = text[start:end]
    if '"""' in given or "'''" in given or given.count("[") + given.count("{") > _NESTING:
        return None
    found = _told(prefix, text, start, end, first)
    checked = inside  # whence the array is followed to the error, at depth 1
    depth = None if found is not None or end == len(text) else _depth(text, inside, end)
    if depth is not None:
        # tomllib read the lines given among the values (an array opened there): the error is
        # further, where it stops in the rest of the text; past where that array closes, when
        # it is the one open (tomllib read the values before as the last valid text has them).
        # When the changed lines opened one array more, and a value or comma after them set
        # the same state in both texts, tomllib reads the last valid text's values up to the
        # `]` that closes it (the array around it closed there before).
        read = settled and depth == 2 and _depth(text, start, start + changed) == 2 \
            and not _BLANK.fullmatch(text, start + changed, end)
        closed = _past_close(text, start, end, first) if read else None
        if closed is not None:  # followed up to its `]` already
            found, checked = closed[:2], closed[2] + 1
        else:
            found = _told(prefix, text, start, len(text), first)
        if found is not None and ('"""' in text[start:start + found[1] + 3]
                                  or "'''" in text[start:start + found[1] + 3]):
            return None
    if found is None:
        return None
    message, at = found
    return message if _depth(text, checked, start + at) is not None else None


def _depth(text: str, start: int, end: int) -> int | None:
    """How deep in arrays and inline tables tomllib is at `end`, having read from `start` among
    the values of one (depth 1); None when that one closes before, or more than `_NESTING`
    open."""
    depth = deepest = 1
    # No lexeme spans lines: past the first, only those holding a bracket or a brace are read.
    stop = text.find("\n", start, end)
    lines = [(start, end)] if stop < 0 else itertools.chain(
        [(start, stop)], (line.span() for line in _BRACKETED.finditer(text, stop + 1, end)))
    for begin, finish in lines:
        for lexeme in _LEXEME.finditer(text, begin, finish):
            depth += (lexeme.group() in "[{") - (lexeme.group() in "]}")
            deepest = max(deepest, depth)
            if not depth or deepest > _NESTING + 1:
                return None  # the array closed: tomllib goes on as the text around it says
    return depth


def _past_close(text: str, start: int, end: int, first: int) -> tuple[str, int, int] | None:
    """tomllib's message for `text` read from `start` among an array's values, when at `end` it
    is in one array more (opened in the lines given): read from the `]` that closes that one,
    behind `x=[[` and blanks to the same column, where it is from `start`, and where that `]`
    is (a `[` typed a quarter down a 1 MB dependencies array: tomllib read the other three
    quarters, 45 ms); None when a multi-line string comes before, no `]` closes it, or more
    arrays are open than `_depth` follows."""
    depth = 1
    for line in _BRACKETED.finditer(text, end):
        for lexeme in _LEXEME.finditer(text, *line.span()):
            token = lexeme.group()
            depth += (token in "[{") - (token in "]}")
            if depth > _NESTING:
                return None
            if depth:
                continue
            close = lexeme.start()
            if token != "]" or '"""' in text[end:close] or "'''" in text[end:close]:
                return None
            found = _told_from(text, start, close, first)
            return None if found is None else (*found, close)
    return None


def _told_from(text: str, start: int, close: int, first: int) -> tuple[str, int] | None:
    """tomllib's message for the text from the `]` at `close` on, read as closing an array in
    another (as `_past_close` says), as the whole text's, and where it is from `start`."""
    line_start = text.rfind("\n", 0, close) + 1
    try:
        loads("x=[[\n" + " " * (close - line_start) + text[close:])
    except TOMLDecodeError as exc:
        message = str(exc)
    except RecursionError:
        return None
    else:
        return None
    where = _COORDINATES.search(message)
    if where is None or where.group(1) is None or message == _LITERAL_LEFT_OPEN:
        return None
    line, column = int(where.group(1)), int(where.group(2))
    at = line_start  # where the error's line starts
    for _ in range(line - 2):
        at = text.index("\n", at) + 1
    whole = first + text.count("\n", start, line_start) + line - 1
    return f"{message[:where.start()]} (at line {whole}, column {column})", at + column - 1 - start


def _told(prefix: str, text: str, start: int, end: int, first: int) -> tuple[str, int] | None:
    """tomllib's message for `text` from `start` to `end` behind `prefix` (one line), as the
    whole text's (line `first` at `start`), and where it is from `start`; None when it parses
    or the error is at the end of what was given, not the text's."""
    try:
        loads(prefix + text[start:end])
    except TOMLDecodeError as exc:
        message = str(exc)
    except RecursionError:  # nested deeper below than this reading knows: a whole parse says
        return None
    else:
        return None
    if message == _LITERAL_LEFT_OPEN and end < len(text):
        # The closing quote of a literal string, which tomllib looks for past its line end (then
        # stops there), is not in what was given: the rest is (a search, not a parse).
        return _told(prefix, text, start, len(text), first)
    where = _COORDINATES.search(message)
    if where is None or (where.group(1) is None and end < len(text)):
        return None
    if where.group(1) is None:
        return message, len(text) - start
    line, column = int(where.group(1)), int(where.group(2))
    if line < 2:
        return None
    at = 0  # where the error's line starts, from `start`
    for _ in range(line - 2):
        at = text.index("\n", start + at) + 1 - start
    return (f"{message[:where.start()]} (at line {first + line - 1}, column {column})",
            at + column - 1)
