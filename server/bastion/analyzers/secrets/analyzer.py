"""The secrets analyzer: one pass of each format over the whole text, of Python files (as the
`Analyzer` protocol's whole-file check) and of every text kind (as a `TextAnalyzer`).

A finding's message carries the value's redacted form (model/redact.py) and a fingerprint: a
slow, truncated derivation (`fingerprint`) that tells two findings of the same value apart from
two of different values. No other attribute holds the value.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import itertools

from bastion.analyzers.secrets.allow import is_test_path
from bastion.analyzers.secrets.formats import FORMATS, TOKEN_CHARS
from bastion.analyzers.secrets.generic import GENERIC_LABEL, generic_secrets
from bastion.analyzers.text_base import TextFix
from bastion.analyzers.versions import SECRETS as SECRETS_VERSION
from bastion.filekinds import TEXT_KINDS, FileKind
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
    return hashlib.pbkdf2_hmac("sha256", value.encode("utf-8", "surrogatepass"),
                               b"bastion-secret-fingerprint", FINGERPRINT_ROUNDS, dklen=6).hex()


class _Positions:
    """Offsets of the text to (line, column), the line starts found only once a match needs them."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def at(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = [0, *itertools.accumulate(len(line) + 1 for line in self._text.split("\n"))]
        line = bisect.bisect_right(self._starts, offset) - 1
        return line, offset - self._starts[line]


class SecretsAnalyzer:
    id = "secrets"
    version = SECRETS_VERSION
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

    def retract(self, text: str, path: str, findings: list[Finding]) -> dict[int, str]:
        return {}  # it judges no other analyzer's findings

    def forget(self) -> None:
        pass  # it keeps nothing per document

    def fixes(self, text: str, path: str, kind: FileKind, finding: Finding,
              root: str | None = None) -> list[TextFix]:
        return []  # moving a secret out of a file is the user's call (see the lessons)

    def analyse_text(self, text: str, path: str, kind: FileKind,
                     root: str | None = None) -> list[Finding]:
        positions = _Positions(text)
        taken = _Ranges()  # value ranges already reported
        found: list[Finding] = []
        for fmt in FORMATS:
            if fmt.needles and not any(needle in text for needle in fmt.needles):
                continue
            for match in fmt.pattern.finditer(text):
                start, end = match.span("secret")
                if fmt.boundary and start and text[start - 1] in TOKEN_CHARS:
                    continue
                if fmt.end is not None:
                    end = fmt.end(match, text)
                    if end is None:
                        continue
                value = text[start:end]
                if fmt.placeholder(value) or taken.overlaps(start, end):
                    continue
                taken.add(start, end)
                found.append(_finding(fmt.rule_id, fmt.label, fmt.severity, value, positions,
                                      start, end, path))
        if not is_test_path(path):  # generic values in tests and examples are fixtures
            for start, end in generic_secrets(text, kind):
                if not taken.overlaps(start, end):
                    found.append(_finding(GENERIC, GENERIC_LABEL, "medium", text[start:end],
                                          positions, start, end, path))
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
