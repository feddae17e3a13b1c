"""The fields a framework's dispatch method hands its handler: Django's `View.dispatch` calls
the handler (`get`, `post`), so in a view's own `dispatch` the handler runs at its call of the
base class's (`return super().dispatch(request, *args, **kwargs)`) or of a handler method
(`self.get(request)`), or of the handler it looks up by the request's method as Django's own
does (`handler = getattr(self, request.method.lower(), ...)`, then `handler(request)`; or
`getattr(self, ...)(request)`), with `self` as it is there: a field guarded before that call
(`if not self.name.isalnum(): return HttpResponseBadRequest()`) is guarded in the handler, one
guarded only after it is not.

The state at each such call is kept (`Evaluator.handed`), joined over the calls, and is the
method's `fields` (statements.py) in place of the state at its returns: what `_set_up`
(analysis.py) starts the handler with. A method with no such call keeps its returns' fields.
A field of `self` the method read without storing it (kept under `[self].name` for its guards,
self_fields.py) is handed as the guards left it; where a call's state never read it, the
handler sees it as the method got it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import Value, join
from bastion.analyzers.taint.self_fields import KEPT

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator


def calls_handler(function: Function) -> frozenset[str] | None:
    """When the handler runs inside `function` (a setup method its entry model names among the
    `handler_callers`, Django's `dispatch`), the names it binds to a method of `self` looked up
    by a name not constant (`handler = getattr(self, request.method.lower())`); else None."""
    entry = function.entry
    if entry is None or function.self_kind is None or function.node.name not in entry.handler_callers:
        return None
    return frozenset(target.id for node in ast.walk(function.node) if type(node) is ast.Assign
                     and _looked_up(node.value) for target in node.targets if type(target) is ast.Name)


def _looked_up(node: ast.expr) -> bool:
    """`getattr(self, name, ...)` of a name not constant: the handler for the request's method."""
    return type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "getattr" \
        and len(node.args) >= 2 and type(node.args[0]) is ast.Name and node.args[0].id == "self" \
        and type(node.args[1]) is not ast.Constant


def hand_over(ev: Evaluator, node: ast.Call) -> None:
    """Keep the fields at `node` when it runs the handler: `super().<this method>(...)`, a
    handler of the entry's called on `self` (`self.get(request)`), or one looked up by name."""
    func = node.func
    if ev.env is None or ev.depth:
        return
    if _looked_up(func) or type(func) is ast.Name and func.id in ev.dispatcher:
        ev.handed = _joined(ev, _fields_at(ev), ev.handed)
        return
    if type(func) is not ast.Attribute:
        return
    owner, function = func.value, ev.function
    if type(owner) is ast.Call and type(owner.func) is ast.Name and owner.func.id == "super":
        handler = func.attr == function.node.name
    else:
        handler = type(owner) is ast.Name and owner.id == "self" and func.attr in function.entry.methods \
            and func.attr not in function.setup_methods
    if handler:
        ev.handed = _joined(ev, _fields_at(ev), ev.handed)


def _fields_at(ev: Evaluator) -> dict[str, Value]:
    env = ev.env
    fields = {key[5:]: value for key, value in env.items() if key.startswith("self.")}
    if "self" not in ev.escaped:  # else a kept read is not what the field holds (self_fields.py)
        fields.update({key[len(KEPT):]: value for key, value in env.items()
                       if key.startswith(KEPT) and key[len(KEPT):] not in fields})
    return fields


def _joined(ev: Evaluator, fields: dict[str, Value], before: dict[str, Value] | None
            ) -> dict[str, Value]:
    """The fields of two calls' states: a field one of them did not touch is, there, what the
    method started with (if it started with it)."""
    if before is None:
        return fields
    out = {}
    for name in fields.keys() | before.keys():
        values = [v for v in (fields.get(name), before.get(name)) if v is not None]
        if len(values) == 1 and name in ev.fields:
            values.append(ev.fields[name])
        out[name] = join(*values) if len(values) == 2 else values[0]
    return out
