"""What the module's own calls say about its functions (context.py):

- A function whose first parameter is named as a framework's handlers name the request
  (`def audit(request, action)` in a Django module) is an entry point; one the module also calls
  by name (`audit(request, "save")`) is a helper as well, whose other parameters its callers fill.
- A function handed the request object (`get_host(request)` in a Flask view, `parse(req)` with a
  Django view's `request`, `load(self.request)`, a factory `Job.from_request(request)` of a class
  of this module) holds the request in that parameter: `req.args` in it reads request data, as in
  the view.

What each statement calls is kept in the classification memo by the statement's node, which the
block parser reuses while its text is unchanged: a keystroke walks only what it edited. A long
function's statements are also kept by their lines: the block parser makes a new node of the
edited function, and of all its statements, at each keystroke, and the facts hold no positions,
so a keystroke walks the statement it edited.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.hand_reuse import last_handings
from bastion.analyzers.taint.nodes import (
    header_nodes,
    kept_by_node,
    kept_by_statements,
    long_function,
    nodes,
)
from bastion.analyzers.taint.signatures import by_keyword, positional
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.specs import Models

# (callee: `name` or `Class.name`, positional index or keyword, the argument: ("name", id) or
# ("self", attribute))
Handed = tuple[str, int | str, tuple[str, str]]
Facts = tuple[frozenset[str], tuple[Handed, ...]]


def called_here(names: list[str], tree: ast.Module, memo: LRU | None, text: str | None = None) -> set[str]:
    """Those of `names` (module-level functions) that the module calls by name. `text`: the
    module's text, which `tree`'s positions are of, where a long function is kept by its lines."""
    wanted = set(names)
    if not wanted:
        return set()
    found: set[str] = set()
    for statement in tree.body:
        found |= _calls_in(statement, memo, text) & wanted
    return found


def called_in(statements: list[ast.stmt], memo: LRU | None, text: str | None = None) -> frozenset[str]:
    """The names `statements` call by name, each statement's kept by node."""
    return frozenset().union(*(_calls_in(statement, memo, text) for statement in statements))


def handed(node: ast.AST, memo: LRU | None, text: str | None = None) -> tuple[Handed, ...]:
    """The calls by name (or `Name.attribute`) in `node` with a plain name or a `self.`
    attribute as an argument."""
    return _facts(node, memo, text)[1]


def _calls_in(statement: ast.stmt, memo: LRU | None, text: str | None) -> frozenset[str]:
    if isinstance(statement, ast.ClassDef):
        return _class_calls(statement, memo, text)
    return _facts(statement, memo, text)[0]


def _class_calls(node: ast.ClassDef, memo: LRU | None, text: str | None) -> frozenset[str]:
    """The names a class calls: its members', each kept by node, and its header's. The block
    parser makes a new node of a long class at each keystroke in one of its methods, whose walk
    cost 12 ms a key in _pydecimal.py's Decimal (a module with a `def audit(request, ...)`)."""
    return kept_by_node(memo, b"class calls", node, lambda _node: frozenset().union(
        *(_walked(child)[0] for child in header_nodes(node)),
        *(_calls_in(item, memo, text) for item in node.body)), moved=True)


def _facts(node: ast.AST, memo: LRU | None, text: str | None) -> Facts:
    return kept_by_node(memo, b"called", node, lambda _node: _by_statements(node, memo, text), moved=True)


def _by_statements(node: ast.AST, memo: LRU | None, text: str | None) -> Facts:
    """`_walked(node)`; a long function's as its header's and its statements', each statement's
    kept by its lines (`kept_by_statements`), with the function's name: the order of `handed`
    differs, which `hand_requests` does not read."""
    if memo is None or text is None or not long_function(node):
        return _walked(node)

    def lines_of() -> Callable[[int, int], str] | None:
        starts, first = _line_starts(node, text), node.lineno
        return None if starts is None else \
            lambda start, end: text[starts[start - first]:starts[end - first + 1]]
    parts = kept_by_statements(memo, (b"called lines", node.name), node, _walked, lines_of)
    return frozenset().union(*(calls for calls, _ in parts)), tuple(h for _, found in parts for h in found)


