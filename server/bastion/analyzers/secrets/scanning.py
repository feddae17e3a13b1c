"""One pass of each secret format, and of the generic check, over whole lines of a text.

A finding's message carries the value's redacted form (model/redact.py) and a fingerprint: a
slow, truncated derivation (`fingerprint`) that tells two findings of the same value apart from
two of different values. No other attribute holds the value.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

from bastion.analyzers.secrets.allow import is_test_path
from bastion.analyzers.secrets.formats import FORMATS, TOKEN_CHARS
from bastion.analyzers.secrets.generic import GENERIC_LABEL, generic_secrets
from bastion.filekinds import FileKind
from bastion.model import Finding, Level, Span
from bastion.model.redact import redacted

RULES = {
    "BST301": "aws_credentials",
    "BST302": "provider_token",
    "BST303": "private_key",
    "BST304": "json_web_token",
    "BST305": "password_in_url",
    "BST306": "generic_secret",
}
GENERIC = "BST306"
FINGERPRINT_ROUNDS = 2_000
# Use of Hard-coded Credentials, but for keys: Use of Hard-coded Cryptographic Key.
_CWE = {"BST303": 321}


def fingerprint(value: str) -> str:
    """12 hex digits derived from `value`: the same value, the same fingerprint. Derived slowly
    (PBKDF2, 2,000 rounds): whoever holds a report can still test a guess of a weak password
    against it, but at some milliseconds a guess rather than nanoseconds."""
    # Imported here: hashlib loads OpenSSL's module (~2.5 ms of every start), and most scans
    # find no secret to fingerprint.
    import hashlib

    return hashlib.pbkdf2_hmac("sha256", value.encode("utf-8", "surrogatepass"),
                               b"bastion-secret-fingerprint", FINGERPRINT_ROUNDS, dklen=6).hex()


class _Positions:
    """Offsets of `text[start:end]` (whole lines, the first numbered `first_line`) to (line,
    column), the line starts found only once a match needs them."""

    def __init__(self, text: str, start: int = 0, end: int | None = None, first_line: int = 0) -> None:
        self._text, self._start, self._end, self._first = text, start, end, first_line
        self._starts: list[int] | None = None

    def at(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            lines = self._text[self._start:self._end].split("\n")
            self._starts = list(itertools.accumulate((len(line) + 1 for line in lines),
                                                     initial=self._start))
        line = bisect.bisect_right(self._starts, offset) - 1
        return self._first + line, offset - self._starts[line]


# The order of the generic check's findings after the formats' (Entry).
GENERIC_ORDER = len(FORMATS)
# (order of the format that found it, the value's start offset, the finding)
Entry = tuple[int, int, Finding]


def enabled_formats(present: Callable[[str], bool]) -> frozenset[int]:
    """The formats run on a text in which `present(needle)` tells the needles there."""
    # a list display and `map`, not generators: a step a format and a needle were ~60 calls a key
    return frozenset([order for order, fmt in enumerate(FORMATS)
                      if not fmt.needles or any(map(present, fmt.needles))])


def scan(text: str, path: str, kind: FileKind, enabled: frozenset[int], start: int = 0,
         end: int | None = None, first_line: int = 0) -> list[Entry]:
    """The secrets of `text[start:end]`, whole lines of `text` (the first numbered
    `first_line`), in the order they are reported: by format, then by offset. `enabled`: the
    formats to run (`enabled_formats` of the whole text)."""
    end = len(text) if end is None else end
    positions = _Positions(text, start, end, first_line)
    taken = _Ranges()  # value ranges already reported
    found: list[Entry] = []
    for order, fmt in enumerate(FORMATS):
        if order not in enabled:
            continue
        for match in fmt.pattern.finditer(text, start, end):
            value_start, value_end = match.span("secret")
            if fmt.boundary and value_start and text[value_start - 1] in TOKEN_CHARS:
                continue
            if fmt.end is not None:
                value_end = fmt.end(match, text)
                if value_end is None:
                    continue
            value = text[value_start:value_end]
            if fmt.placeholder(value) or taken.overlaps(value_start, value_end):
                continue
            taken.add(value_start, value_end)
            found.append((order, value_start, _finding(fmt.rule_id, fmt.label, fmt.severity,
                                                      value, positions, value_start, value_end,
                                                      path)))
    if not is_test_path(path):  # generic values in tests and examples are fixtures
        for value_start, value_end in generic_secrets(text, kind, start, end):
            if not taken.overlaps(value_start, value_end):
                found.append((GENERIC_ORDER, value_start, _finding(
                    GENERIC, GENERIC_LABEL, "medium", text[value_start:value_end], positions,
                    value_start, value_end, path)))
    return found


class _Ranges:
    """Disjoint (start, end) ranges, sorted: an overlap test costs a bisection, not a pass."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self._starts, start)
        if at and self._ends[at - 1] > start:
            return True
        return at < len(self._starts) and self._starts[at] < end

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_right(self._starts, start)
        self._starts.insert(at, start)
        self._ends.insert(at, end)


def _finding(rule_id: str, label: str, severity: str, value: str, positions: _Positions,
             start: int, end: int, path: str) -> Finding:
    first, first_col = positions.at(start)
    last, last_col = positions.at(end)
    # A real key in a test or an example is still a leak, but less likely live: medium.
    confidence = Level.MEDIUM if is_test_path(path) or rule_id == GENERIC else Level.HIGH
    return Finding(rule_id, RULES[rule_id], Level.parse(severity), confidence, _CWE.get(rule_id, 798),
                   f"{label} written in the file: {redacted(value)}, fingerprint {fingerprint(value)}",
                   Span(first, first_col, last, last_col), source="bastion",
                   lines=tuple(range(first, last + 1)))
