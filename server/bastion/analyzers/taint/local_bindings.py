"""What a guard reads of a local's bindings in the function being run, when it tests a value
through a name bound before (`base = os.path.realpath(BASE)` then `path.startswith(base)`,
`ip = ipaddress.ip_address(host)` then `ip.is_private`): the expressions of its plain
assignments, read from the function's text, so a guard needs no binding kept in the walk."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.signatures import every

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def bindings(ev: Evaluator, name: str) -> list[ast.expr] | None:
    """What the function being run binds `name` to, when each binding is a plain assignment
    (None: another binding, a parameter, a loop, ...; empty: not bound in the function)."""
    function = ev.function.node if ev.function is not None else None
    if function is None:
        return None
    if name in {a.arg for a in every(function.args)}:
        return None
    assigned = [node for node in ast.walk(function) if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)]
    targets = {id(t) for node in assigned for t in node.targets}
    if any(len(node.targets) != 1 for node in assigned) or any(
            isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
            and id(node) not in targets for node in ast.walk(function)):
        return None
    return [node.value for node in assigned]
