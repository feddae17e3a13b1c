"""One result-cache row: a file's whole-file raw analysis as JSON, and its validation.

A row is never trusted. It is read back only for the text it was computed from: it carries its
own key (a digest of that text and the analyzers' versions, see `text_key`) and the text's line
count, and both must match the text it is about to be applied to, so a row copied under another
key never applies. Every value is then checked for its type and range: rule ids the engine
knows, levels, spans and statement lines inside the file's lines with columns inside those
lines, suppression comments that are really in the file at the stated place, bounded counts and
string lengths, and no nesting beyond the format's. Anything else raises InvalidEntry: the caller
analyses the file again and overwrites the row.

This binds a row to its content; it cannot tell a forged row for the same content from a real
one. That is why the cache folder must be private to the user (disk_cache.py refuses any other).
"""

from __future__ import annotations

import json
import os
from collections.abc import Container, Mapping, Sequence
from typing import TYPE_CHECKING

from bastion.digests import blake2b
from bastion.filekinds import FileKind
from bastion.model import Finding, FlowStep, Level, Span

if TYPE_CHECKING:
    from bastion.engine.suppress import Directive

MAX_VALUE_CHARS = 64 * 1024 * 1024
MAX_STRING_CHARS = 100_000  # a message quotes source (B105 quotes the password literal)
MAX_SHORT_CHARS = 200  # check names, sources, ids in a suppression comment
MAX_CWE = 100_000
MAX_ROWS = 1_000_000  # findings of one file, before configuration narrows them
MAX_OTHER_FILE = 10_000_000  # lines or columns of a step in another file (bounded, not checked)
MAX_STEPS = 32  # steps of a data-flow path (the taint analyzer keeps at most 8 plus a callee's)
_LEVELS = {int(level): level for level in Level}  # Level(n) is a slow Enum.__call__


class InvalidEntry(ValueError):
    """A row that does not describe this text's analysis; the message says which part."""


def text_key(text: str, version_key: str, dependencies: str = "") -> str:
    """`dependencies`: what else the result depends on (the workspace modules the file
    imports, see `Engine.dependency_key`), empty for most files."""
    digest = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20)
    digest.update(version_key.encode())
    if dependencies:
        digest.update(b"\0" + dependencies.encode())
    return digest.hexdigest()


def cache_key(text: str, version_key: str, kind: FileKind, dependencies: str = "") -> str:
    """The key of `text`'s row when analysed as a document of `kind` (a Python file's key is
    `text_key`'s: the same text as YAML is another analysis)."""
    if kind is FileKind.PYTHON:
        return text_key(text, version_key, dependencies)
    return text_key(text, f"{version_key}|kind={kind.value}", dependencies)


def line_count(text: str) -> int:
    return text.count("\n") + 1


def encode(key: str, text: str, findings: Sequence[Finding], directives: Mapping[int, Directive],
           broken: Sequence[tuple[int, int]]) -> str:
    """The row for `text`, stored under `key`."""
    return json.dumps({
        "key": key,
        "lines": line_count(text),
        "findings": [_finding_row(f) for f in findings],
        "directives": [[d.line, d.text, sorted(d.ids), list(d.unknown), d.col]
                       for d in directives.values()],
        "broken": [list(b) for b in broken],
    }, separators=(",", ":"))


def decode(value: object, key: str, text: str, rules: Container[str],
           ) -> tuple[tuple[Finding, ...], dict[int, Directive], tuple[tuple[int, int], ...]]:
    """(findings, directives, broken ranges) of the row `value` read under `key` for `text`,
    whose findings may only name `rules`; InvalidEntry for anything else."""
    if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
        raise InvalidEntry("not a row")
    try:
        data = json.loads(value, parse_constant=_reject)
    except (ValueError, RecursionError):
        raise InvalidEntry("not JSON of the row's shape") from None
    if not isinstance(data, dict) or set(data) != {"key", "lines", "findings", "directives",
                                                   "broken"}:
        raise InvalidEntry("not a row")
    lines = _Lines(text)
    if data["key"] != key or type(data["lines"]) is not int or data["lines"] != lines.count:
        raise InvalidEntry("computed from another text")
    findings = tuple(_finding(row, lines, rules) for row in _list(data["findings"], MAX_ROWS))
    directives: dict[int, Directive] = {}
    for row in _list(data["directives"], lines.count):
        directive = _directive(row, lines)
        directives[directive.line] = directive
    broken = tuple(_range(row, lines) for row in _list(data["broken"], lines.count))
    return findings, directives, broken


def _reject(name: str):
    raise ValueError(name)


