"""An instance of a class of this module built from no untrusted data (`Runner()`,
`Holder("ls")`): it holds, as its fields, the constants its `__init__` stored, `self.cmd = "ls"`,
or a parameter stored as it was given, `self.text = text`, the argument's constant; so that
`Holder("ls").text` is "ls" (a pattern finding on it is retracted, verdicts.py) rather than
clean data of unknown content. Only immutable scalars: a list field changes in place. What its
methods store later is set_instance_fields' (instances.py); an instance handed elsewhere is
seen through (escapes.py)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS, UNKNOWN, Value
from bastion.analyzers.taint.held_calls import instance
from bastion.analyzers.taint.instances import class_called
from bastion.analyzers.taint.nodes import kept_in, nodes
from bastion.analyzers.taint.summaries import bind_arguments

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_SCALARS = (str, bytes, int, float, bool)
_STORED = "constant_instances stored"  # the module's helper_memo key, with `__init__`'s node


def built_constant(ev: Evaluator, node: ast.Call, args: list[Value],
                   keywords: dict[str | None, Value]) -> Value | None:
    """The instance with its constant fields; None when it has none (the default model)."""
    own = class_called(ev, node.func)
    found = ev.module.inherited(own, "__init__") if own is not None else None
    init = ev.summaries.get(found) if found is not None else None
    function = ev.module.function_named(found) if found is not None else None
    if init is None or function is None or init.hands_on or not init.fields:
        return None
    given = kept_in(ev.module.helper_memo, _STORED, function.node, stored_params)
    bound = bind_arguments(init.params, node, args, keywords)
    items = {}
    for field, value in init.fields.items():
        if field in given:
            index = init.params.index(given[field]) if given[field] in init.params else None
            value = bound.get(index) if index is not None else None
        if value is not None and not value.taint and (
                instance(value) is not None  # `UserService(UserRepository(conn))` (held_calls.py)
                or not value.items and type(value.const) in _SCALARS and value.const is not UNKNOWN):
            items[field] = value
    return Value(clean=EVERY_CLASS, items=items, kind=f"{own}()", known=True) if items else None


def stored_params(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """The fields `__init__` stores once, in its body's own statements, straight from a
    parameter it never rebinds (`self.text = text`), by the parameter's name. One walk, kept by
    node for the module's analysis (`built_constant`: each constructor call walked it twice)."""
    params = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    rebound: set[str] = set()
    stores: dict[str, int] = {}
    for node in nodes(function):
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                rebound.add(node.id)
        elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load) \
                and isinstance(node.value, ast.Name) and node.value.id == "self":
            stores[node.attr] = stores.get(node.attr, 0) + 1
    out = {}
    for statement in function.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                    and target.value.id == "self" and stores.get(target.attr) == 1 \
                    and isinstance(value, ast.Name) and value.id in params and value.id not in rebound:
                out[target.attr] = value.id
    return out
