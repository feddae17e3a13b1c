"""Module-level tables of functions picked by a key: `ACTIONS = {"ping": lambda h: ..., "user":
lookup}` read in a view as `ACTIONS[kind](host)` or `ACTIONS.get(kind)(host)`. The key is
request data, so any value may run: each runs in place on the call's arguments (closures.py,
as a lambda of a local display does), and the call's value is what they return, joined.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.closures import LocalFunction, call_local
from bastion.analyzers.taint.domain import Value, join_all
from bastion.analyzers.taint.wrappers import as_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.statements import Interpreter

MAX_ENTRIES = 16  # a longer table is data, not a handful of handlers


def function_tables(body: list[ast.stmt], names: set[str], definitions: list[ast.stmt],
                    env: Env) -> dict[str, tuple[LocalFunction, ...]]:
    """The dicts of `names` (constant keys, bound once and not changed: the module's constants)
    whose every value is a lambda or a function of the module, by name, each value as a
    function."""
    defined = {d.name: d for d in definitions if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef))}
    tables: dict[str, tuple[LocalFunction, ...]] = {}
    for node in body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Dict)
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in names
                and 0 < len(node.value.values) <= MAX_ENTRIES):
            continue
        functions = [_function(value, defined, env) for value in node.value.values]
        if all(f is not None for f in functions):
            tables[node.targets[0].id] = tuple(f for f in functions if f is not None)
    return tables


def _function(value: ast.expr, defined: dict, env: Env) -> LocalFunction | None:
    node = as_function("<lambda>", value, env) if isinstance(value, ast.Lambda) \
        else defined.get(value.id) if isinstance(value, ast.Name) else None
    return None if node is None else LocalFunction(node.name, node.lineno, node.col_offset, node)


def table_key(functions: tuple[LocalFunction, ...]) -> list:
    """What of the table a function's analysis depends on, for the module's digest: the
    functions' texts (an edit of one changes what a view picking from the table reaches)."""
    return [ast.dump(f.node) for f in functions]


def picked_call(ev: Interpreter, node: ast.Call, args: list[Value], keywords: dict) -> Value | None:
    """`TABLE[key](...)`, `TABLE.get(key)(...)` of a module table: every function run, their
    values joined; None when the callee is no such pick or one of them is not run."""
    func = node.func
    if type(func) is ast.Subscript:
        table = func.value
    elif type(func) is ast.Call and type(func.func) is ast.Attribute and func.func.attr == "get":
        table = func.func.value
    else:
        return None
    if type(table) is not ast.Name or ev.env is None or table.id in ev.env \
            or table.id not in ev.module.tables:
        return None
    ev.eval(func)  # the key is read (a request item's verdicts, escapes)
    returned = [call_local(ev, function, node, args, keywords) for function in ev.module.tables[table.id]]
    if any(r is None for r in returned):
        return None
    return join_all([r for r in returned if r is not None])
