"""Which dict item a guard refines: a local dict's item under a constant key (`if
form["n"].isdigit():`, `form["k"] if form["k"].isalnum() else "anon"`) is refined in its slot,
as a name is, so that the next read of `form["n"]` finds it. Sound as the slot model is: a store
into the slot or an edit of the dict replaces it. A source's item (`request.args["n"]`) is
evaluated afresh at each read, so a guard on it does not narrow (it would need the evaluator to
keep refined items of a source under their path, as it keeps `self.x`)."""

from __future__ import annotations

import ast

Env = dict


def item_slot(env: Env, node: ast.Subscript) -> tuple[str, object] | None:
    """(the local, the key) whose slot `node` reads, when it is one the dict holds."""
    holder, key = node.value, node.slice
    if not (isinstance(holder, ast.Name) and holder.id in env and isinstance(key, ast.Constant)
            and type(key.value) in (str, int)):
        return None
    items = env[holder.id].items
    return (holder.id, key.value) if items and key.value in items else None
