"""Where TOML values sit in the text: the standard library's parser gives values, not positions.

`KeyIndex(text)` walks a document that `tomllib` has accepted once, from start to end, and
records for every key path (`("tool", "poetry", "dependencies", "requests", "version")`, array
elements by position, `[[array]]` tables by their number) where its name is first written and,
for a string, the span of its contents. Dotted keys (`requests.version = "1"`,
`tool.poetry.dependencies.requests = "1"`), quoted keys, inline tables and arrays give the same
paths as `tomllib` gives dict keys and list positions, so the manifest parsers take values from
`tomllib` and look their text up here, in one pass whatever the number of keys (looking each key
up from its table's header was quadratic).

The walk trusts the document to be valid TOML (the caller parsed it first): it does not check
what `tomllib` checks, only skips values by their shape.
"""

from __future__ import annotations

import bisect
import re

Path = tuple  # of str (keys) and int (array positions)
# (start line, start column, end line, end column): a Span's fields, kept as a tuple because the
# editor's memos hash one per dependency on every read.
Place = tuple[int, int, int, int]

_SPACE = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")  # blanks, newlines and comments
_INLINE = re.compile(r"[ \t]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# One character per repetition: with `[^"]+` inside `(...)*`, a string left open (a text the
# walk misreads) backtracks exponentially: 133 s for 30 characters.
_BASIC = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_LITERAL = re.compile(r"'([^'\n]*)'")
_ML_BASIC = re.compile(r'"""((?:[^"\\]|\\.|"{1,2}(?!"))*"{0,2})"""', re.DOTALL)
_ML_LITERAL = re.compile(r"'''((?:[^']|'{1,2}(?!'))*'{0,2})'''")
# A number, boolean or date-time; a local date-time may hold one space (`1979-05-27 07:32:00`).
_BARE_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}[ Tt]\d{2}:[^\s,\]}#]*|[^\s,\]}#]+")
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[ \t]*\n[ \t\n]*|.)')
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\",
            "e": "\x1b"}


class KeyIndex:
    """Key paths of one TOML document to where they are written. Offsets are kept; places are
    made when asked (a large lock file has tens of thousands of keys, most never asked for)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._names: dict[Path, tuple[int, int]] = {}  # first place each path's last key is
        self._strings: dict[Path, tuple[int, int]] = {}  # a string value's contents
        self._line_starts: list[int] | None = None
        self._walk()

    def name(self, path: Path) -> Place | None:
        where = self._names.get(path)
        return None if where is None else self._place(*where)

    def string(self, path: Path) -> tuple[Place, str] | None:
        """The place of the string value at `path` and its contents as written (escapes
        undecoded: a caller that edits the text checks it against the value)."""
        where = self._strings.get(path)
        return None if where is None else (self._place(*where), self._text[where[0]:where[1]])

    def children(self, parent) -> dict[Path, set[str]]:
        """The keys written under each path that `parent(path)` accepts."""
        found: dict[Path, set[str]] = {}
        for path in self._names:
            if path and parent(path[:-1]):
                found.setdefault(path[:-1], set()).add(path[-1])
        return found

    def string_spans(self) -> list[tuple[int, int]]:
        """The offsets of every string value's contents."""
        return list(self._strings.values())

    def line_starts(self) -> list[int]:
        """Where each line starts ("\n" ends a line)."""
        return self._starts()

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", self._text))]
        return self._line_starts

    def _place(self, start: int, end: int) -> Place:
        starts = self._starts()
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_right(starts, end, lo=first) - 1
        return first, start - starts[first], last, end - starts[last]

    # The walk ----------------------------------------------------------------------------

    def _walk(self) -> None:
        text, n = self._text, len(self._text)
        table: Path = ()
        arrays: dict[Path, int] = {}  # an array of tables' path -> its last table's number
        pos = _SPACE.match(text, 0).end()
        while pos < n:
            if text[pos] == "[":
                array = text.startswith("[[", pos)
                pos = _INLINE.match(text, pos + (2 if array else 1)).end()
                parts, pos = self._key(pos)
                pos += 2 if array else 1
                table = self._resolve(parts, arrays, array)
                if array:
                    number = arrays.get(table, -1) + 1
                    arrays[table] = number
                    table = (*table, number)
                    self._names.setdefault(table, parts[-1][1])
            else:
                parts, pos = self._key(pos, table)
                pos = _INLINE.match(text, pos + 1).end()  # past `=`
                pos = self._value(pos, (*table, *(name for name, _ in parts)))
            pos = _SPACE.match(text, pos).end()

    def _resolve(self, parts: list[tuple[str, tuple[int, int]]], arrays: dict[Path, int],
                 array: bool) -> Path:
        """A header's path: a part that names an array of tables means its last table (but
        the last part of an `[[array]]` header, which adds one)."""
        path: Path = ()
        for number, (name, where) in enumerate(parts):
            path = (*path, name)
            self._names.setdefault(path, where)
            if path in arrays and not (array and number == len(parts) - 1):
                path = (*path, arrays[path])
        return path

    def _key(self, pos: int, table: Path | None = None) -> tuple[list, int]:
        """The parts of the (dotted) key at `pos`, each with its offsets, and the offset after
        it and the blanks that follow; names are recorded under `table` when given."""
        text = self._text
        parts = []
        path = table
        while True:
            char = text[pos]
            if char == '"':
                match = _BASIC.match(text, pos)
                name = _decode(match.group(1))
            elif char == "'":
                match = _LITERAL.match(text, pos)
                name = match.group(1)
            else:
                match = _BARE_KEY.match(text, pos)
                name = match.group()
            where = (match.start(), match.end())
            parts.append((name, where))
            if path is not None:
                path = (*path, name)
                self._names.setdefault(path, where)
            pos = _INLINE.match(text, match.end()).end()
            if text[pos] != ".":
                return parts, pos
            pos = _INLINE.match(text, pos + 1).end()

    def _value(self, pos: int, path: Path) -> int:
        """Records the value at `pos` (and what it holds) under `path`; the offset after it."""
        text = self._text
        char = text[pos]
        if char == '"' or char == "'":
            if text.startswith(char * 3, pos):
                match = (_ML_BASIC if char == '"' else _ML_LITERAL).match(text, pos)
                start = match.start(1)
                if text[start] == "\n":  # a newline right after the opening quotes is trimmed
                    start += 1
            else:
                match = (_BASIC if char == '"' else _LITERAL).match(text, pos)
                start = match.start(1)
            self._strings[path] = (start, match.end(1))
            return match.end()
        if char == "[":
            number = 0
            pos = _SPACE.match(text, pos + 1).end()
            while text[pos] != "]":
                pos = _SPACE.match(text, self._value(pos, (*path, number))).end()
                number += 1
                if text[pos] == ",":
                    pos = _SPACE.match(text, pos + 1).end()
            return pos + 1
        if char == "{":
            pos = _SPACE.match(text, pos + 1).end()
            while text[pos] != "}":
                parts, pos = self._key(pos, path)
                pos = _INLINE.match(text, pos + 1).end()
                pos = _SPACE.match(text, self._value(pos, (*path, *(p for p, _ in parts)))).end()
                if text[pos] == ",":
                    pos = _SPACE.match(text, pos + 1).end()
            return pos + 1
        return _BARE_VALUE.match(text, pos).end()


def _decode(raw: str) -> str:
    """A basic string's escapes decoded (keys are compared with tomllib's decoded keys)."""
    if "\\" not in raw:
        return raw

    def one(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in " \t\n":  # a line-ending backslash (multi-line strings only)
            return ""
        return _ESCAPES.get(code, code)
    return _ESCAPE.sub(one, raw)
