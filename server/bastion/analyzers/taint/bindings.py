"""How often each module-level name is bound, and which are changed in place. A module global
is a constant (or holds an object of a known kind) for the functions that read it only when it
is bound exactly once: a second binding anywhere may run before the function does, and a
pattern finding retracted on a wrong constant is a hidden finding. A list, dict or set is a
constant only when nothing changes it in place either (`COMMANDS[name] = cmd` in `register`).

Every binding counts: assignment targets (tuples, lists, starred), augmented and annotated
assignments, `for` / `with` / `except` targets, imports, definitions, `del`, also inside
module-level `if` / `for` / `while` / `with` / `try` / `match` blocks; a `global` declaration in
any function or method (it may rebind the name); `from m import *` may bind any name.
A change in place is an item or attribute stored or deleted through the name, a method called
on it that is not known to only read it, or the name handed to a call that may keep it.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable

from bastion.analyzers.taint.escapes import READERS, READING_METHODS
from bastion.engine.cache import LRU

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
_STORES = (ast.Store, ast.Del)


class Bindings:
    """The counts of one module's text. `star`: a star import may bind any name."""

    def __init__(self, body: list[ast.stmt], memo: LRU | None = None) -> None:
        self.counts: Counter[str] = Counter()
        self.changed: set[str] = set()  # names changed in place
        self.star = False
        self._memo = memo
        self._count(body)

    def once(self, name: str) -> bool:
        return not self.star and self.counts[name] == 1

    def _count(self, body: Iterable[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, _DEFINITIONS):
                self.counts[node.name] += 1
                rebound, changed = self._kept(node, _inside)
                for name in rebound:
                    self.counts[name] += 1
                self.changed |= changed
                continue
            self.changed |= self._kept(node, lambda n: (frozenset(), _changed_in(_expressions(n))))[1]
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

    def _kept(self, node: ast.AST, compute) -> tuple[frozenset[str], frozenset[str]]:
        """`compute(node)`, kept by node for the next text of a document whose parser reuses
        the node (a keystroke walks only the statements it changed)."""
        key = (b"bindings", id(node))
        kept = self._memo.get(key) if self._memo is not None else None
        if kept is not None and kept[0] is node:
            return kept[1]
        found = compute(node)
        if self._memo is not None:
            self._memo.put(key, (node, found))
        return found


def _inside(definition: ast.stmt) -> tuple[frozenset[str], frozenset[str]]:
    """The names a definition (its methods, nested functions) declares `global`, and those it
    changes in place."""
    nodes = list(ast.walk(definition))
    rebound = frozenset(name for node in nodes if isinstance(node, ast.Global)
                        for name in node.names)
    return rebound, _changed_in(nodes)


def _expressions(statement: ast.stmt) -> list[ast.AST]:
    """The nodes of a module-level statement, not those of the blocks it holds (counted as
    statements of their own)."""
    nodes: list[ast.AST] = []
    stack = [child for field, child in ast.iter_fields(statement) if field not in _BLOCKS]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, ast.AST):
            nodes.append(current)
            stack.extend(ast.iter_child_nodes(current))
    return nodes


def _changed_in(nodes: Iterable[ast.AST]) -> frozenset[str]:
    changed: set[str] = set()
    for node in nodes:
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, _STORES) \
                and isinstance(node.value, ast.Name):
            changed.add(node.value.id)
        elif isinstance(node, ast.Call):
            func = node.func
            method = func.attr if isinstance(func, ast.Attribute) else None
            if method is not None and method not in READING_METHODS \
                    and isinstance(func.value, ast.Name):
                changed.add(func.value.id)
            name = func.id if isinstance(func, ast.Name) else None
            if name not in READERS and method not in READING_METHODS:
                changed.update(a.id for a in [*node.args, *(k.value for k in node.keywords)]
                               if isinstance(a, ast.Name))
    return frozenset(changed)
