"""`map(function, *iterables)`: what each element of the iterator it returns is, by the function
mapped (its own module: calls.py dispatches the builtin here)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, SAFE, UNKNOWN, Value

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def mapped(ev: Evaluator, func: ast.expr, element: Value) -> Value:
    """`map(int, ids)`, `map(shlex.quote, names)`: an iterator over each element (`element`: any
    element of the iterables, together) as the function returns it, when the function is a
    sanitizer or a propagator by name; else as an unknown call returns it."""
    name = ev.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
    sanitizer = ev.models.sanitizers.by_name(name) if name is not None else None
    if sanitizer and (sanitizer[0].args is None or 0 in sanitizer[0].args):
        cleans = sanitizer[0].cleans
        element = SAFE if cleans == EVERY_CLASS else element.evolve(clean=element.clean | cleans)
    elif name is None or not (ev.models.propagators.by_name(name) or name.startswith("str.")):
        element = element.evolve(modelled=False) if element.taint else element
    return Value(clean=EVERY_CLASS, items={ANY: element.evolve(const=UNKNOWN, kind=None)},
                 known=element.known)
