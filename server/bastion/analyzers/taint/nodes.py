"""Every node of a syntax tree, for the walks whose answer does not depend on the order nodes
come in (a set of names, whether any node is of a kind, a count): half the time of `ast.walk`
over the stdlib set's functions, which yields each node from nested generators.

The expression contexts (`Load`, `Store`, `Del`: one shared object per kind, read as a node's
`ctx`) are left out; nothing looks for them as nodes.
"""

from __future__ import annotations

import ast

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
