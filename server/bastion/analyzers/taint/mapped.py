"""`map(function, *iterables)`: what each element of the iterator it returns is, by the function
mapped (its own module: calls.py dispatches the builtin here). A lambda or a nested function
runs in place on any element of each iterable, as a call of it would (closures.py), so that
`map(lambda c: "-", name)` is constant and `map(lambda c: os.system(c), names)` reports."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.closures import LocalFunction, call_local
from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, SAFE, UNKNOWN, Value
from bastion.analyzers.taint.wrappers import as_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def mapped(ev: Evaluator, node: ast.Call, iterables: list[Value], element: Value) -> Value:
    """`map(int, ids)`, `map(shlex.quote, names)`: an iterator over each element (`element`: any
    element of the iterables, together) as the function returns it, when the function is run
    in place, a sanitizer or a propagator by name; else as an unknown call returns it."""
    func = node.args[0]
    ran = _run(ev, node, iterables)
    name = ev.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) and ran is None else None
    sanitizer = ev.models.sanitizers.by_name(name) if name is not None else None
    if ran is not None:
        element = ran
    elif sanitizer and (sanitizer[0].args is None or 0 in sanitizer[0].args):
        cleans = sanitizer[0].cleans
        element = SAFE if cleans == EVERY_CLASS else element.evolve(clean=element.clean | cleans)
    elif name is None or not (ev.models.propagators.by_name(name) or name.startswith("str.")):
        element = element.evolve(modelled=False) if element.taint else element
    return Value(clean=EVERY_CLASS, items={ANY: element.evolve(const=UNKNOWN, kind=None)},
                 known=element.known)


def _run(ev: Evaluator, node: ast.Call, iterables: list[Value]) -> Value | None:
    """What a lambda or a nested function mapped returns for any element of each iterable; None
    for another function, or one not run (closures.py's bounds)."""
    func = node.args[0]
    held = ev.env.get(func.id) if isinstance(func, ast.Name) and ev.env else None
    if isinstance(func, ast.Lambda):
        definition = as_function("<lambda>", func, ev.names)
        local = LocalFunction(definition.name, definition.lineno, definition.col_offset, definition)
    elif held is not None and isinstance(held.const, LocalFunction):
        local = held.const
    else:
        return None
    call = ast.copy_location(ast.Call(func, node.args[1:], []), node)
    return call_local(ev, local, call, [iterable.item(ANY) for iterable in iterables], {})
