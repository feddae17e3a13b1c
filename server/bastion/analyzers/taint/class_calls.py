"""Methods called through their class rather than on an instance: a static or class method of
a class of this module (`Student.get(conn, sid)`, its arguments its parameters), a method
called with the instance passed by hand (`Base.run(self, line)`, `Command.run(Command(), line)`:
its summary binds the arguments after the instance), and `super().method(...)` reaching a base
of another workspace module. summaries.py and calls.py ask; this module holds no state.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.analyzers.taint.domain import Value
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.results import Summary


def on_module_class(ev: Evaluator, func: ast.Attribute) -> bool:
    """`Class.method` of a class of this module whose method takes no instance (a staticmethod
    or classmethod): the call's arguments are its parameters."""
    owner = func.value  # read once: an AST node's attribute is a generic (dict) read
    if type(owner) is not ast.Name or owner.id in ev.env:
        return False
    name = ev.module.inherited(owner.id, func.attr)
    function = ev.module.function_named(name) if name is not None else None
    return function is not None and (function.implicit_params == 0 or any(
        isinstance(d, ast.Name) and d.id == "classmethod" for d in function.node.decorator_list))


def foreign_base_method(ev: Evaluator, class_name: str, method: str,
                         inputs: list[Value]) -> Summary | None:
    """The method `method` of the first base of another workspace module in the lineage of
    `class_name` (a class of this module) that has one."""
    external = ev.module.external
    if external is None:
        return None
    tainted = any(v.tainted for v in inputs)
    for cls in ev.module.lineage(class_name):
        for base in ev.module.class_bases.get(cls, ()):
            if base is not None and base not in ev.module.class_bases \
                    and (found := external(f"{base}.{method}", tainted)) is not None:
                return found
    return None


def unbound_method(ev: Evaluator, node: ast.Call, summary: Summary | None,
                   first: Value) -> Summary | None:
    """`Base.run(self, line)`, `Command.run(Command(), line)`: a method called through its
    class, the instance passed by hand, whose summary binds the arguments after it. A class
    of this module whose method takes an instance (not a static or class method); or, its
    summary found in another workspace module, a call passing `self` in a method or an
    instance of that class first. None for any other call."""
    func = node.func
    cls = func.value.id  # a name: calls.py asks only of `Name.method(...)`
    if type(node.args[0]) is ast.Starred:
        return None  # which argument is the instance is not known
    if cls in ev.module.class_bases:
        name = ev.module.inherited(cls, func.attr)
        function = ev.module.function_named(name) if name is not None else None
        if function is None or on_module_class(ev, func):
            return None
        return ev.summaries.get(name)
    if summary is None or cls in ("self", "cls"):
        return None
    kind = first.kind if not first.taint else None
    given = node.args[0]
    return summary if (type(given) is ast.Name and given.id == "self" and ev.class_name is not None) \
        or kind is not None and (kind == f"{cls}()" or kind.endswith(f".{cls}()")) else None
