"""The same-file call graph's walks, over what `CalleeMemo` (callees.py) says each function
calls: the functions some call, transitively (`closure`), those that call some (`callers`), and
the strongly connected components, callees' before callers' (`components`): the order
analysis.py interprets a module's functions in. The last two fill `seen`, when given, with the
callees of each function they reach, in the order they reach them, and `callers` its `calls`
with what it found of each node: what plans.py checks or takes again in the next text.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.entries import Function

if TYPE_CHECKING:
    from bastion.analyzers.taint.analysis import FunctionOutcome


def callers(names: list[str], module: ModuleContext, callees_of: CalleeMemo,
            done: dict[str, FunctionOutcome], last: dict[ast.AST, bool] | None = None,
            calls: dict[ast.AST, bool] | None = None, short: frozenset[str] | None = None) -> set[str]:
    """The functions not in `done` that call one of `names` (by its last part, as a plain call
    or an attribute's), or read fields their class's `__init__` in `names` filled. `calls`, when
    given, is filled with whether each function's node calls one, as `last` was in the last text
    for the same last parts: a node holds the same text, hence the same facts (`CalleeMemo`'s
    records), but a function a later one of its name hides (its facts are its name's text's);
    `short`, the names' last parts, when the caller has them."""
    if not names:
        return set()
    if short is None:
        short = frozenset({name.rsplit(".", 1)[-1] for name in names})
    found = set()
    named = module.by_name() if calls is not None else {}
    for f in module.functions:
        if f.name not in done:
            node = f.node
            shown = calls is not None and named[f.name] is f
            if shown and last is not None and node in last:
                hit = last[node]
            else:
                facts = callees_of.facts(f)
                hit = not short.isdisjoint(facts.plain) or not short.isdisjoint(facts.attributes)
            if shown:
                calls[node] = hit
            if hit:
                found.add(f.name)
    carriers = set(names)
    inits: dict[str, str | None] = {}  # each class's `__init__` looked up once, not once a method
    for f in module.functions:  # methods reading `self` fields their `__init__` filled
        owner = f.class_name
        if owner is None or f.name in done:
            continue
        if owner not in inits:
            inits[owner] = module.inherited(owner, "__init__")
        if inits[owner] in carriers:
            found.add(f.name)
    return found


def closure(names: set[str], module: ModuleContext, callees_of: CalleeMemo,
            seen: dict[str, frozenset[str] | tuple] | None = None) -> set[str]:
    """`names` and every same-file function they call, transitively."""
    found = set(names)
    stack = list(names)
    named = module.by_name()
    kept = callees_of.found  # the callees already found, read without a call each
    while stack:
        name = stack.pop()
        callees = kept[name] if name in kept else callees_of(named[name]) if name in named else ()
        if seen is not None:
            seen[name] = callees
        for callee in callees:
            if callee not in found:
                found.add(callee)
                stack.append(callee)
    return found


def components(module: ModuleContext, callees_of: CalleeMemo, wanted: set[str] | None,
               seen: dict[str, frozenset[str]] | None = None) -> list[list[Function]]:
    """The call graph's strongly connected components among `wanted` functions and what they
    call, callees' components before callers' (Tarjan's algorithm, iterative); a component's
    members as the stack gives them back, the last found first: along the walk's calls a callee
    before its caller, so what a member returns reaches its callers in one round of a cycle."""
    by_name = module.by_name()  # read, not changed
    kept = callees_of.found  # the callees already found, read without a call each
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[Function]] = []
    for root in module.functions:
        if root.name in index or (wanted is not None and root.name not in wanted):
            continue
        # a name's node is its last definition (callees.py), also where an earlier one roots the walk
        callees = kept[root.name] if root.name in kept else callees_of(by_name[root.name])
        if seen is not None:
            seen[root.name] = callees
        work = [(root.name, iter(sorted(callees)))]
        index[root.name] = low[root.name] = len(index)
        stack.append(root.name)
        on_stack.add(root.name)
        while work:
            name, pending = work[-1]
            callee = next(pending, None)
            if callee is not None:
                if callee not in index:
                    index[callee] = low[callee] = len(index)
                    stack.append(callee)
                    on_stack.add(callee)
                    callees = kept[callee] if callee in kept else callees_of(by_name[callee])
                    if seen is not None:
                        seen[callee] = callees
                    work.append((callee, iter(sorted(callees))))
                elif callee in on_stack:
                    low[name] = min(low[name], index[callee])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[name])
            if low[name] == index[name]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(by_name[member])
                    if member == name:
                        break
                out.append(component)
    return out
