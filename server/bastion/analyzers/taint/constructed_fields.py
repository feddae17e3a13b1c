"""The classes a resource's fields hold when the module builds it with a service at its top
level (Falcon's documented pattern: `app.add_route("/images", Resource(image_store))`, after
`image_store = ImageStore(path)`; `__init__(self, store)` keeps it, `self.store = store`): the
field is read as a clean instance of the service's class, as an annotated one is
(declared_classes.py), so a method called on it is the class's. Only when every building of the
class in the module is one of those top-level calls, each giving an instance of the same class
for that parameter: built anywhere else (a function, a test, an `if` block), the field may hold
anything its caller passed.

Tornado builds a handler itself, calling its `initialize(**kwargs)` with the keywords its route
gives (`(r"/items", ItemHandler, dict(db=database))`, `url(r"/items", ItemHandler, {"db":
database})`): in a module importing tornado, a field `initialize` stores is the class every route
naming the handler gives for it, in a top-level statement or one of the module's functions or
methods (`make_app()`), as a constructor called there or a global bound once (not a local of that
function); a handler built by call, subclassed, or routed without that keyword may hold anything.
Stateless: each class's stores and each statement's routes are kept by its node in the module's
memo."""

from __future__ import annotations

import ast
from collections.abc import Callable, Container
from typing import TYPE_CHECKING

from bastion.analyzers.taint.declared_classes import declared_class
from bastion.analyzers.taint.helpers import called_in
from bastion.analyzers.taint.nodes import LastCall, last_name, nodes
from bastion.analyzers.taint.signatures import every, positional

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env
    from bastion.engine.cache import LRU

# (field, parameter, its position after `self`) of each `self.field = parameter`
_Stores = tuple[tuple[str, str, int], ...]


def constructed_fields(tree: ast.Module, definitions: list[ast.stmt], expressions: list[ast.stmt],
                       env: Env, once: Callable[[str], bool], skipped: Container[str],
                       memo: LRU | None = None, text: str | None = None) -> dict[str, dict[str, str]]:
    """Class -> {field -> the class of the instance every top-level building of it passes for
    the parameter `__init__` stores there, or every route gives a Tornado handler's
    `initialize`}. `expressions`: the module-level statements holding a
    call; `once`: whether a global is bound once; `skipped`: records and forms."""
    kept = [d for d in definitions if d.__class__ is ast.ClassDef and d.name not in skipped]
    found = _routed_fields(kept, tree, definitions, expressions, env, once, skipped, memo, text) \
        if env.imported(("tornado",)) else {}
    wanted = {node.name: stores for node, stores in zip(
        kept, LastCall(memo, b"constructed fields").each(kept, _plain_stores), strict=True) if stores}
    if not wanted:
        return found
    classes = {d.name for d in definitions if d.__class__ is ast.ClassDef}
    built: dict[str, list[ast.Call]] = {}
    for calls in LastCall(memo, b"constructed calls").each(expressions, _calls_by_name):
        for call in calls:
            if call.func.id in wanted:
                built.setdefault(call.func.id, []).append(call)
    if not built:
        return found
    assigned = _assigned(expressions)
    listed = {id(s) for s in expressions}
    elsewhere = called_in([s for s in tree.body if id(s) not in listed], memo, text)
    for name, calls in built.items():
        if name in elsewhere:
            continue
        table = {}
        for field, param, position in wanted[name]:
            held = {_instance_class(_argument(call, param, position), assigned, env, once, classes, skipped)
                    for call in calls}
            if len(held) == 1 and None not in held:
                table[field] = held.pop()
        if table:
            found[name] = {**found.get(name, {}), **table}
    return found


def _assigned(expressions: list[ast.stmt]) -> dict[str, ast.Call]:
    """The globals a top-level statement binds to a call's result (`database = ItemStore(path)`)."""
    return {s.targets[0].id: s.value for s in expressions
            if isinstance(s, ast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Name) and isinstance(s.value, ast.Call)}


def _routed_fields(kept: list[ast.ClassDef], tree: ast.Module, definitions: list[ast.stmt],
                   expressions: list[ast.stmt], env: Env, once: Callable[[str], bool],
                   skipped: Container[str], memo: LRU | None,
                   text: str | None) -> dict[str, dict[str, str]]:
    """Handler -> {field -> the class of the instance every route naming it gives the keyword
    its `initialize` stores there}."""
    wanted = {node.name: stores for node, stores in zip(
        kept, LastCall(memo, b"initialized fields").each(kept, _initialize_stores), strict=True) if stores}
    if not wanted:
        return {}
    routes: dict[str, list[tuple[dict[str, ast.expr] | None, frozenset[str]]]] = {}
    for found_routes in LastCall(memo, b"tornado routes").each(tree.body, _routes):
        for handler, given, local in found_routes:
            if handler in wanted:
                routes.setdefault(handler, []).append((given, local))
    bases = {base.id for d in definitions if isinstance(d, ast.ClassDef)
             for base in d.bases if isinstance(base, ast.Name)}
    classes = {d.name for d in definitions if d.__class__ is ast.ClassDef}
    assigned = _assigned(expressions)
    called = called_in(tree.body, memo, text)
    found = {}
    for name, given in routes.items():
        if name in bases or name in called:
            continue
        table = {}
        for field, param, _position in wanted[name]:
            held = {None if keywords is None or param not in keywords or _local(keywords[param], local)
                    else _instance_class(keywords[param], assigned, env, once, classes, skipped)
                    for keywords, local in given}
            if len(held) == 1 and None not in held:
                table[field] = held.pop()
        if table:
            found[name] = table
    return found


