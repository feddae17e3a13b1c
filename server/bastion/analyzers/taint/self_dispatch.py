"""A method that runs another method of its class picked by a name it is handed or reads, as
`cmd.Cmd` and hand-written dispatchers do: `getattr(self, "do_" + action)(request)`, or the
name it is bound to, called (`handler = getattr(self, "do_" + action, None)`; `handler(request)`).
The name may be request data, so any method it can name may run: the call applies the summary of
each method of the class (or of its bases of this module) whose name the constant text starts,
their values joined; a name no constant starts (`getattr(self, name)`) may pick any attribute,
reflection (reflection.py), not followed here. callees.py analyses those methods before the
dispatching one, so that their summaries are there (asked only of a method calling `getattr`;
following every public method for a `getattr(self, name)` too doubled a scan of the standard
library, 13 -> 25 s).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import leading_text
from bastion.analyzers.taint.domain import Value, join_all
from bastion.analyzers.taint.nodes import kept_in, nodes
from bastion.analyzers.taint.read_ahead import whole_function
from bastion.analyzers.taint.summaries import apply_summary

if TYPE_CHECKING:
    from bastion.analyzers.taint.context_record import ModuleContext
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator

MAX_METHODS = 16  # more candidates is a class of everything, not a handful of handlers
_BINDINGS = "self_dispatch bindings"  # the module's helper_memo key, with the function's node


def dispatched(ev: Evaluator, node: ast.Call, args: list[Value],
               keywords: dict[str | None, Value]) -> Value | None:
    """The value of a call of a method picked by name on `self`, every candidate's summary
    applied; None when the callee is no such pick or a candidate has no summary yet."""
    func = node.func
    if ev.class_name is None or ev.env is None:
        return None
    if isinstance(func, ast.Call):
        pick = _picking(func)
    else:  # a name holding what a `getattr` call returned: the function is read for its binding
        held = ev.env.get(func.id) if isinstance(func, ast.Name) else None
        pick = func if held is not None and held.kind == "getattr()" else None
    function = whole_function(ev) if pick is not None else None
    if function is not None and isinstance(func, ast.Name):
        pick = kept_in(ev.module.helper_memo, _BINDINGS, function.node, bindings).get(func.id)
    if function is None or pick is None:
        return None
    names = candidates(ev.module, function, leading_text(pick.args[1]))
    summaries = [ev.summaries.get(name) for name in names]
    if not summaries or any(s is None for s in summaries):
        return None
    if isinstance(node.func, ast.Call):
        ev.eval(node.func)  # the pick itself is read: a name not started by a constant is reflection
    receiver = ev.env.get("self")
    return join_all([apply_summary(ev, node, s, args, keywords, receiver) for s in summaries if s])


def candidates(module: ModuleContext, function: Function, prefix: str) -> list[str]:
    """The methods (`Class.method`) a pick may name from `function`, a method: those of its
    lineage its constant text (`prefix`, its `leading_text`) starts, but itself and dunders;
    none past MAX_METHODS, nor without such a text."""
    if function.class_name is None:
        return []
    if not prefix:  # any method, `getattr(self, name)`: reflection (reflection.py), not dispatch
        return []
    found: dict[str, str] = {}
    for cls in reversed(module.lineage(function.class_name)):  # a subclass's method wins
        for other in module.functions:
            name = other.node.name
            if other.class_name == cls and name != function.node.name and name.startswith(prefix) \
                    and not name.startswith("__"):
                found[name] = other.name
    return sorted(found.values()) if len(found) <= MAX_METHODS else []


def picks(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """The constant texts leading the names of the `getattr(self, name)` calls of `function`
    called at once or bound to a name it binds once: what `candidates` reads of them, no node
    nor line, so that callees.py keeps them by the function's node, and by its text's last
    node when an edit above moved it."""
    found: list[ast.Call] = []
    bound = bindings(function)
    for node in nodes(function):
        if isinstance(node, ast.Call) and (pick := _picking(node.func)) is not None:
            found.append(pick)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and _picking(node.value) is not None \
                and (pick := bound.get(node.targets[0].id)) is not None:
            found.append(pick)
    return tuple(leading_text(pick.args[1]) for pick in found)


def _picking(node: ast.expr) -> ast.Call | None:
    """`getattr(self, name)` or `getattr(self, name, default)`, the name not a constant."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
            and 2 <= len(node.args) <= 3 and not node.keywords and isinstance(node.args[0], ast.Name) \
            and node.args[0].id == "self" and not isinstance(node.args[1], ast.Constant):
        return node
    return None


def bindings(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.Call | None]:
    """Each name the function stores: the pick it is bound to, when it binds it once, to one;
    else None. One walk for every name (`picks` and each call of a bound pick asked it of one
    name, a walk each); `dispatched` keeps it by node for the module's analysis."""
    stores: dict[str, list[ast.Name]] = {}
    assigned: dict[int, ast.expr] = {}  # id of a lone Name target -> the value assigned
    for node in nodes(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores.setdefault(node.id, []).append(node)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            assigned[id(node.targets[0])] = node.value
    return {name: _picking(assigned[id(names[0])]) if len(names) == 1 and id(names[0]) in assigned
            else None for name, names in stores.items()}