def _line_starts(node: ast.AST, text: str) -> list[int] | None:
    """The offsets in `text` of a long function's lines from its `def` and of the line after
    (or the text's end), or None: short, `text` counts lines in other ways than by `\n` alone,
    or the `def` of its name is not where the node says (not the tree's text)."""
    if not long_function(node) or "\r" in text:
        return None
    offset = 0
    for _ in range(node.lineno - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    at = offset + node.col_offset
    if not text.startswith(("def", "async"), at) or node.name not in text[at:text.find("(", at)]:
        return None
    starts = [offset]
    for _ in range(node.end_lineno - node.lineno + 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            if len(starts) <= node.end_lineno - node.lineno:
                return None
            offset = len(text)
        starts.append(offset)
    return starts


def _walked(node: ast.AST) -> Facts:
    """The names `node` calls, and the calls' arguments `handed` reads."""
    calls: set[str] = set()
    arguments: list[Handed] = []
    for call in nodes(node):  # the function a keystroke edits, at each key
        callee = callee_of(call) if call.__class__ is ast.Call else None
        if callee is None:
            continue
        if "." not in callee:
            calls.add(callee)
        for slot, value in arguments_of(call):
            if slot is None:
                break
            how = held(value)
            if how is not None:
                arguments.append((callee, slot, how))
    return frozenset(calls), tuple(arguments)


def callee_of(call: ast.Call) -> str | None:
    """What a call names: `name`, or `Name.attribute` (`Job.from_request`, `self.helper`)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return None


def arguments_of(call: ast.Call) -> list[tuple[int | str | None, ast.expr]]:
    """A call's arguments by slot: a position or a keyword, None from a starred argument on
    (the positions past it are unknown) and for a `**mapping`."""
    starred = next((i for i, a in enumerate(call.args) if isinstance(a, ast.Starred)), len(call.args))
    return [*((i if i < starred else None, a) for i, a in enumerate(call.args)),
            *((k.arg, k.value) for k in call.keywords)]


def held(value: ast.expr) -> tuple[str, str] | None:
    """An argument as `handed` keeps it: ("name", id) of a plain name, ("self", attribute) of a
    `self.` attribute; None for any other."""
    if isinstance(value, ast.Name):
        return ("name", value.id)
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "self":
        return ("self", value.attr)
    return None


def hand_requests(functions: list[Function], env: Env, models: Models, memo: LRU | None,
                  text: str | None = None) -> None:
    """Set `request_kinds` on the module's plain functions (no entry, or a helper entry) and its
    classes' staticmethods and classmethods that a call of the module hands the request object:
    an entry's request parameter, a module-level request (`flask.request`), or `self.request` of
    a handler. A parameter also handed another name, or requests of two kinds, holds none: its
    callers fill it as any parameter. `text`: as for `called_here`. What is unedited since the
    last keystroke is kept (hand_reuse.py)."""
    last = last_handings(memo, (env.aliases, models.digest))
    facts = last.update(functions, _hand_facts)
    if not any([fact[3] for fact in facts]):  # no request to hand (most modules)
        if last.aliases_hold is None:
            last.aliases_hold = any(models.holds_sources(kind) for kind in set(env.aliases.values()))
        if not last.aliases_hold:
            return
    plain = {fact[1]: fact[0] for fact in facts if fact[1] is not None}
    # `Params(request)` hands it to `Params.__init__`, which may keep it (`self.request =
    # request`): its methods then read the request's data through that field
    plain.update({fact[2]: fact[0] for fact in facts if fact[2] is not None})
    if not plain:
        return
    handings = last.handings(facts, frozenset(plain), memo,
                             lambda c: _handings(c, plain, env, models, memo, text))
    reach = {fact[1]: fact[6] for fact in facts if fact[1] is not None}
    reach.update({fact[2]: fact[6] for fact in facts if fact[2] is not None})
    kinds = last.combined(handings, list(reach.values()), lambda: _combine(handings, reach))
    for function, found in zip(plain.values(), kinds, strict=True):
        function.request_kinds = found


def _hand_facts(function: Function) -> tuple:
    """hand_reuse.Facts of a function; what a call reaches of one it can hand the request:
    (the name calls it by, its parameters by position past `self` or `cls`, by keyword)."""
    node = function.node
    plain = function.class_name is None and (function.entry is None or function.helper) \
        or _factory(function)
    init = function.class_name is not None and node.name == "__init__" and function.entry is None
    reach = (_called_as(function), tuple(a.arg for a in positional(node.args)[function.implicit_params:]),
             tuple(a.arg for a in by_keyword(node.args))) if plain or init else None
    return (function, function.name if plain else None, function.class_name if init else None,
            bool(function.entry is not None and function.request_params or function.self_kind),
            id(node), id(function), reach)


def _combine(handings: list[tuple], reach: dict[str, tuple]) -> list[tuple[tuple[str, str], ...]]:
    """Each of `reach`'s request kinds, from the callers' handings: (parameter, kind), none of
    a parameter handed requests of two kinds or another name."""
    found: dict[tuple[str, str], str | None] = {}
    for callee, slot, kind in (handing for caller in handings for handing in caller):
        _, taken, names = reach[callee]
        param = (taken[slot] if slot < len(taken) else None) if isinstance(slot, int) \
            else slot if slot in names else None
        if param is not None:
            key = (callee, param)
            found[key] = kind if found.get(key, kind) == kind else None
    return [tuple(sorted((param, kind) for (callee, param), kind in found.items()
                         if kind is not None and callee == called_as))
            for called_as, _, _ in reach.values()]


def _handings(caller: Function, plain: dict[str, Function], env: Env, models: Models, memo: LRU | None,
              text: str | None) -> tuple[tuple[str, int | str, str | None], ...]:
    """What `caller` hands the functions named `plain`: (callee, slot, the request's kind or
    None) of each such call, as `hand_requests` combines them."""
    return tuple((callee, slot, _request_kind(caller, how, name, env, models))
                 for callee, slot, (how, name) in handed(caller.node, memo, text) if callee in plain)


def _called_as(function: Function) -> str:
    """How a call names the function: a class's `__init__` by the class's name."""
    return function.class_name if function.class_name is not None \
        and function.node.name == "__init__" else function.name


def _request_kind(caller: Function, how: str, name: str, env: Env, models: Models) -> str | None:
    if how == "self":
        kind = f"{caller.self_kind}.{name}" if caller.self_kind else None
    elif caller.entry is not None and name in caller.request_params:
        kind = caller.entry.request_kind
    else:
        kind = env.aliases.get(name)  # a module-level name: `from flask import request`
        if kind is None or not models.holds_sources(kind):
            return None
        # unless a parameter of the caller shadows it (looked for last: most names hold no
        # request, and walking the parameters of every call's caller cost 5 ms a keystroke)
        return None if any(a.arg == name for a in ast.walk(caller.node.args)
                           if isinstance(a, ast.arg)) else kind
    return kind if kind is not None and models.holds_sources(kind) else None


def _factory(function: Function) -> bool:
    """A staticmethod or classmethod, which a call by its class's name fills."""
    decorators = function.node.decorator_list
    # most methods have none: asked of each method at each keystroke (`hand_requests`)
    return bool(decorators) and function.class_name is not None and function.entry is None and any(
        isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in decorators)
