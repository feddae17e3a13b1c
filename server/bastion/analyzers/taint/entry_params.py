"""What the framework passes each parameter of an entry point (entries.py classifies the function,
this module reads its parameters for the entry it takes): the request object, its response, a
dependency's return value, validated or pattern-matched data, and the untrusted parameters
(all, after the request, a route rule's segments, a GraphQL resolver's arguments, or by name)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import NameSet
from bastion.analyzers.taint.annotations import (
    annotated_type,
    element_type,
    optional_type,
    pattern_cleans,
    validated,
)
from bastion.analyzers.taint.body_fields import clean_paths
from bastion.analyzers.taint.classes import model_fields
from bastion.analyzers.taint.factories import annotated_calls, factory_statements, resolve
from bastion.analyzers.taint.option_types import declared_clean
from bastion.analyzers.taint.signatures import default_values, named, packed
from bastion.analyzers.taint.type_aliases import expanded
from bastion.deferred_patterns import deferred

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env
    from bastion.analyzers.taint.classes import ClassShape
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.entry_models import EntryModel
    from bastion.engine.cache import LRU

_FLASK_PARAM = deferred(r"<(?:([^<>:]*):)?([A-Za-z_][A-Za-z0-9_]*)>")
# Werkzeug's converters that match only digits or a UUID: no injection fits in their value.
_TYPED_CONVERTERS = frozenset({"int", "float", "uuid"})
# Sanic's `<name:type>`, the name first: the types it converts to a number, a UUID or a date
# (`number` is `float` before 21.12); `str`, `path`, `alpha`, `slug` or a regex stay text.
# Bottle's filters are so written too (`<id:int>`, `<ratio:float>`; `path`, `re` stay text).
_NAME_FIRST_PARAM = deferred(r"<([A-Za-z_][A-Za-z0-9_]*):([^<>]*)>")
_NAME_FIRST_TYPED = frozenset({"int", "float", "number", "uuid", "ymd"})


def _resolver_skip(function: Function) -> int:
    """How many of a GraphQL resolver's parameters after `self` are not the query's arguments:
    Graphene and Ariadne call it with the parent value and the info first, whatever their names,
    also a method without `@staticmethod` (Graphene takes the plain function: `self` is the
    parent), and a classmethod after its `cls` (`mutate_and_get_payload(cls, root, info, **input)`)."""
    classmethod = any(isinstance(d, ast.Name) and d.id == "classmethod"
                      for d in function.node.decorator_list)
    return 2 + classmethod - function.implicit_params


def registered_routes(expressions: list[ast.stmt], definitions: list[ast.stmt], env: Env,
                      kinds: dict[str, str], entries: list[EntryModel], memo: LRU | None = None
                      ) -> dict[str, tuple[tuple[str, str], ...]]:
    """(registrar, URL rule) pairs by class name, of the calls registering a class of the module
    with its rules, one of the entries' `class_routes` (Flask-RESTful's
    `api.add_resource(Todo, "/todos/<int:todo_id>")`), at module level or in an app factory."""
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    classes = {d.name for d in definitions if type(d) is ast.ClassDef}  # a read, not a call each
    inside = factory_statements(definitions, classes, env, kinds, memo) if classes else ()
    # the registrars of every entry, one set made at the first call to look up: most entries
    # have none, and each call of a module's (21 a keystroke in _pydecimal.py) asked every entry's
    registrars: NameSet | None = None
    # types read, not `isinstance` calls, and a list display: each module-level statement at
    # every keystroke
    for statement, local in [*[(s, kinds) for s in expressions], *inside]:
        call = statement.value if type(statement) is ast.Expr else None
        if type(call) is not ast.Call or not call.args or type(call.args[0]) is not ast.Name:
            continue
        name = resolve(call, env, local)
        if name is not None and registrars is None:
            registrars = NameSet([registrar for e in entries
                                  for registrar in (*e.class_routes.exact, *e.class_routes.globs)])
        if name is not None and name in registrars:
            rules = tuple((name, a.value) for a in call.args[1:]
                          if isinstance(a, ast.Constant) and isinstance(a.value, str))
            found[call.args[0].id] = (*found.get(call.args[0].id, ()), *rules)
    return found


def _route_typed(function: Function, entry: EntryModel, env: Env, kinds: dict[str, str]) -> set[str]:
    """The parameters the class's URL rules (`@ns.route("/<int:item_id>")` or a registration,
    one of the entry's `class_routes`) declare with a typed converter in each rule naming them."""
    typed: set[str] = set()
    untyped: set[str] = set()
    rules = [rule for registrar, rule in function.class_routes if registrar in entry.class_routes]
    for decorator in function.class_node.decorator_list:
        rule = decorator.args[0] if isinstance(decorator, ast.Call) and decorator.args else None
        if isinstance(rule, ast.Constant) and isinstance(rule.value, str) \
                and resolve(decorator, env, kinds) in entry.class_routes:
            rules.append(rule.value)
    for rule in rules:
        for converter, name in _FLASK_PARAM().findall(rule):
            (typed if converter.strip() in _TYPED_CONVERTERS else untyped).add(name)
    return typed - untyped


