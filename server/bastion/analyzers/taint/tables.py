"""Module-level tables of functions picked by a key: `ACTIONS = {"ping": lambda h: ..., "user":
lookup}` read in a view as `ACTIONS[kind](host)` or `ACTIONS.get(kind)(host)`. The key is
request data, so any value may run: each runs in place on the call's arguments (closures.py,
as a lambda of a local display does), and the call's value is what they return, joined. A key
known as a constant (`ACTIONS["ping"](host)`) runs only the value it names.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.closures import LocalFunction, call_local
from bastion.analyzers.taint.domain import UNKNOWN, Value, join_all
from bastion.analyzers.taint.wrappers import as_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.statements import Interpreter

MAX_ENTRIES = 16  # a longer table is data, not a handful of handlers


def function_tables(body: list[ast.stmt], names: set[str], definitions: list[ast.stmt],
                    env: Env) -> dict[str, tuple[tuple[object, LocalFunction], ...]]:
    """The dicts of `names` (bound once and not changed: the module's constants) whose every
    value is a lambda or a function of the module, by name: each value as a function, with its
    key's constant (UNKNOWN for a key that is not one)."""
    # each node told by its class, a read, not an `isinstance` call: every top-level statement
    # and definition at each keystroke (the parser makes no subclass of them)
    defined = {d.name: d for d in definitions if d.__class__ is ast.FunctionDef
               or d.__class__ is ast.AsyncFunctionDef}
    tables: dict[str, tuple[LocalFunction, ...]] = {}
    for node in body:
        if not (node.__class__ is ast.Assign and node.value.__class__ is ast.Dict
                and len(node.targets) == 1 and node.targets[0].__class__ is ast.Name
                and node.targets[0].id in names and 0 < len(node.value.values) <= MAX_ENTRIES):
            continue
        functions = [_function(value, defined, env) for value in node.value.values]
        if all(f is not None for f in functions) and None not in node.value.keys:
            keys = [k.value if isinstance(k, ast.Constant) else UNKNOWN for k in node.value.keys]
            tables[node.targets[0].id] = tuple((k, f) for k, f in zip(keys, functions, strict=True)
                                               if f is not None)
    return tables


def _function(value: ast.expr, defined: dict, env: Env) -> LocalFunction | None:
    node = as_function("<lambda>", value, env) if isinstance(value, ast.Lambda) \
        else defined.get(value.id) if isinstance(value, ast.Name) else None
    return None if node is None else LocalFunction.of(node)


def table_key(entries: tuple[tuple[object, LocalFunction], ...]) -> list:
    """What of the table a function's analysis depends on, for the module's digest: the keys and
    the functions' texts (an edit of one changes what a view picking from the table reaches)."""
    return [(repr(key), ast.dump(f.node)) for key, f in entries]


def picked_call(ev: Interpreter, node: ast.Call, args: list[Value], keywords: dict) -> Value | None:
    """`TABLE[key](...)`, `TABLE.get(key)(...)` of a module table: every function run, their
    values joined (only the one a constant key names); None when the callee is no such pick, or
    one of them is not run, or a constant key names none."""
    func = node.func
    if type(func) is ast.Subscript:
        table, keys = func.value, [func.slice]
    elif type(func) is ast.Call and type(func.func) is ast.Attribute and func.func.attr == "get":
        table, keys = func.func.value, func.args
    else:
        return None
    if type(table) is not ast.Name or ev.env is None or table.id in ev.env \
            or table.id not in ev.module.tables or not keys:
        return None
    key = [ev.eval(k) for k in keys][0]  # the key is read (a request item's verdicts, escapes)
    entries = ev.module.tables[table.id]
    if key.const is not UNKNOWN and not key.taint:
        entries = tuple((k, f) for k, f in entries if k is not UNKNOWN and k == key.const)
        if not entries:
            return None
    returned = [call_local(ev, function, node, args, keywords) for _, function in entries]
    if any(r is None for r in returned):
        return None
    return join_all([r for r in returned if r is not None])
