"""Functions the module calls itself. A function whose first parameter is named as a
framework's handlers name the request (`def audit(request, action)` in a Django module) is an
entry point; one the module also calls by name (`audit(request, "save")`) is a helper as well,
whose other parameters its callers fill (context.py).

The names each top-level statement calls are kept in the classification memo by the statement's
node, which the block parser reuses while its text is unchanged: a keystroke walks only the
statement it edited.
"""

from __future__ import annotations

import ast

from bastion.engine.cache import LRU


def called_here(names: list[str], tree: ast.Module, memo: LRU | None) -> set[str]:
    """Those of `names` (module-level functions) that the module calls by name."""
    wanted = set(names)
    if not wanted:
        return set()
    found: set[str] = set()
    for statement in tree.body:
        found |= _calls_in(statement, memo) & wanted
    return found


def _calls_in(statement: ast.stmt, memo: LRU | None) -> frozenset[str]:
    key = (b"called", id(statement))
    kept = memo.get(key) if memo is not None else None
    if kept is not None and kept[0] is statement:
        return kept[1]
    calls = frozenset(node.func.id for node in ast.walk(statement)
                      if isinstance(node, ast.Call) and isinstance(node.func, ast.Name))
    if memo is not None:
        memo.put(key, (statement, calls))
    return calls