def entry_params(function: Function, entry: EntryModel, decorator: ast.expr | None,
                 env: Env, kinds: dict[str, str], classes: dict[str, ClassShape],
                 aliases: dict[str, ast.Subscript] | None = None) -> None:
    """Sets on `function`, an entry's, what the framework passes each parameter; `aliases`:
    the module's `Annotated` type aliases, read in place of a parameter's annotation naming one."""
    args = function.node.args
    params = named(args)[function.implicit_params:]  # self
    defaults = {p.arg: d for p, d in default_values(args).items()}
    requests: list[str] = []
    responses: list[tuple[str, str]] = []
    tainted: list[str] = []
    safe: list[str] = []  # validated into data no injection fits in
    fields: list[tuple[str, frozenset[str]]] = []
    patterned: list[tuple[str, frozenset[str]]] = []
    dependencies: list[tuple[str, str]] = []
    resolver_skip = _resolver_skip(function) if entry.params == "resolver_args" else 0
    options = declared_clean(function.node, entry, env, kinds, classes)  # click's `type=int`
    for index, param in enumerate(params):
        declared = expanded(param.annotation, aliases)  # `commons: CommonsDep`
        bare = annotated_type(declared, env, kinds)  # `Annotated[Filter, Query()]`: Filter
        annotation = resolve(bare, env, kinds) if bare is not None else None
        default = defaults.get(param.arg)
        given = next((c for c in [default, *annotated_calls(declared)]
                      if isinstance(c, ast.Call) and resolve(c, env, kinds) in entry.not_when_default),
                     None)
        if annotation is not None and annotation in entry.request_annotations \
                or param.arg in entry.request_params:
            requests.append(param.arg)
        elif annotation is not None and annotation in entry.response_annotations:
            responses.append((param.arg, annotation + "()"))
        elif index == 1 and entry.second_kind is not None:
            responses.append((param.arg, entry.second_kind))
        elif param.arg in entry.response_params and entry.response_kind is not None:
            responses.append((param.arg, entry.response_kind))
        elif given is not None:  # what the framework passes: a dependency's return value
            target = given.args[0] if given.args else bare
            shape = classes.get(target.id) if isinstance(target, ast.Name) else None
            if shape is not None and shape.init_params:
                # `commons: Params = Depends()`: an instance of the class, its `__init__`'s
                # parameters filled from the request (the typed ones validated)
                tainted.append(param.arg)
                fields.append((param.arg, frozenset(
                    name for name, kind in shape.init_params
                    if kind is not None and validated(kind, entry.clean_annotations, env, kinds, classes))))
            elif given.args and isinstance(given.args[0], ast.Name):
                dependencies.append((param.arg, given.args[0].id))
            continue
        elif param.arg in options or declared is not None \
                and validated(declared, entry.clean_annotations, env, kinds, classes):
            safe.append(param.arg)
        elif entry.params == "after_first" and index == 0:
            requests.append(param.arg)
        elif entry.params == "resolver_args":
            if index >= resolver_skip or param in args.kwonlyargs:
                tainted.append(param.arg)
        elif entry.params in ("all", "after_first"):
            tainted.append(param.arg)
            cleans = pattern_cleans(declared, default, env, kinds)
            if cleans:
                patterned.append((param.arg, cleans))
            model = optional_type(bare, env, kinds)
            # `items: list[Item]`: each element's fields, kept under `items[]`
            element = element_type(model, env, kinds)
            model = element if element is not None else model
            model_name = resolve(model, env, kinds) if model is not None else None
            models = entry.validated_models
            body = model_fields(model_name, classes, models) if models else None
            values = model_fields(model_name, classes, models, defaults=True) if body else None
            clean = clean_paths(body or {}, entry, env, kinds, classes)  # `customer.age` too
            if clean:
                fields.append((param.arg + ("[]" if element is not None else ""), clean))
            # a body field declared with a pattern (`constr(pattern=...)`, `Annotated[str,
            # Field(pattern=...)]`, `= Field(pattern=...)`): kept as "param.field", a name no
            # parameter has
            patterned += [(f"{param.arg}.{name}", found) for name, kind in (body or {}).items()
                          if element is None and name not in clean
                          and (found := pattern_cleans(kind, (values or {}).get(name), env, kinds))]
        elif isinstance(entry.params, tuple) and param.arg in entry.params \
                or entry.params == "first" and index == 0:
            tainted.append(param.arg)
    if entry.params == "path" and isinstance(decorator, ast.Call) and decorator.args:
        rule = decorator.args[0]
        if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
            converters = {name: converter.strip()
                          for converter, name in _FLASK_PARAM().findall(rule.value)}
            tainted = [p.arg for p in params if p.arg in converters
                       and converters[p.arg] not in _TYPED_CONVERTERS]
            safe = [p.arg for p in params if converters.get(p.arg) in _TYPED_CONVERTERS]
    elif entry.params in ("all", "after_first") and isinstance(decorator, ast.Call) and decorator.args \
            and isinstance(rule := decorator.args[0], ast.Constant) and isinstance(rule.value, str):
        # Sanic's and Bottle's `<name:int>`, or Werkzeug's `<int:name>` (Klein): the other
        # order names no parameter of the function
        typed = {name for name, kind in _NAME_FIRST_PARAM().findall(rule.value)
                 if kind.strip() in _NAME_FIRST_TYPED} \
            | {name for converter, name in _FLASK_PARAM().findall(rule.value)
               if converter.strip() in _TYPED_CONVERTERS}
        safe += [name for name in tainted if name in typed]
        tainted = [name for name in tainted if name not in typed]
    if (entry.class_routes.exact or entry.class_routes.globs) and function.class_node is not None:
        typed = _route_typed(function, entry, env, kinds)
        safe += [name for name in tainted if name in typed]
        tainted = [name for name in tainted if name not in typed]
    if entry.params in ("all", "after_first", "resolver_args"):
        tainted += [p.arg for p in packed(args)]
    function.dependencies = tuple(dependencies)
    function.tainted_params = () if function.helper else tuple(tainted)
    function.request_params = tuple(requests)
    function.response_params = tuple(responses)
    function.validated_params = tuple(safe)
    function.pattern_params = tuple(patterned)
    function.validated_fields = tuple(fields)
