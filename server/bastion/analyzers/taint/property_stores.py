"""A store to a property that has a setter (`person.name = value`, `@name.setter` in a class of
this module): the setter runs, so the instance's fields hold what it stored (`self._name =
re.sub(...)`, `int(value)`), and a read of `person.name` runs the getter on them
(summaries.property_read), not the value assigned. Called by assignments.bind; the fields are
the walk's environment paths (`person._name`), the Interpreter's."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.held_calls import instance
from bastion.analyzers.taint.rebound import setter_of
from bastion.analyzers.taint.summaries import instantiated

if TYPE_CHECKING:
    from bastion.analyzers.taint.domain import Value
    from bastion.analyzers.taint.statements import Interpreter


def run_setter(ev: Interpreter, target: ast.Attribute, value: Value) -> bool:
    """Whether `target` (`holder.attr`, `holder` a local instance of a class of this module) is a
    property with a setter, whose summary then stored its fields on `holder`'s paths; False leaves
    the store to the caller (an attribute path of its own, read back as assigned)."""
    holder = target.value
    if type(holder) is not ast.Name or holder.id == "self":
        return False
    cls = instance(ev.env.get(holder.id))
    getter = ev.module.inherited(cls, target.attr) if cls is not None else None
    setter = setter_of(ev.module.by_name(), getter) if getter is not None else None
    summary = ev.summaries.get(setter.name) if setter is not None else None
    if summary is None or len(summary.params) != 1:
        return False
    step = ev.step(target, f"set through `{ast.unparse(target)}`")
    for field in _stored_fields(setter.node):
        stored = summary.fields.get(field)
        if stored is not None:
            ev.env[f"{holder.id}.{field}"] = instantiated(stored, {0: value}, step)
    ev.attributed.add(holder.id)
    return True


def _stored_fields(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The fields the setter assigns (`self._name = ...`): the others keep what the caller's
    instance held, not what the setter's own run saw in them."""
    return {t.attr for n in ast.walk(node) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign))
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"}