class _Lines:
    """The file's lines, split only as far as a row refers to them (doubling): findings are
    often near the top (imports), and splitting every cached file whole would cost more than
    reading its row. Only indexes below `count` are asked for."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._known: list[str] = []
        self.count = line_count(text)

    def __getitem__(self, index: int) -> str:
        while index >= len(self._known):
            limit = max(2 * len(self._known), index + 1, 64)
            parts = self._text.split("\n", limit)
            self._known = parts if len(parts) <= limit else parts[:-1]  # the last: the rest
        return self._known[index].rstrip("\r")


def _list(value, limit: int) -> list:
    if not isinstance(value, list) or len(value) > limit:
        raise InvalidEntry("a list of the wrong shape")
    return value


def _fields(value, count: int) -> list:
    if not isinstance(value, list) or len(value) != count:
        raise InvalidEntry("a record of the wrong shape")
    return value


def _int(value, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:  # bool is an int subclass
        raise InvalidEntry("a number out of range")
    return value


def _str(value, limit: int = MAX_SHORT_CHARS) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidEntry("a string of the wrong type or length")
    return value


def _line(value, lines: _Lines) -> int:
    return _int(value, 0, lines.count - 1)


def _col(value, line: int, lines: _Lines) -> int:
    return _int(value, 0, len(lines[line]))


def _finding_row(f: Finding) -> list:
    row = [f.rule_id, f.name, int(f.severity), int(f.confidence), f.cwe, f.message, _span_row(f.span),
           f.source, list(f.lines)]
    if f.steps:  # a data-flow finding's path: a list, absent from other rows
        row.append([[*_span_row(step.span), step.message, *([step.path] if step.path else [])]
                    for step in f.steps])
    if f.retracted:  # why a pattern finding is retracted: a string, last
        row.append(f.retracted)
    return row


def _span_row(span: Span) -> list[int]:
    return [span.start_line, span.start_col, span.end_line, span.end_col]


def _finding(row, lines: _Lines, rules: Container[str]) -> Finding:
    if not isinstance(row, list) or not 9 <= len(row) <= 11:
        raise InvalidEntry("a record of the wrong shape")
    rule, name, severity, confidence, cwe, message, span, source, statement = row[:9]
    if not isinstance(rule, str) or rule not in rules:
        raise InvalidEntry("a rule the engine does not have")
    extra = list(row[9:])
    retracted = _str(extra.pop()) if extra and isinstance(extra[-1], str) else None
    if retracted is not None and not retracted:
        raise InvalidEntry("an empty retraction")
    steps = ()
    if extra:
        steps = tuple(_step(step, lines) for step in _list(extra.pop(), MAX_STEPS))
        if not steps:
            raise InvalidEntry("an empty path")
    if extra:
        raise InvalidEntry("a record of the wrong shape")
    return Finding(rule, _str(name), _level(severity), _level(confidence),
                   None if cwe is None else _int(cwe, 0, MAX_CWE), _str(message, MAX_STRING_CHARS),
                   _span(span, lines), _str(source), _statement_lines(statement, lines), steps=steps,
                   retracted=retracted)


def _span(value, lines: _Lines) -> Span:
    start_line, start_col, end_line, end_col = _fields(value, 4)
    start = (_line(start_line, lines), _col(start_col, start_line, lines))
    end = (_line(end_line, lines), _col(end_col, end_line, lines))
    if end < start:
        raise InvalidEntry("a span that ends before it starts")
    return Span(*start, *end)


def _step(value, lines: _Lines) -> FlowStep:
    if isinstance(value, list) and len(value) == 6:  # in another file: its lines are not here
        fields = _fields(value, 6)
        path = _str(fields[5], MAX_STRING_CHARS)
        if not os.path.isabs(path):
            raise InvalidEntry("a step in a file without an absolute path")
        numbers = [_int(n, 0, MAX_OTHER_FILE) for n in fields[:4]]
        if (numbers[2], numbers[3]) < (numbers[0], numbers[1]):
            raise InvalidEntry("a span that ends before it starts")
        return FlowStep(Span(*numbers), _str(fields[4], MAX_STRING_CHARS), path)
    fields = _fields(value, 5)
    return FlowStep(_span(fields[:4], lines), _str(fields[4], MAX_STRING_CHARS))


def _statement_lines(value, lines: _Lines) -> tuple[int, ...]:
    numbers = tuple(_list(value, lines.count))
    if numbers and not (all(type(n) is int for n in numbers)
                        and 0 <= min(numbers) and max(numbers) < lines.count):
        raise InvalidEntry("a statement line outside the file")
    return numbers


def _level(value) -> Level:
    if type(value) is not int or value not in _LEVELS:
        raise InvalidEntry("not a level")
    return _LEVELS[value]


def _directive(row, lines: _Lines) -> Directive:
    line, comment, ids, unknown, col = _fields(row, 5)
    line = _line(line, lines)
    comment = _str(comment, MAX_STRING_CHARS)
    source = lines[line]  # a comment runs to the end of its line
    if col is None:
        present = source.endswith(comment)
    else:
        col = _col(col, line, lines)
        present = source[col:] == comment
    if not comment or not present:
        raise InvalidEntry("a suppression comment that is not in the file")
    # imported by the first row with a comment: most files have none (suppress.py, its
    # patterns and two attrs classes are ~2 ms of a warm start)
    from bastion.engine.suppress import Directive

    return Directive(line, comment, frozenset(_str(i) for i in _list(ids, MAX_SHORT_CHARS)),
                     tuple(_str(u) for u in _list(unknown, MAX_SHORT_CHARS)), col)


def _range(row, lines: _Lines) -> tuple[int, int]:
    first, last = _fields(row, 2)
    first, last = _line(first, lines), _line(last, lines)
    if last < first:
        raise InvalidEntry("a line range that ends before it starts")
    return first, last
