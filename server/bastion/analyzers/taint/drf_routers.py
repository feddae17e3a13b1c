"""Django REST framework's routers in a `urls.py` (url_routes.py reads them with its routes):
`router = DefaultRouter()`, `router.register(r"items", views.ItemViewSet)`, its `router.urls`
in the URL patterns. A router routes a viewset's detail methods (`retrieve`, `update`,
`destroy`, `@action(detail=True)`) with the lookup `(?P<pk>[^/.]+)`, DRF's SimpleRouter's
`get_lookup_regex`: the viewset's `lookup_url_kwarg` or `lookup_field` names it ("pk" without
either) and its `lookup_value_regex` is its pattern (`[^/.]+` without one); a regex prefix's
groups (`r"users/(?P<user_pk>[^/.]+)/items"`) are captured too. A viewset that does not set
these attributes itself and derives from a class other than DRF's may inherit others: nothing
is known of its lookup then, nor of a router built with `use_regex_path=False` (its lookup is
a path converter, `lookup_value_converter`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.analyzers.matchers import Env

Params = dict[str, frozenset[str]]  # url_routes.Params: parameter -> the sink classes it is clean for
# (the viewset's file, its name there, what the registration's prefix captures)
Registration = tuple[str, str, Params]

_ROUTERS = frozenset({"rest_framework.routers.DefaultRouter", "rest_framework.routers.SimpleRouter"})
_LOOKUP = ("lookup_field", "lookup_url_kwarg", "lookup_value_regex")
_DEFAULT_LOOKUP = ("pk", None, "[^/.]+")
_UNKNOWN = object()  # an attribute bound to something other than a constant


def router_registrations(tree: ast.Module, env: Env, split: Callable[[str], tuple[str | None, str]],
                         captures: Callable[[ast.expr], Params]) -> tuple[Registration, ...]:
    """The viewsets of workspace modules the module's routers register, for the routers whose
    `urls` the module reads; `split` gives a qualified name's file and name there, `captures`
    what a rule (the prefix, a regex) captures."""
    routers = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and isinstance(node.value, ast.Call) and env.qualname(node.value.func) in _ROUTERS \
                and not any(k.arg == "use_regex_path" for k in node.value.keywords):
            routers.add(node.targets[0].id)
    if not routers:
        return ()
    read = {node.value.id for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and node.attr == "urls" and isinstance(node.value, ast.Name)}
    found: list[Registration] = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) \
                or call.func.attr != "register" or not isinstance(call.func.value, ast.Name) \
                or call.func.value.id not in routers & read or len(call.args) < 2:
            continue
        name = env.qualname(call.args[1])
        target, inside = split(name) if name is not None else (None, "")
        if target is not None and "." not in inside:
            found.append((target, inside, captures(call.args[0])))
    return tuple(found)


def viewset_lookup(tree: ast.Module, name: str, env: Env,
                   cleaned: Callable[[str], frozenset[str]]) -> Params:
    """What the detail routes a router makes for the class `name` of `tree` capture: its
    lookup's name and the sink classes its pattern (`cleaned`) makes it clean for."""
    cls = next((node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name), None)
    if cls is None:
        return {}
    declared: dict[str, object] = {}
    for node in cls.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in _LOOKUP:
            value = node.value
            declared[node.targets[0].id] = value.value if isinstance(value, ast.Constant) else _UNKNOWN
    if any(value is not None and not isinstance(value, str) for value in declared.values()):
        return {}  # bound to something else than a string or None
    inherited = [n for n in _LOOKUP if n not in declared]
    if inherited and not all((env.qualname(base) or "").startswith("rest_framework.") for base in cls.bases):
        return {}  # a base of the project's may set them
    field, kwarg, regex = (declared.get(name, default)
                           for name, default in zip(_LOOKUP, _DEFAULT_LOOKUP, strict=True))
    return {str(kwarg or field): cleaned(str(regex))}
