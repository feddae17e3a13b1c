"""Names a module defines twice: each definition is code that runs, so each is analysed and
reported on its own. FastAPI keeps both routes of a view copied under a second path
(`@app.get("/a") def read()` then `@app.get("/b") def read()`), Flask both of a view given a
second endpoint; a script may call a helper between two definitions of its name.

So each definition is a function of its own name (`named_apart`): the last keeps the name,
the one a call in a function body finds (the body runs after the module bound its last
definition); an earlier one is `read@1`, `read@2`..., a name no call spells, in the order of
the module. A global bound at top level and read by a function (top_level_sources.py) holds
what the definition bound at its line returns (`summaries.summary_for`; `top_bound` keys the
readers). A property's getter keeps its name before its `@cmd.setter` (`Job.cmd`, what a
read of `job.cmd` runs; the setter is `Job.cmd@1`). A module-level call runs the definition
bound where it is (`bound_at`): `h(sys.argv[1])` after the first `def h` and before the second
runs the first.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function

SEPARATOR = "@"  # between a name and its earlier definition's number: no identifier holds it


def named_apart(functions: list[Function]) -> list[Function]:
    """`functions`, each definition of a name defined again later under the name of its order,
    from 1 (a copy of its kept `Function`: the kept one is a fresh text's too)."""
    names = {f.name for f in functions}
    if len(names) == len(functions):
        return functions  # most modules: a set made a text, no copy
    kept: dict[str, int] = {}
    for index, f in enumerate(functions):
        if f.name not in kept or not _accessor(f):
            kept[f.name] = index
    seen = dict.fromkeys(names, 0)
    apart = []
    for index, f in enumerate(functions):
        if kept[f.name] != index:
            seen[f.name] += 1
            f = attrs.evolve(f, name=f"{f.name}{SEPARATOR}{seen[f.name]}")
        apart.append(f)
    return apart


def _accessor(function: Function) -> bool:
    """A `@name.setter` or `@name.deleter` of a property: a read of `name` runs its getter,
    which keeps the name however many accessors follow it."""
    short = function.node.name
    return any(type(d) is ast.Attribute and d.attr in ("setter", "deleter") and type(d.value) is ast.Name
               and d.value.id == short for d in function.node.decorator_list)


def setter_of(by_name: dict[str, Function], getter: str) -> Function | None:
    """The `@name.setter` of the property whose getter is `getter` (`Job.cmd`), if it has one."""
    return next((f for name in definitions_of(by_name, getter)[1:]
                 if (f := by_name[name]).node.decorator_list
                 and any(type(d) is ast.Attribute and d.attr == "setter" for d in f.node.decorator_list)
                 and _accessor(f)), None)


def bound_at(by_name: dict[str, Function], name: str, line: int) -> str:
    """The name of the definition of `name` the module has bound when its top-level code at
    `line` runs: the last one above it, else `name` (a call above every definition)."""
    last = by_name.get(name)
    if last is None or last.node.lineno < line:
        return name
    bound, count = name, 1
    while (earlier := by_name.get(f"{name}{SEPARATOR}{count}")) is not None and earlier.node.lineno < line:
        bound, count = earlier.name, count + 1
    return bound


def definition_lines(functions: list[Function]) -> list[tuple[str, int]]:
    """(name, line) of each definition of a name defined twice: which one a module-level call
    runs follows from them (the top-level code's cache key holds them)."""
    twice = {f.name.partition(SEPARATOR)[0] for f in functions if SEPARATOR in f.name}
    return [(f.name, f.node.lineno) for f in functions if f.name.partition(SEPARATOR)[0] in twice] \
        if twice else []


def definitions_of(by_name: dict[str, Function], name: str) -> list[str]:
    """The names of every definition of `name`: the earlier ones a module-level call may run."""
    found, count = [name], 1
    while f"{name}{SEPARATOR}{count}" in by_name:
        found.append(f"{name}{SEPARATOR}{count}")
        count += 1
    return found


def top_bound(definitions: list[ast.stmt], calls: dict[str, frozenset[str]], chains: dict) -> tuple:
    """For the module's digest: of each top-level binding a function reads (`chains`, with the
    functions they call, `calls`: top_level_sources.py) calling a name defined twice, which of
    its definitions runs there, by its order (a move of a definition across the binding changes
    what the readers read); () in a module defining no such name twice."""
    called = {name for names in calls.values() for name in names}
    lines: dict[str, list[int]] = {}
    for node in definitions:
        if type(node) in (ast.FunctionDef, ast.AsyncFunctionDef) and node.name in called:
            lines.setdefault(node.name, []).append(node.lineno)
    twice = {name: found for name, found in lines.items() if len(found) > 1}
    if not twice:
        return ()
    return tuple((n.func.id, n.lineno, sum(line < n.lineno for line in twice[n.func.id]))
                 for name in sorted(chains) for value, _ in chains[name] for n in ast.walk(value)
                 if type(n) is ast.Call and type(n.func) is ast.Name and n.func.id in twice)

