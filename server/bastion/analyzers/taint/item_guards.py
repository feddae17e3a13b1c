"""Where a guard's proof is kept (`narrow`): a name's value, an attribute path's (`self.x`), or
a local dict's item under a constant key (`if form["n"].isdigit():`, `form["k"] if
form["k"].isalnum() else "anon"`), refined in its slot as a name is, so that the next read of
`form["n"]` finds it. Sound as the slot model is: a store into the slot or an edit of the dict
replaces it. An immutable request mapping's item (`request.args["n"]`) is narrowed where a read
kept it (request_items.py), and so is a field of `self` the method read, not stored (self_fields.py)."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.domain import EVERY_CLASS, SAFE, Value, whole_path
from bastion.analyzers.taint.expressions import path_of
from bastion.analyzers.taint.request_items import item_key
from bastion.analyzers.taint.self_fields import kept_key
from bastion.analyzers.taint.states import fork
from bastion.analyzers.taint.string_transforms import quotes_clean

Env = dict


def item_slot(env: Env, node: ast.Subscript) -> tuple[str, object] | None:
    """(the local, the key) whose slot `node` reads, when it is one the dict holds."""
    holder, key = node.value, node.slice
    if not (isinstance(holder, ast.Name) and holder.id in env and isinstance(key, ast.Constant)
            and type(key.value) in (str, int)):
        return None
    items = env[holder.id].items
    return (holder.id, key.value) if items and key.value in items else None


def narrow(env: Env, node: ast.expr, cleans: frozenset[str] | None = None,
           value: Value | None = None) -> Env:
    """`env` where what `node` reads is safe for `cleans` too, or is `value` (a copy when it
    changes; `env` itself when `node` reads nothing the walk keeps)."""
    slot = item_slot(env, node) if isinstance(node, ast.Subscript) else None
    key = slot[0] if slot else node.id if isinstance(node, ast.Name) else path_of(node)
    if key is not None and key not in env and key.startswith("self."):
        key = kept_key(key)  # a field of `self` the method read (self_fields.py)
    if key is None:
        found = item_key(node)  # a request mapping's item a read kept (request_items.py)
        key = found[0] if found is not None else None
    if key is None or key not in env:
        return env
    old = env[key].items[slot[1]] if slot else env[key]
    if value is None:
        if not old.tainted:
            return env
        if cleans == EVERY_CLASS:
            value = SAFE
        else:  # with what the proofs together make clean (both quotes ruled out, no `..` nor root)
            value = old.evolve(clean=whole_path(quotes_clean(old.clean | cleans)))
    env = fork(env)
    env[key] = env[key].evolve(items={**env[key].items, slot[1]: value}) if slot else value
    return env
