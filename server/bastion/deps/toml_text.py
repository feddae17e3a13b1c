"""Where TOML values sit in the text: the standard library's parser gives values, not positions.

`string_literals` walks the text once, skipping comments, and yields every string literal's
decoded value with the span of its contents; the manifest parsers match values from `tomllib`
to these spans. Lock files are written by tools one key per line, so a line scan finds them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator

from bastion.model import Span

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)', re.DOTALL)


def loads(text: str) -> dict:
    return tomllib.loads(text)


def _decode_basic(raw: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "uU":
            return chr(int(code[1:], 16))
        return json.loads(f'"\\{code}"') if code in 'btnfr"\\/' else code
    return _ESCAPE.sub(one, raw)


def string_literals(text: str) -> Iterator[tuple[str, Span]]:
    line_starts = [0]
    line_starts.extend(m.end() for m in re.finditer(r"\n", text))

    def where(offset: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo, offset - line_starts[lo]

    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            start = i + len(quote)
            j = start
            while True:
                j = text.find(quote, j)
                if j < 0:
                    return  # unterminated: tomllib has already refused the file
                if c == '"' and _escaped(text, start, j):
                    j += 1
                    continue
                break
            if len(quote) == 3:
                while text.startswith(c, j + 3) and j + 3 < n:  # """a"""" ends on the last quotes
                    j += 1
            raw = text[start:j]
            value = _decode_basic(raw) if c == '"' else raw
            yield value, Span(*where(start), *where(j))
            i = j + len(quote)
        else:
            i += 1


def _escaped(text: str, start: int, j: int) -> bool:
    slashes = 0
    while j - 1 - slashes >= start and text[j - 1 - slashes] == "\\":
        slashes += 1
    return slashes % 2 == 1


class Literals:
    """String literals by value, handed out in document order, each at most once."""

    def __init__(self, text: str) -> None:
        self._by_value: dict[str, list[Span]] = {}
        for value, span in string_literals(text):
            self._by_value.setdefault(value, []).append(span)

    def take(self, value: str) -> Span | None:
        spans = self._by_value.get(value)
        return spans.pop(0) if spans else None
