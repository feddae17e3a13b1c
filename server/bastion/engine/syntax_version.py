"""Which newer Python a source that does not parse here was written for.

Bastion analyses with the interpreter it runs on (`ast`, bandit), so a file using a newer
grammar (a `type` alias, generics, PEP 701 f-strings on 3.11) does not parse. Rather than only
"lines do not parse", the user is told which interpreter to run Bastion with. libcst's parser
accepts the newer grammars: when it parses the file, the constructs it finds give the version.
Nothing is claimed without such a construct (a plain syntax error stays a syntax error).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import libcst as cst

from bastion.parsing import parse_code

Version = tuple[int, int]


class _NewSyntax(cst.CSTVisitor):
    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.needed: Version = (3, 10)

    def _need(self, version: Version) -> None:
        self.needed = max(self.needed, version)

    def visit_TryStar(self, node: cst.TryStar) -> None:  # PEP 654
        self._need((3, 11))

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:  # PEP 695
        self._need((3, 12))

    def visit_TypeParam(self, node: cst.TypeParam) -> None:  # PEP 695; defaults: PEP 696
        self._need((3, 13) if node.default is not None else (3, 12))

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        # PEP 701: the string's own quote, a backslash or a comment inside a replacement field.
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression):
                code = self.module.code_for_node(part.expression)
                if node.quote in code or "\\" in code or "#" in code:
                    self._need((3, 12))


def newer_syntax(text: str) -> Version | None:
    """The Python version `text` needs, when it does not parse on this interpreter because it
    uses syntax that version introduced; None otherwise."""
    try:
        parse_code(text)
        return None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    try:
        module = cst.parse_module(text)
    except Exception:  # libcst raises its own errors (and RecursionError) on what it rejects
        return None
    visitor = _NewSyntax(module)
    try:
        module.visit(visitor)
    except RecursionError:
        return None
    return visitor.needed if visitor.needed > sys.version_info[:2] else None


def newer_syntax_in(lines: list[str], ranges: Sequence[tuple[int, int]]
                    ) -> list[tuple[int, int, Version]]:
    """The line ranges (0-based, inclusive) of `ranges` that do not parse here because they use
    a newer Python's syntax, each with that version. Only the ranges are parsed again, not the
    document: the editor asks after every analysis of a document with parts that do not parse,
    which while typing is most keystrokes."""
    found = []
    for start, end in ranges:
        chunk = "\n".join(lines[start:end + 1])
        if chunk[:1] in " \t":  # a class member or a statement of a function: indented
            chunk = "if 1:\n" + chunk
        if chunk.rstrip().endswith(":"):  # a class or function header split from its body
            first = lines[start]
            chunk += "\n" + first[:len(first) - len(first.lstrip())] + "    pass"
        needed = newer_syntax(chunk)
        if needed is not None:
            found.append((start, end, needed))
    return found


def newer_syntax_message(needed: Version) -> str:
    want = "{}.{}".format(*needed)
    here = "{}.{}".format(*sys.version_info[:2])
    return (f"this file uses Python {want} syntax; Bastion runs on Python {here}: "
            f"run it with Python >= {want} to analyse it")
