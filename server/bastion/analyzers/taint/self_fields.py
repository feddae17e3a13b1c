"""Guards on a field of `self` a method reads but does not store (`if not self.name.isalnum():
return`, the field set by `__init__`): the read keeps the field's value in the environment under
`[self].name` (a key no name or attribute path has, so the method's summary never takes it for
a stored field), where `narrow` (item_guards.py) refines it as it refines a name, and the next
read of `self.name` finds it, as request_items.py keeps a request mapping's item. One level
deeper too: `self.form.name`, of a field `self.form` the method got and did not store, under
`[self].form.name`.

Sound as far as the method sees what may change `self` between the guard and the read: a
state that lacks the key (a branch that never read it) drops it at a join (environments.py); a
store into the field (`self.name = ...`) is kept under its own path, which a read prefers; a
call of a method on `self` (`self.refresh()`, `super().save()`) drops every kept field, its
own summary or a base class's method may change any; and once `self` escapes (handed to a call,
bound to another name, escapes.py) no kept value is read for the rest of the run.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import Value

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

KEPT = "[self]."


def kept_key(path: str) -> str:
    """The key a read keeps field path `self.name` under."""
    return KEPT + path[5:]


def field_read(ev: Evaluator, field: str, fresh: Value) -> Value:
    """What reading `self.<field>` gives, `fresh` the field's value as the method got it: the
    value a guard narrowed since, if any (`fresh` kept for later otherwise)."""
    env = ev.env
    if env is None or "self" in ev.escaped:
        return fresh
    stored = env.get(KEPT + field)
    if stored is None:
        env[KEPT + field] = fresh
        return fresh
    return stored


def nested_read(ev: Evaluator, path: str) -> Value | None:
    """What reading `self.form.name` gives when a read kept it since (`keep_nested`): one level
    below a field the method got and did not store (`self.form`), for its guards."""
    return ev.env.get(KEPT + path[5:]) if _nested_field(ev, path) else None


def keep_nested(ev: Evaluator, path: str, fresh: Value) -> None:
    """Keep `fresh`, read from `self.form.name`, for a guard to narrow."""
    if ev.env is not None and "self" not in ev.escaped and _nested_field(ev, path):
        ev.env[KEPT + path[5:]] = fresh


def _nested_field(ev: Evaluator, path: str) -> bool:
    field = path[5:path.index(".", 5)]
    return field in ev.fields and "self." + field not in ev.env


def forget_fields(ev: Evaluator, node: ast.Call) -> None:
    """After `node`: a call of a method on `self` (or through `super()`) may change any field."""
    func = node.func
    if ev.env is None or type(func) is not ast.Attribute:
        return
    owner = func.value
    if not (type(owner) is ast.Name and owner.id == "self" or type(owner) is ast.Call
            and type(owner.func) is ast.Name and owner.func.id == "super"):
        return
    kept = [key for key in ev.env if key.startswith(KEPT)]
    if kept:  # a new state: the one before may be a branch's too
        ev.env = {key: value for key, value in ev.env.items() if not key.startswith(KEPT)}
