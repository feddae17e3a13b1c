"""Request-scoped storage, Flask's `g`: what a function of the module stores there from request
data (`g.user = request.headers.get("X-User")` in a `before_request` hook) a view reads back as
request data (`g.user`), wherever the view is in the module.

A store counts when its value names a source as the module spells it (`request.headers`), in
any module-level function; what a view stores in `g` from a call of its own (`g.db = connect()`)
is not request data. Each function's stores are kept by its node (the block parser reuses an
unedited function's) in the memo its owner passes.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.specs import Models

SCOPED = frozenset({"flask.g", "flask.globals.g"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def scoped_stores(definitions: list[ast.stmt], env: Env, models: Models,
                  memo: LRU | None = None) -> dict[str, int]:
    """Attribute of `g` -> the 0-based line of the first store of request data into it."""
    if not any(target in SCOPED for target in env.aliases.values()):
        return {}
    spelled = hash(tuple(sorted(env.aliases.items())))
    found: dict[str, int] = {}
    for node in definitions:
        if not isinstance(node, _FUNCTIONS):
            continue
        key = ("scoped stores", id(node), spelled)
        kept = memo.get(key) if memo is not None else None
        if kept is not None and kept[0] is node:
            stores = kept[1]
        else:
            stores = _stores(node, env, models)
            if memo is not None:
                memo.put(key, (node, stores))
        for attribute, line in stores:
            found.setdefault(attribute, line)
    return found


def _stores(function: ast.AST, env: Env, models: Models) -> tuple[tuple[str, int], ...]:
    stores: list[tuple[str, int]] = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        attributes = [t.attr for t in node.targets if isinstance(t, ast.Attribute)
                      and isinstance(t.value, ast.Name) and env.qualname(t.value) in SCOPED]
        if attributes and names_source(node.value, env, models):
            stores.extend((attribute, node.lineno - 1) for attribute in attributes)
    return tuple(stores)


def names_source(value: ast.expr, env: Env, models: Models) -> bool:
    return any(isinstance(n, (ast.Attribute, ast.Name, ast.Call))
               and models.sources.by_name(env.qualname(n.func if isinstance(n, ast.Call) else n))
               for n in ast.walk(value))
