"""Every node of a syntax tree, for the walks whose answer does not depend on the order nodes
come in (a set of names, whether any node is of a kind, a count): half the time of `ast.walk`
over the stdlib set's functions, which yields each node from nested generators.

The expression contexts (`Load`, `Store`, `Del`: one shared object per kind, read as a node's
`ctx`) are left out; nothing looks for them as nodes.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TypeVar

_AST = ast.AST
_FIELDS: dict[type, tuple[str, ...]] = {}  # node class -> the fields that may hold nodes


def nodes(root: ast.AST) -> list[ast.AST]:
    """`root` and every node under it, each once, in no promised order."""
    found = [root]
    fields_of = _FIELDS.get
    for node in found:  # grows while it is read: each node's children are read in turn
        kind = node.__class__
        fields = fields_of(kind)
        if fields is None:
            fields = _FIELDS[kind] = tuple(f for f in kind._fields if f != "ctx")
        for field in fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, _AST):
                        found.append(item)
            elif isinstance(value, _AST):
                found.append(value)
    return found


def header_nodes(node: ast.ClassDef) -> list[ast.AST]:
    """The nodes of a class outside its body (decorators, bases, keywords): a class's walk is
    theirs and its members', which a long class's new node at each keystroke keeps (blocks.py)."""
    return [child for name, value in ast.iter_fields(node) if name != "body"
            for child in (value if isinstance(value, list) else [value]) if isinstance(child, _AST)]


_T = TypeVar("_T")


def kept_by_node(memo, tag: bytes, node: ast.AST, compute: Callable[[ast.AST], _T]) -> _T:
    """`compute(node)`, kept in `memo` (an LRU, or None) by the node, which the value holds so
    that its id is not reused while the entry lives: the block parser hands back the nodes of
    the blocks a keystroke did not change."""
    key = (tag, id(node))
    kept = memo.get(key) if memo is not None else None
    if kept is not None and kept[0] is node:
        return kept[1]
    found = compute(node)
    if memo is not None:
        memo.put(key, (node, found))
    return found
