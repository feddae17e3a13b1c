"""The statement a fix rewrites: the innermost statement (with the statements sharing its lines)
that holds the finding and covers whole lines, found in its unit's `ast`, never the whole file.
"""

from __future__ import annotations

import ast
import re

import attrs

from bastion.model import Finding
from bastion.model.text import byte_to_char_col, line_at

_INDENT = re.compile(r"[ \t]*")


@attrs.frozen
class Statement:
    start: int  # 0-based first line
    end: int  # 0-based last line (inclusive)
    indent: str  # the first line's indentation
    indent_unit: str  # one level of indentation in this file ("    " when unknown)
    in_function: bool  # runs later than module import (inside a def or lambda)
    module_level: bool  # a statement of the module body itself
    nodes: tuple[ast.stmt, ...] = attrs.field(eq=False, repr=False)

    def text(self, lines: list[str]) -> str:
        return "".join(line + "\n" for line in lines[self.start:self.end + 1])


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)]) - 1


def _position(lines: list[str], node: ast.AST, end: bool = False) -> tuple[int, int]:
    line = (node.end_lineno if end else node.lineno) - 1
    col = node.end_col_offset if end else node.col_offset
    return line, byte_to_char_col(line_at(lines, line), col)


def _bodies(node: ast.AST):
    for name in ("body", "orelse", "finalbody"):
        body = getattr(node, name, None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            yield body
    for handler in getattr(node, "handlers", None) or []:
        yield handler.body
    for case in getattr(node, "cases", None) or []:
        yield case.body


def find_statement(tree: ast.Module, lines: list[str], finding: Finding,
                   wrapped: bool) -> Statement | None:
    """`tree` is the unit's tree (absolute line numbers); `wrapped` for class-member units."""
    target = (finding.span.start_line, finding.span.start_col)
    target_end = (finding.span.end_line, finding.span.end_col)
    body = tree.body[0].body if wrapped and tree.body else tree.body
    chain: list[tuple[list[ast.stmt], ast.stmt]] = []  # (sibling list, statement) outermost first
    in_function = False
    function_depth: list[bool] = []
    while True:
        found = None
        for node in body:
            first = (_start(node), 0)
            if _start(node) == node.lineno - 1:
                first = _position(lines, node)
            if first <= target and target < _position(lines, node, end=True) or (
                    first <= target and target_end <= _position(lines, node, end=True)):
                found = node
                break
        if found is None:
            break
        chain.append((body, found))
        function_depth.append(in_function)
        if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function = True
        inner = None
        for child_body in _bodies(found):
            for node in child_body:
                if _start(node) <= target[0] <= node.end_lineno - 1:
                    inner = child_body
                    break
            if inner:
                break
        if inner is None:
            break
        body = inner
    # Innermost first: the first group that covers whole lines is the statement.
    for depth in range(len(chain) - 1, -1, -1):
        siblings, node = chain[depth]
        group = _line_group(siblings, node)
        start, end = _start(group[0]), max(n.end_lineno for n in group) - 1
        first_line = line_at(lines, start)
        indent = _INDENT.match(first_line).group(0)
        begins = _position(lines, group[0]) if start == group[0].lineno - 1 else \
            (start, len(indent))
        if begins[1] != len(indent):
            continue
        last_end = _position(lines, group[-1], end=True)
        rest = line_at(lines, last_end[0])[last_end[1]:].strip()
        if rest and not rest.startswith("#"):
            continue
        unit = _indent_unit(chain, depth, lines, indent)
        return Statement(start, end, indent, unit, function_depth[depth],
                         module_level=depth == 0 and not wrapped, nodes=tuple(group))
    return None


def _line_group(siblings: list[ast.stmt], node: ast.stmt) -> list[ast.stmt]:
    """`node` with the siblings that share a line with it (`a = 1; b = 2`)."""
    index = siblings.index(node)
    lo = hi = index
    while lo > 0 and siblings[lo - 1].end_lineno - 1 >= _start(siblings[lo]):
        lo -= 1
    while hi + 1 < len(siblings) and _start(siblings[hi + 1]) <= siblings[hi].end_lineno - 1:
        hi += 1
    return siblings[lo:hi + 1]


def _indent_unit(chain, depth: int, lines: list[str], indent: str) -> str:
    """One indentation level: the statement's indent minus its parent's, else nested blocks'."""
    if depth > 0:
        parent = chain[depth - 1][1]
        parent_indent = _INDENT.match(line_at(lines, _start(parent))).group(0)
        if indent.startswith(parent_indent) and len(indent) > len(parent_indent):
            return indent[len(parent_indent):]
    node = chain[depth][1]
    for body in _bodies(node):
        child_indent = _INDENT.match(line_at(lines, _start(body[0]))).group(0)
        if child_indent.startswith(indent) and len(child_indent) > len(indent):
            return child_indent[len(indent):]
    if indent and set(indent) == {"\t"}:
        return "\t"
    return "    "
