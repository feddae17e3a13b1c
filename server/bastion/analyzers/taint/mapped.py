"""`map(function, *iterables)`: what each element of the iterator it returns is, by the function
mapped (its own module: calls.py dispatches the builtin here). A lambda or a nested function
runs in place on any element of each iterable, as a call of it would (closures.py), so that
`map(lambda c: "-", name)` is constant and `map(lambda c: os.system(c), names)` reports.
`functools.reduce(function, items, initial)` runs such a function in place on each slot of a
list in order (at most FOLDED of them), the accumulated value first."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import in_order
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
    local = _local(ev, node.args[0])
    if local is None:
        return None
    call = ast.copy_location(ast.Call(node.args[0], node.args[1:], []), node)
    return call_local(ev, local, call, [iterable.item(ANY) for iterable in iterables], {})


def _local(ev: Evaluator, func: ast.expr) -> LocalFunction | None:
    """The lambda or nested function `func` is (None: another function)."""
    held = ev.env.get(func.id) if isinstance(func, ast.Name) and ev.env else None
    if isinstance(func, ast.Lambda):
        definition = as_function("<lambda>", func, ev.names)
        return LocalFunction.of(definition)
    return held.const if held is not None and isinstance(held.const, LocalFunction) else None


REDUCE = frozenset({"functools.reduce", "_functools.reduce"})
FOLDED = 8  # slots run through the function: each run costs the function's statements


def reduced(ev: Evaluator, node: ast.Call, args: list[Value]) -> Value | None:
    """`reduce(function, items[, initial])` of a lambda or nested function over a list in order;
    None otherwise (the caller's default model: an unknown call)."""
    if len(args) not in (2, 3) or node.keywords or len(node.args) != len(args) \
            or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    local = _local(ev, node.args[0])
    slots = in_order(args[1])
    if local is None or slots is None or len(slots) > FOLDED or not slots and len(args) == 2:
        return None
    value, rest = (args[2], slots) if len(args) == 3 else (slots[0], slots[1:])
    # a call of the function with two positional arguments (the accumulated value, a slot)
    call = ast.copy_location(ast.Call(node.args[0], [node.args[1], node.args[1]], []), node)
    for slot in rest:
        value = call_local(ev, local, call, [value, slot], {})
        if value is None:
            return None
    return value
