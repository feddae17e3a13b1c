"""The classes a resource's fields hold when the module builds it with a service at its top
level (Falcon's documented pattern: `app.add_route("/images", Resource(image_store))`, after
`image_store = ImageStore(path)`; `__init__(self, store)` keeps it, `self.store = store`): the
field is read as a clean instance of the service's class, as an annotated one is
(declared_classes.py), so a method called on it is the class's. Only when every building of the
class in the module is one of those top-level calls, each giving an instance of the same class
for that parameter: built anywhere else (a function, a test, an `if` block), the field may hold
anything its caller passed. Stateless: each class's stores are kept by its node in the module's
memo."""

from __future__ import annotations

import ast
from collections.abc import Callable, Container
from typing import TYPE_CHECKING

from bastion.analyzers.taint.declared_classes import declared_class
from bastion.analyzers.taint.helpers import called_in
from bastion.analyzers.taint.nodes import LastCall, nodes
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
    the parameter `__init__` stores there}. `expressions`: the module-level statements holding a
    call; `once`: whether a global is bound once; `skipped`: records and forms."""
    kept = [d for d in definitions if isinstance(d, ast.ClassDef) and d.name not in skipped]
    wanted = {node.name: stores for node, stores in zip(
        kept, LastCall(memo, b"constructed fields").each(kept, _plain_stores), strict=True) if stores}
    if not wanted:
        return {}
    classes = {d.name for d in definitions if isinstance(d, ast.ClassDef)}
    built: dict[str, list[ast.Call]] = {}
    for calls in LastCall(memo, b"constructed calls").each(expressions, _calls_by_name):
        for call in calls:
            if call.func.id in wanted:
                built.setdefault(call.func.id, []).append(call)
    if not built:
        return {}
    assigned = {s.targets[0].id: s.value for s in expressions
                if isinstance(s, ast.Assign) and len(s.targets) == 1
                and isinstance(s.targets[0], ast.Name) and isinstance(s.value, ast.Call)}
    listed = {id(s) for s in expressions}
    elsewhere = called_in([s for s in tree.body if id(s) not in listed], memo, text)
    found = {}
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
            found[name] = table
    return found


def _calls_by_name(statement: ast.AST) -> tuple[ast.Call, ...]:
    """The calls of a name in a top-level statement (`Reports(store)` in `app.add_route(...)`)."""
    return tuple(n for n in nodes(statement) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name))


def _plain_stores(node: ast.AST) -> _Stores:
    """The fields the class's `__init__` stores, among its own statements, straight from a
    parameter with no annotation it never binds again (an annotated one is declared_classes')."""
    init = next((item for item in node.body if isinstance(item, ast.FunctionDef)
                 and item.name == "__init__"), None)
    if init is None:
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
