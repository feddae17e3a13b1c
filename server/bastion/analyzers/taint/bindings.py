"""How often each module-level name is bound. A module global is a constant (or holds an object
of a known kind) for the functions that read it only when it is bound exactly once: a second
binding anywhere may run before the function does, and a pattern finding retracted on a wrong
constant is a hidden finding.

Every binding counts: assignment targets (tuples, lists, starred), augmented and annotated
assignments, `for` / `with` / `except` targets, imports, definitions, `del`, also inside
module-level `if` / `for` / `while` / `with` / `try` / `match` blocks; a `global` declaration in
any function or method (it may rebind the name); `from m import *` may bind any name.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable

from bastion.engine.cache import LRU

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


class Bindings:
    """The counts of one module's text. `star`: a star import may bind any name."""

    def __init__(self, body: list[ast.stmt], memo: LRU | None = None) -> None:
        self.counts: Counter[str] = Counter()
        self.star = False
        self._memo = memo
        self._count(body)

    def once(self, name: str) -> bool:
        return not self.star and self.counts[name] == 1

    def _count(self, body: Iterable[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, _DEFINITIONS):
                self.counts[node.name] += 1
                for name in self._declared_global(node):
                    self.counts[name] += 1
                continue
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._target(target)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                self._target(node.target)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                self._target(node.target)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._target(item.optional_vars)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name == "*":
                        self.star = True
                    else:
                        self.counts[alias.asname or alias.name.split(".")[0]] += 1
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    self._target(target)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.counts[node.name] += 1
            elif isinstance(node, ast.match_case):
                for child in ast.walk(node.pattern):
                    name = getattr(child, "name", None) or getattr(child, "rest", None)
                    if isinstance(name, str):
                        self.counts[name] += 1
            for block in _BLOCKS:
                inner = getattr(node, block, None)
                if inner:
                    self._count(inner)

    def _target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.counts[target.id] += 1
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element)
        elif isinstance(target, ast.Starred):
            self._target(target.value)

    def _declared_global(self, definition: ast.stmt) -> frozenset[str]:
        """The names `global` declarations inside a definition (its methods, nested functions)
        rebind; kept by node for the next text of a document whose parser reuses the node."""
        key = (b"globals", id(definition))
        kept = self._memo.get(key) if self._memo is not None else None
        if kept is not None and kept[0] is definition:
            return kept[1]
        names = frozenset(name for node in _statements(definition) if isinstance(node, ast.Global)
                          for name in node.names)
        if self._memo is not None:
            self._memo.put(key, (definition, names))
        return names


def _statements(node: ast.stmt) -> Iterable[ast.stmt]:
    """Every statement inside `node` (not the expressions: a declaration is a statement)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for block in _BLOCKS:
            inner = getattr(current, block, None)
            if inner:
                stack.extend(inner)
