"""What a guard reads of a local's bindings in the function being run, when it tests a value
through a name bound before (`base = os.path.realpath(BASE)` then `path.startswith(base)`,
`ip = ipaddress.ip_address(host)` then `ip.is_private`): the expressions of its plain
assignments, read from the function's text, so a guard needs no binding kept in the walk.
They are all of the function's, later statements' too (`base = ...` edited below the guard
changes what the guard proves), so the read marks the walk as reading ahead (read_ahead.py):
a keystroke's walk is not resumed past it (a resumed walk kept the guard's answer for the
bindings the last text had). Stateless."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.read_ahead import whole_function
from bastion.analyzers.taint.signatures import every

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def bindings(ev: Evaluator, name: str) -> list[ast.expr] | None:
    """What the function being run binds `name` to, when each binding is a plain assignment, or
    one item of a tuple assigned item by item (`mac, data = blob[:32], blob[32:]`) (None: another
    binding, a parameter, a loop, an `except` / `import` name, a `match` capture...; empty: not
    bound in the function)."""
    whole = whole_function(ev)
    if whole is None:
        return None
    function = whole.node
    if name in {a.arg for a in every(function.args)}:
        return None
    found: list[ast.expr] = []
    targets: set[int] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            for bound, value in _pairs(target, node.value):
                if isinstance(bound, ast.Name) and bound.id == name:
                    if len(node.targets) != 1:
                        return None
                    found.append(value)
                    targets.add(id(bound))
    if any(isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
           and id(node) not in targets
           or isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name == name
           or isinstance(node, ast.alias) and (node.asname or node.name) == name
           for node in ast.walk(function)):
        return None  # also bound as an `except` / `import` name or a `match` capture
    return found


def _pairs(target: ast.expr, value: ast.expr) -> list[tuple[ast.expr, ast.expr]]:
    """Each name and the expression it is bound to (a tuple of names to one of as many items)."""
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
            and len(target.elts) == len(value.elts) \
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
        return list(zip(target.elts, value.elts, strict=True))
    return [(target, value)]
