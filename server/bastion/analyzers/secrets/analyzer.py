"""The secrets analyzer: one pass of each format over the whole text, of Python files (as the
`Analyzer` protocol's whole-file check) and of every text kind (as a `TextAnalyzer`).

A finding's message carries the value's redacted form (model/redact.py) and a fingerprint: a
keyed, truncated digest that tells two findings of the same value apart from two of different
values without saying anything usable about either. No other attribute holds the value.
"""

from __future__ import annotations

import ast
import bisect
import hashlib

from bastion.analyzers.secrets.allow import is_placeholder, is_test_path
from bastion.analyzers.secrets.formats import FORMATS, Format
from bastion.analyzers.text_base import TextFix
from bastion.filekinds import TEXT_KINDS, FileKind
from bastion.model import Finding, Level, Span
from bastion.model.redact import redacted

RULES = {
    "BST301": "aws_credentials",
}
VERSION = "1"
_CWE = 798  # Use of Hard-coded Credentials


def fingerprint(value: str) -> str:
    """12 hex digits of a keyed digest of `value`: the same value, the same fingerprint."""
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=6,
                           person=b"bastion-secret").hexdigest()


class _Positions:
    """Offsets of the text to (line, column), the line starts found only once a match needs them."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def at(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            starts, at = [0], self._text.find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = self._text.find("\n", at + 1)
            self._starts = starts
        line = bisect.bisect_right(self._starts, offset) - 1
        return line, offset - self._starts[line]


class SecretsAnalyzer:
    id = "secrets"
    version = VERSION
    kinds = TEXT_KINDS

    def rule_ids(self) -> dict[str, str]:
        return dict(RULES)

    def nosec_ids(self) -> dict[str, str]:
        return {}

    def analyse_unit(self, unit) -> list[Finding]:
        return []  # a secret is found in the file's text, once, by analyse_file

    def dependency_key(self, text: str, path: str) -> str:
        return ""  # a file's secrets are in its own text

    def reads_whole(self, function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
        return False

    def analyse_file(self, text: str, path: str) -> list[Finding]:
        return self.analyse_text(text, path, FileKind.PYTHON)

    def fixes(self, text: str, path: str, kind: FileKind, finding: Finding) -> list[TextFix]:
        return []  # moving a secret out of a file is the user's call (see the lessons)

    def analyse_text(self, text: str, path: str, kind: FileKind) -> list[Finding]:
        positions = _Positions(text)
        taken: list[tuple[int, int]] = []  # value ranges already reported
        found: list[Finding] = []
        for fmt in FORMATS:
            for match in fmt.pattern.finditer(text):
                start, end = match.span(fmt.group)
                value = match.group(fmt.group)
                if _overlaps(taken, start, end) or is_placeholder(value):
                    continue
                if fmt.accept is not None and not fmt.accept(match, text):
                    continue
                taken.append((start, end))
                found.append(_finding(fmt, value, positions, start, end, path))
        return found


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


def _finding(fmt: Format, value: str, positions: _Positions, start: int, end: int,
             path: str) -> Finding:
    first, first_col = positions.at(start)
    last, last_col = positions.at(end)
    # A real key in a test or an example is still a leak, but less likely live: medium.
    confidence = Level.MEDIUM if is_test_path(path) else Level.HIGH
    return Finding(fmt.rule_id, RULES[fmt.rule_id], Level.parse(fmt.severity), confidence, _CWE,
                   f"{fmt.label} written in the file: {redacted(value)}, fingerprint {fingerprint(value)}",
                   Span(first, first_col, last, last_col), source="bastion",
                   lines=tuple(range(first, last + 1)))