def _local(value: ast.expr, local: frozenset[str]) -> bool:
    return isinstance(value, ast.Name) and value.id in local


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_ROUTE_CALLS = frozenset({"url", "URLSpec", "Rule"})
# (handler, the keywords its route gives, None when not written out; the names the top-level
# definition holding it binds) of each route naming a class in a top-level statement
_Routes = tuple[tuple[str, dict[str, ast.expr] | None, frozenset[str]], ...]


def _routes(statement: ast.AST) -> _Routes:
    """The routes of a statement: `(pattern, Handler, kwargs)` tuples, `url(pattern, Handler,
    kwargs)` calls (`URLSpec`) and `Rule(matcher, Handler, target_kwargs)`; any tuple naming a
    class second counts, so a route the reading does not know leaves the handler's fields open."""
    walked = nodes(statement)
    local: frozenset[str] = frozenset()
    if isinstance(statement, _DEFINITIONS):
        local = frozenset({n.id for n in walked if type(n) is ast.Name and type(n.ctx) is not ast.Load}
                          | {a.arg for n in walked if type(n) is ast.arguments for a in every(n)})
    found = []
    for node in walked:
        if isinstance(node, (ast.Tuple, ast.List)):
            parts, extra = node.elts, None
        elif isinstance(node, ast.Call) and last_name(node.func) in _ROUTE_CALLS:
            parts, extra = node.args, next((k.value for k in node.keywords
                                            if k.arg in ("kwargs", "target_kwargs")), None)
        else:
            continue
        if len(parts) < 2 or not isinstance(parts[1], ast.Name):
            continue
        kwargs = parts[2] if len(parts) > 2 else extra
        found.append((parts[1].id, {} if kwargs is None else _keywords(kwargs), local))
    return tuple(found)


def _keywords(kwargs: ast.expr) -> dict[str, ast.expr] | None:
    """The keywords a route's `dict(db=database)` or `{"db": database}` gives; None: not written
    out (a name, `**extra`)."""
    if isinstance(kwargs, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                            for k in kwargs.keys):
        return {k.value: v for k, v in zip(kwargs.keys, kwargs.values, strict=True)}
    if isinstance(kwargs, ast.Call) and isinstance(kwargs.func, ast.Name) and kwargs.func.id == "dict" \
            and not kwargs.args and all(k.arg is not None for k in kwargs.keywords):
        return {k.arg: k.value for k in kwargs.keywords}
    return None


def _calls_by_name(statement: ast.AST) -> tuple[ast.Call, ...]:
    """The calls of a name in a top-level statement (`Reports(store)` in `app.add_route(...)`)."""
    return tuple(n for n in nodes(statement) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name))


def _plain_stores(node: ast.AST) -> _Stores:
    """The fields the class's `__init__` stores, among its own statements, straight from a
    parameter with no annotation it never binds again (an annotated one is declared_classes')."""
    return _stores(node, "__init__")


def _initialize_stores(node: ast.AST) -> _Stores:
    """... and the fields a Tornado handler's `initialize` stores."""
    return _stores(node, "initialize")


def _stores(node: ast.AST, method: str) -> _Stores:
    # a loop telling each member by its class: the class a keystroke made anew has them all
    for init in node.body:
        if init.__class__ is ast.FunctionDef and init.name == method:
            break
    else:
        return ()
    listed = [a.arg for a in positional(init.args)][1:]
    params = {a.arg for a in every(init.args) if a.annotation is None}
    found = [(item.targets[0].attr, item.value.id) for item in init.body
             if isinstance(item, ast.Assign) and len(item.targets) == 1
             and isinstance(item.targets[0], ast.Attribute) and isinstance(item.targets[0].value, ast.Name)
             and item.targets[0].value.id == "self" and isinstance(item.value, ast.Name)
             and item.value.id in params]
    if not found:
        return ()
    rebound = {n.id for n in nodes(init) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    return tuple((field, param, listed.index(param) if param in listed else -1)
                 for field, param in found if param not in rebound)


def _argument(call: ast.Call, param: str, position: int) -> ast.expr | None:
    given = next((k.value for k in call.keywords if k.arg == param), None)
    if given is None and 0 <= position < len(call.args) \
            and not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        given = call.args[position]
    return given


def _instance_class(given: ast.expr | None, assigned: dict[str, ast.Call], env: Env,
                    once: Callable[[str], bool], classes: Container[str],
                    skipped: Container[str]) -> str | None:
    """The class `given` is an instance of: a constructor called there (`Resource(ImageStore(
    path))`), or a global bound once to one (`image_store = ImageStore(path)`)."""
    if isinstance(given, ast.Name) and given.id in assigned and once(given.id):
        given = assigned[given.id]
    if not isinstance(given, ast.Call):
        return None
    return declared_class(given.func, env, classes, skipped)
