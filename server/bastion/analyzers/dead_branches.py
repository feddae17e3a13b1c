"""The code of a module a literal test never runs: the body of `if 3 > 5:` (the `else` of
`if 5 > 3:`, of `if True:`), the arm of `a if 2 > 7 else b` not taken. Bandit reads every call
wherever it is, so `random.random()` under `if 3 > 5:` is reported although it is never called;
TomlRulesAnalyzer.retract retracts such findings. Pure functions of the text and its tree."""

from __future__ import annotations

import ast

from bastion.analyzers.constant_bindings import literal_truth
from bastion.analyzers.word_gate import BoundedPattern
from bastion.model import Finding
from bastion.model.text import byte_to_char_col, line_at

# A text holds a literal test only if it holds this: `if` and literals compared, then the `:` of a
# statement or the `else` of a ternary (one search a keystroke decides whether to parse).
LITERAL_TEST = BoundedPattern(r"if\s+(?:not\s+)?(?:True|False|\d+(?:\.\d+)?"
                              r"(?:\s*(?:[<>]=?|[=!]=)\s*\d+(?:\.\d+)?)?)\s*(?::|else\b)")
Position = tuple[int, int]  # (0-based line, code-point column)


def dead_regions(tree: ast.Module, lines: list[str]) -> list[tuple[Position, Position]]:
    """The (start, end) of each statement list or expression a literal test leaves unrun."""
    regions = []
    for node in ast.walk(tree):
        kind = type(node)
        if kind is not ast.If and kind is not ast.IfExp:
            continue
        truth = literal_truth(node.test)
        if truth is None:
            continue
        if kind is ast.If:
            dead = node.orelse if truth else node.body
            if not dead:
                continue
            first, last = dead[0], dead[-1]
        else:
            first = last = node.orelse if truth else node.body
        regions.append((_position(lines, first.lineno, first.col_offset),
                        _position(lines, last.end_lineno, last.end_col_offset)))
    return regions


def inside(finding: Finding, regions: list[tuple[Position, Position]]) -> bool:
    span = finding.span
    start, end = (span.start_line, span.start_col), (span.end_line, span.end_col)
    return any(low <= start and end <= high for low, high in regions)


def _position(lines: list[str], lineno: int, byte_col: int) -> Position:
    return lineno - 1, byte_to_char_col(line_at(lines, lineno - 1), byte_col)
