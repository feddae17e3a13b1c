"""The builtins that read or write variables by name. `getattr(obj, "name")` and
`setattr(obj, "name", value)` with a constant name: the attribute read or written as `obj.name`
is (a form filled field by field, a settings object read by name), so what a view stores through
one is there when it reads it back, and a constant attribute stays the constant. A name that is
not a constant is reflection (reflection.py), left to the call. `locals()` / `vars()`: a dict of
the function's variables (`"echo {q}".format(**locals())`)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS, NONE, Value, join

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

REFLECTING = frozenset({"getattr", "setattr", "locals", "vars"})  # the names attribute_call answers


def attribute_call(ev: Evaluator, node: ast.Call) -> Value | None:
    """The value of a `getattr` / `setattr` of a constant name on a name or an attribute path
    (binding the attribute for `setattr`), of `locals()` / `vars()`; None for any other call."""
    func, args = node.func, node.args
    if type(func) is ast.Name and func.id in ("locals", "vars") and not args and not node.keywords \
            and ev.env is not None and func.id not in ev.env:
        return Value(clean=EVERY_CLASS, items={k: v for k, v in ev.env.items() if k.isidentifier()})
    if type(func) is not ast.Name or func.id not in ("getattr", "setattr") or node.keywords \
            or (ev.env is not None and func.id in ev.env) or len(args) not in (2, 3) \
            or not isinstance(args[1], ast.Constant) or not isinstance(args[1].value, str) \
            or not args[1].value.isidentifier() or not _plain_path(args[0]):
        return None
    if func.id == "setattr":
        if len(args) != 3:
            return None
        value = ev.eval(args[2])
        ev.bind(ast.copy_location(ast.Attribute(args[0], args[1].value, ast.Store()), node), value,
                "set as")
        return NONE
    read = ev.eval(ast.copy_location(ast.Attribute(args[0], args[1].value, ast.Load()), node))
    return read if len(args) == 2 else join(read, ev.eval(args[2]))  # or the default


def _plain_path(node: ast.expr) -> bool:
    """`obj`, `self.form`: reading it again has no effect."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)
