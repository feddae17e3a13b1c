"""A bandit result as a Bastion finding: its span in code points (bandit reports UTF-8 byte
columns, B613 trojansource a 1-based code-point one; the end comes from the result's AST node),
the lines of its statement (where a `# nosec` applies) and its CWE (the rule file's before
bandit's own). Pure conversion, kept out of bandit_adapter.py, which drives bandit: it reads the
result's attributes and the two the adapter's tester adds (`_bastion_node`,
`_bastion_context_lines`), and imports no bandit module.
"""

from __future__ import annotations

import ast

from bastion.analyzers.base import node_lines
from bastion.model import Finding, Level, Span
from bastion.model.text import byte_to_char_col, line_at


def finding_of(result, lines: list[str], cwes: dict[str, int]) -> Finding:
    """`result` (a bandit `Issue` the adapter's tester recorded) as a finding in `lines`, the
    lines of the tree it was found in; `cwes`: `catalog_cwes()`."""
    node = getattr(result, "_bastion_node", None)
    start_line = result.lineno - 1
    start_text = line_at(lines, start_line)
    if result.test_id == "B613":  # trojansource reports a 1-based code-point column
        start_col = max(result.col_offset - 1, 0)
    else:
        start_col = byte_to_char_col(start_text, max(result.col_offset, 0))
    end_line = start_line
    end_col = len(start_text)
    if isinstance(node, ast.AST) and getattr(node, "end_lineno", None):
        end_line = node.end_lineno - 1
        end_col = byte_to_char_col(line_at(lines, end_line), node.end_col_offset)
        if (end_line, end_col) < (start_line, start_col):
            end_line, end_col = start_line, len(start_text)
    context_lines = getattr(result, "_bastion_context_lines", None) or []
    if result.test_id == "B613":
        statement_lines = (start_line,) + tuple(n - 1 for n in context_lines if n > 0)
    elif context_lines:
        statement_lines = tuple(n - 1 for n in context_lines)
    else:
        statement_lines = node_lines(node) if isinstance(node, ast.AST) else (start_line,)
    return Finding(
        rule_id=result.test_id,
        name=result.test,
        severity=Level.parse(result.severity),
        confidence=Level.parse(result.confidence),
        cwe=cwes.get(result.test_id) or _cwe_id(result),
        message=result.text,
        span=Span(start_line, start_col, end_line, end_col),
        source="bandit",
        lines=statement_lines,
    )


def _cwe_id(result) -> int | None:
    cwe = getattr(result, "cwe", None)
    ident = getattr(cwe, "id", None)
    return ident if ident else None
