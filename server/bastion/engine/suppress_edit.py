"""Where and how to add `# nosec RULE` for a finding, without breaking strings or continuations.

Bandit reads the comment on the finding's own line or the first commented line of the flagged
statement, so an existing nosec comment there is extended; otherwise the comment goes on the
first line of the statement (the finding's line first) whose end is not inside a string or a
backslash continuation.
"""

from __future__ import annotations

import io
import re
import tokenize

import attrs

from bastion.engine.suppress import Directive
from bastion.model import Finding


@attrs.frozen
class LineEdit:
    """Replace columns `start`..`end` (code points) of 0-based `line` with `text`."""

    line: int
    start: int
    end: int
    text: str


def suppress_edit(finding: Finding, lines: list[str], directives: dict[int, Directive]) -> LineEdit | None:
    statement = sorted(set(finding.lines) | {finding.span.start_line})
    existing = directives.get(finding.span.start_line) or next(
        (directives[n] for n in statement if n in directives), None)
    if existing is not None:
        return _extend(existing, finding.rule_id, _line(lines, existing.line))
    commentable = _commentable_lines(lines, statement[0], statement[-1])
    for candidate in [finding.span.start_line, *statement]:
        if candidate in commentable:
            text = _line(lines, candidate)
            return LineEdit(candidate, len(text), len(text), f"  # nosec {finding.rule_id}")
    return None


def _line(lines: list[str], index: int) -> str:
    return lines[index].removesuffix("\r") if 0 <= index < len(lines) else ""


def _extend(directive: Directive, rule_id: str, text: str) -> LineEdit | None:
    if not directive.ids or rule_id in directive.ids:
        return None  # already silences the rule
    match = re.search(r"#\s*nosec:?\s*([^#]*)", text)
    if match is None:
        return None
    listed = match.group(1).rstrip()
    end = match.start(1) + len(listed)
    return LineEdit(directive.line, end, end, f", {rule_id}")


def _commentable_lines(lines: list[str], first: int, last: int) -> set[int]:
    """Lines in first..last whose end is real code, not inside a string or continuation."""
    chunk = [_line(lines, i) for i in range(first, last + 1)]
    indent = len(chunk[0]) - len(chunk[0].lstrip())
    source = ("if 1:\n" if indent else "") + "\n".join(chunk) + "\n"
    offset = first - (2 if indent else 1)
    found: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT):
                found.add(tok.start[0] + offset)
    except (tokenize.TokenError, SyntaxError):
        pass
    return {n for n in found if first <= n <= last}
