"""What a unit is: the pieces the engine parses, analyses and caches one by one (`Unit`; a
document's `Split` into units, and its `Reuse` of the split before), and the units of a parsed
document.

A unit is a top-level statement, except that a class or a function is split into its header
and its body statements, recursively: editing one line of a method re-analyses that statement,
never the method or a 3,000-line class. (A function stays whole when an analyzer says a check
reads it whole: `Analyzer.reads_whole`.) splitter.py splits a document's text, including one
that does not parse.
"""

from __future__ import annotations

import ast
import re

import attrs

from bastion import attrs_classes
from bastion.analyzers.base import reads_whole
from bastion.digests import blake2b
from bastion.parsing import parse_code_at


@attrs_classes.frozen
class Unit:
    """Lines `start`..`end` (0-based, inclusive) of a document, parsed on their own."""

    start: int
    end: int
    text: str  # the unit's lines, each ending in "\n"
    indented: bool  # in a class or function body: parsed inside a synthetic `if 1:` so columns stay true
    suffix: str = ""  # a class or function header gets a `pass` body so that it parses alone
    in_function: bool = False  # a statement of a function body (rules for module level skip it)
    digest: bytes = attrs.field(eq=False, default=b"")

    def __attrs_post_init__(self) -> None:
        if not self.digest:
            key = b"F" if self.in_function else b"I" if self.indented else b"T"
            raw = key + self.text.encode("utf-8", "surrogatepass") + self.suffix.encode()
            object.__setattr__(self, "digest", blake2b(raw, digest_size=16).digest())

    def moved(self, lines: int) -> Unit:
        """The same unit `lines` further down; its text and digest are unchanged. Built by its
        constructor: `attrs.evolve` (2.6 ms for the 765 units after the middle of _pydecimal.py
        at an Enter there, against 1.0) reads the class's fields again for each unit."""
        if not lines:
            return self
        return Unit(self.start + lines, self.end + lines, self.text, self.indented, self.suffix,
                    self.in_function, self.digest)

    def parse(self) -> ast.Module:
        """The unit's AST with the document's own line numbers (raises SyntaxError/ValueError)."""
        source = "if 1:\n" + self.text + self.suffix if self.indented else self.text + self.suffix
        return parse_code_at(source, self.start - 1 if self.indented else self.start)


@attrs_classes.frozen
class Reuse:
    """How a split was derived from the one before it: its first `head` units are that split's,
    then come `region` new units, then that split's units from index `tail` on, moved `delta`
    lines. `records` are what the engine found in each unit of the split before (empty when it
    was never analysed)."""

    records: tuple
    count: int  # units in the split before
    head: int
    region: int
    tail: int
    delta: int


@attrs_classes.frozen
class Split:
    units: tuple[Unit, ...]
    broken: tuple[tuple[int, int], ...]  # 0-based inclusive line ranges that do not parse
    reuse: Reuse | None = attrs.field(default=None, eq=False)
    # Trees the splitter parsed for new units, by digest: the engine need not parse them again.
    trees: dict[bytes, ast.Module] = attrs.field(factory=dict, eq=False)


def _node_start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)]) - 1


def lines_text(lines: list[str], start: int, end: int) -> str:
    return "".join(line + "\n" for line in lines[start : end + 1])


def units_of_body(body: list[ast.stmt], lines: list[str], indented: bool,
                  nodes: list[list[ast.stmt]] | None = None, in_function: bool = False) -> list[Unit]:
    """Units of a statement list; `nodes`, when given, receives each unit's statements."""
    groups: list[list[ast.stmt]] = []
    last_end = -1
    for node in body:
        if groups and _node_start(node) <= last_end:
            groups[-1].append(node)  # statements sharing a line (`a; b`) stay together
        else:
            groups.append([node])
        last_end = max(last_end, node.end_lineno - 1)
    units: list[Unit] = []
    for group in groups:
        start, end = _node_start(group[0]), max(n.end_lineno for n in group) - 1
        node = group[0]
        if len(group) == 1 and _splits(node, lines):
            # A header unit, then the body's statements: an edit in one statement of a long
            # function re-analyses that statement, not the function.
            body_start = _node_start(node.body[0])
            indent = re.match(r"[ \t]*", lines[body_start]).group(0)
            head_end = header_end(lines, start, body_start)
            units.append(Unit(start, head_end, lines_text(lines, start, head_end),
                              indented, indent + "pass\n", in_function))
            if nodes is not None:
                nodes.append([])  # a header holds no statements of its own
            inner = in_function or not isinstance(node, ast.ClassDef)
            units.extend(units_of_body(node.body, lines, True, nodes, inner))
        else:
            units.append(Unit(start, end, lines_text(lines, start, end), indented, in_function=in_function))
            if nodes is not None:
                nodes.append(group)
    return units


def _splits(node: ast.stmt, lines: list[str]) -> bool:
    """A class or function whose body starts on a line of its own is split into units, unless
    an analyzer reads the function whole (Analyzer.reads_whole)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if reads_whole(node, lines[_node_start(node):node.end_lineno]):
            return False
    elif not isinstance(node, ast.ClassDef):
        return False
    first = node.body[0]
    if _node_start(first) < node.lineno:
        return False  # the body starts on the header's first line
    line = lines[_node_start(first)]
    stripped = line.lstrip(" \t")
    # Nothing of the header (the end of a long signature) before the body on its line.
    if getattr(first, "decorator_list", None):
        return stripped.startswith("@")
    return len(line) - len(stripped) == first.col_offset


def header_end(lines: list[str], start: int, body_start: int) -> int:
    """A header's last line: comments between it and the body belong to neither, so editing
    them (or the body's first statement) never changes the header."""
    end = body_start - 1
    while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
        end -= 1
    return end


def units_of_module(tree: ast.Module, lines: list[str]) -> tuple[tuple[Unit, ...], list[list[ast.stmt]]]:
    """The units of a parsed document, and the statements each unit holds."""
    nodes: list[list[ast.stmt]] = []
    return tuple(units_of_body(tree.body, lines, False, nodes)), nodes
