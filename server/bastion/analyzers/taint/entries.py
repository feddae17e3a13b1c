"""Which functions and methods of a module the interpreter may analyse (`Function`), and which
of them are entry points whose parameters are untrusted: by an entry model's decorator,
registrar, function name, first parameter, signature or class (what the framework passes each
parameter of an entry: entry_params.py).

`Classified` (classified.py) keeps each function's classification. `_LAST_NAMES`, this module's
own, holds what the last list of entry models names a function by (`_names_of`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.classes import ClassShape
from bastion.analyzers.taint.entry_models import EntryModel
from bastion.analyzers.taint.entry_params import entry_params
from bastion.analyzers.taint.factories import Registration, annotated_calls, resolve
from bastion.analyzers.taint.mixins import mixed_into, owner_of
from bastion.analyzers.taint.rebound import named_apart
from bastion.analyzers.taint.signatures import default_values, named, packed, positional

if TYPE_CHECKING:
    from bastion.analyzers.taint.classified import Classified
    from bastion.analyzers.taint.context_reuse import KeptFunctions

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FUNCTION_TYPES = frozenset(FUNCTIONS)  # told by `node.__class__`, a read, not a call


@attrs_classes.define
class Function:
    """One analysable function: a top-level `def`, or a method with its class."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    name: str  # `view` or `Class.method`
    class_name: str | None = None
    class_node: ast.ClassDef | None = None
    entry: EntryModel | None = None
    tainted_params: tuple[str, ...] = ()
    request_params: tuple[str, ...] = ()  # parameters that hold the framework's request object
    # parameters the framework hands its response object (FastAPI's `response: Response`), or
    # another object of a kind (EntryModel.second_kind): (parameter, its kind, an instance of
    # the annotation's class for a response)
    response_params: tuple[tuple[str, str], ...] = ()
    validated_params: tuple[str, ...] = ()  # the framework made them numbers, UUIDs, dates
    # body parameters whose fields the framework validated so: (parameter, those fields), or
    # ("items[]", those fields) for each element of a collection of bodies (`items: list[Item]`)
    validated_fields: tuple[tuple[str, frozenset[str]], ...] = ()
    # parameters matched against a declared pattern: (parameter, the sink classes it is safe for);
    # ("body.field", ...) for a body model's field declared with one
    pattern_params: tuple[tuple[str, frozenset[str]], ...] = ()
    return_sink: str | None = None  # the sink class the entry's return value reaches
    # entered by its first parameter's name (`def audit(request, action)`) but called by the
    # module itself: its other parameters are its callers', not the framework's
    helper: bool = False
    # parameters the module's calls hand the request object (helpers.py): (parameter, its kind)
    request_kinds: tuple[tuple[str, str], ...] = ()
    self_kind: str | None = None  # the kind of `self` (a method of a framework's handler class)
    setup_methods: tuple[str, ...] = ()  # what the framework calls first: EntryModel's
    # parameters the framework fills with what a same-file function returns (FastAPI's
    # `user = Depends(current_user)`): (parameter, that function)
    dependencies: tuple[tuple[str, str], ...] = ()
    # a nested function: the parameters among entries' `factory_params` of the function that
    # returns it (Django's function middleware, made by a factory of `get_response`)
    made_by: frozenset[str] = frozenset()
    # a method's: the (registrar, URL rule) pairs of the calls registering its class
    # (`api.add_resource(Todo, "/todos/<int:todo_id>")`, entry_params.registered_routes)
    class_routes: tuple[tuple[str, str], ...] = ()

    @property
    def implicit_params(self) -> int:
        """Leading parameters a call does not pass: a method's `self` or `cls`, none for a
        function or a staticmethod."""
        if self.class_name is None or any(isinstance(d, ast.Name) and d.id == "staticmethod"
                                          for d in self.node.decorator_list):
            return 0
        return 1

    @property
    def set_up_before(self) -> tuple[str, ...]:  # the setup methods called before this one
        names = () if self.node.name == "__init__" else self.setup_methods  # `__init__` is first
        return names[:names.index(self.node.name)] if self.node.name in names else names


def imported_in_functions(functions: list[ast.FunctionDef | ast.AsyncFunctionDef],
                          modules: set[str]) -> frozenset[str]:
    """Those of `modules` the body of one of `functions` imports (at its top level): a Django
    view module may import the framework inside its views only (`from django.http import
    HttpResponse` in the view), which makes its `def view(request)` a view all the same."""
    found = set()
    for function in functions:
        for statement in function.body:
            if isinstance(statement, ast.Import):
                names = [alias.name for alias in statement.names]
            elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
                names = [statement.module]
            else:
                continue
            found.update(m for m in modules for name in names
                         if name == m or name.startswith(m + "."))
    return frozenset(found)


def functions_of(definitions: list[ast.stmt], env: Env, kinds: dict[str, str],
                 entries: list[EntryModel], classes: dict[str, ClassShape],
                 shapes: dict[ast.ClassDef, ClassShape], memo: Classified | None,
                 registered: dict[str, tuple[Registration, ...]], called: set[str],
                 kept: KeptFunctions | None = None,
                 routes: dict[str, tuple[tuple[str, str], ...]] | None = None,
                 aliases: dict[str, ast.Subscript] | None = None) -> list[Function]:
    """`classes`: the body models' candidates (empty where there can be none); `called`: the
    functions the module calls itself; `kept`: the last context's functions (context_reuse.py);
    `routes`: the URL rules registering a class, by its name; `aliases`: the module's
    `Annotated` type aliases (type_aliases.py; both in the module's digest)."""
    def owner(bases: list[str | None]) -> EntryModel | None:
        return kept.owner(entries, bases) if kept is not None else owner_of(entries, bases)
    mixed = mixed_into(definitions, owner, shapes)

    def marks_of(node: ast.ClassDef) -> tuple[str, ...]:
        return _class_marks(node, env, kinds)
    # whether a class's decorators can make it an entry's, or type its methods' parameters
    # (NameSet has no `__bool__`: `.exact or .globs` is whether it names anything)
    decorating = routing = False
    for entry in entries:
        decorating = decorating or bool(entry.class_decorators.exact or entry.class_decorators.globs)
        routing = routing or bool(entry.class_routes.exact or entry.class_routes.globs)
    # the module-level functions in one pass, their kept ones taken and the others kept in one
    # call each (a call or two a function were ~400 a keystroke in a file of 60 views)
    functions = [node for node in definitions if node.__class__ in _FUNCTION_TYPES]
    arounds = [(node.name in called, registered[node.name] if node.name in registered else ())
               for node in functions]
    made = kept.take_functions(functions, arounds) if kept is not None else [None] * len(functions)
    for index in [index for index, function in enumerate(made) if function is None]:
        node, (helper, registrations) = functions[index], arounds[index]
        made[index] = classify_kept(Function(node, node.name, helper=helper), env, kinds,
                                    entries, classes, memo, registered=registrations,
                                    header=memo.header(node) if memo is not None else None,
                                    aliases=aliases)
    if kept is not None:
        kept.keep_functions(made, arounds)
    of_node: dict[ast.stmt, list[Function]] = {node: [function] for node, function in zip(
        functions, made, strict=True)}
    for node in definitions:
        if node.__class__ is ast.ClassDef:
            # a class without bases derives from object: `class_bases = ["*"]` takes any class
            # (Falcon's resources are plain classes)
            bases = list(shapes[node].bases) or ["object"]
            owned = owner(bases)
            if owned is None and node.name in mixed:  # `class SafeMixin:` of `V(SafeMixin, View)`
                bases += mixed[node.name]
                owned = owner(bases)
            self_kind, setup = (owned.self_kind, owned.setup_methods) if owned else (None, ())
            marks = (kept.marks(node, marks_of) if kept is not None else marks_of(node)) \
                if decorating else ()
            if node.decorator_list and routing:
                # the class's URL rules type its methods' parameters (entry_params.py)
                marks = (*marks, *(ast.unparse(d) for d in node.decorator_list))
            around = (node.name, tuple(bases), self_kind, setup, marks)
            taken = kept.take_class(node, around) if kept is not None else None
            if taken is not None:
                of_node[node] = taken
                continue
            items = [item for item in node.body if item.__class__ in _FUNCTION_TYPES]
            methods = kept.take(items, around, node) if kept is not None else [None] * len(items)
            for index, (item, method) in enumerate(zip(items, methods, strict=True)):
                if method is None:
                    methods[index] = classify_kept(
                        Function(item, f"{node.name}.{item.name}", node.name, node,
                                 self_kind=self_kind, setup_methods=setup,
                                 class_routes=(routes or {}).get(node.name, ())),
                        env, kinds, entries, classes, memo, bases, marks,
                        # a method a call registers (an argparse handler `set_defaults(func=self.run)`);
                        # the registrations are in the module's digest, which the kept functions' key holds
                        registered=registered.get(f"{node.name}.{item.name}", ()),
                        header=memo.header(item) if memo is not None else None, aliases=aliases)
            if kept is not None:
                kept.keep(methods, around, node)
            of_node[node] = methods
    # in the definitions' order, a name defined twice apart (rebound.py)
    return named_apart([function for node in definitions if node in of_node for function in of_node[node]])


def _class_marks(node: ast.ClassDef, env: Env, kinds: dict[str, str]) -> tuple[str, ...]:
    """The decorators on the class and on its methods, resolved: `@view_defaults` on the
    class or `@view_config` on a method makes a Pyramid class-based view."""
    decorators = [*node.decorator_list, *(d for item in node.body if isinstance(item, FUNCTIONS)
                                          for d in item.decorator_list)]
    return tuple(sorted({name for d in decorators
                         if (name := resolve(d, env, kinds)) is not None}))


def classify_kept(function: Function, env: Env, kinds: dict[str, str], entries: list[EntryModel],
                  classes: dict[str, ClassShape], memo: Classified | None,
                  bases: list[str | None] | None = None, marks: tuple[str, ...] = (),
                  registered: tuple[Registration, ...] = (), header: str | None = None,
                  aliases: dict[str, ast.Subscript] | None = None) -> Function:
    """`header`: the function's text its classification is kept by (classified.py), else
    its node."""
    kept_bases = (*bases, marks) if bases is not None else ()
    if memo is not None and memo.restore(function, kept_bases, header):
        return function
    _classify(function, env, kinds, entries, classes, bases, marks, registered, aliases)
    if memo is not None:
        memo.keep(function, kept_bases, header)
    return function


def _classify(function: Function, env: Env, kinds: dict[str, str], entries: list[EntryModel],
              classes: dict[str, ClassShape], bases: list[str | None] | None = None,
              marks: tuple[str, ...] = (), registered: tuple[Registration, ...] = (),
              aliases: dict[str, ast.Subscript] | None = None) -> Function:
    """`marks`: the resolved decorators of the method's class and of its methods;
    `registered`: the calls that register the function as a view."""
    if not entries:
        return function
    node = function.node
    decorators = [(resolve(d, env, kinds), d) for d in node.decorator_list]
    decorators += [(r.name, r.call) for r in registered if r.by_decorator]
    registrars = [(r.name, r.call) for r in registered if not r.by_decorator]
    # A decorator, a registration or a class names the framework; a parameter's name only
    # guesses it (a Django Ninja route takes `request` first, as a Django view does), and a
    # guess the module's imports back (a websockets `handler(websocket)`) beats one they do
    # not (a Lambda `handler`).
    guessed: EntryModel | None = None
    # What the loop asks of the function, read once rather than once an entry model (17k
    # functions by 40-odd models in a cold scan of the standard library): a parameter
    # declaration stands for a decorator of any model (`_marker`), and one that declares none
    # (most functions: no annotation, no call as a default) for none.
    args = node.args
    declared = _declared(node, env, kinds) if any(p.annotation is not None for p in named(args)) \
        or any(isinstance(d, ast.Call) for d in default_values(args).values()) else None
    markable = declared is not None and (bool(declared[0]) or declared[1] is not None)
    own_name, first = node.name, first_param(node)
    in_class = function.class_name is not None
    names = _names_of(entries)
    implicit = function.implicit_params if names.signatures else 0
    # most functions: no entry model names them, by any of the ways the loop asks
    if not (decorators or registrars or markable
            or (own_name in names.methods or own_name.startswith(names.method_prefixes) if in_class
                else own_name in names.function_names or first in names.first_params)
            or any(_signed(node, signature, implicit) for signature in names.signatures)
            or not names.factory_params.isdisjoint(function.made_by)):
        return function
    for entry in entries:
        decorator = next((d for name, d in decorators if name in entry.decorators), None) \
            if decorators else None
        if decorator is None and registrars:
            decorator = next((call for name, call in registrars if name in entry.registrars), None)
        # a signature is matched after a method's `self` (a WSGI app's `__call__(self, environ,
        # start_response)`); a name or a first parameter only of a function
        by_name = not in_class and (own_name in entry.function_names or first in entry.first_param) \
            or bool(entry.signature) and _signed(node, entry.signature, implicit)
        # only a model that declares markers (FastAPI's) calls a function for its parameters'
        # types alone: an aiohttp helper typed as the request is no route of its own. (NameSet
        # has no `__bool__`: one would be a call at each of the engine's many truth tests.)
        if decorator is None and declared is not None and markable and (
                entry.parameter_markers.exact or entry.parameter_markers.globs):
            decorator = _marker(declared, entry)
        by_class = (in_class
                    and (own_name in entry.methods or own_name.startswith(entry.method_prefixes))
                    and (any(b in entry.class_bases for b in bases or ())
                         or any(m in entry.class_decorators for m in marks)))
        # a factory's returned function (Django's function middleware) is its entry's as a
        # class's method is
        by_class = by_class or not entry.factory_params.isdisjoint(function.made_by)
        if decorator is None and not by_name and not by_class:
            continue
        if decorator is None and not by_class:
            if guessed is None or entry.imported and not guessed.imported:
                guessed = entry
            continue
        return _entered(function, entry, decorator, env, kinds, classes, aliases)
    if guessed is not None:
        return _entered(function, guessed, None, env, kinds, classes, aliases)
    return function


@attrs_classes.frozen
class _Names:
    """What the entry models of a module name a function by, all of them together."""

    function_names: frozenset[str]
    first_params: frozenset[str]
    methods: frozenset[str]
    method_prefixes: tuple[str, ...]
    signatures: tuple[tuple[frozenset[str], ...], ...]
    factory_params: frozenset[str]


# The last entry list `_names_of` read, with its names: a module's context classifies each of
# its functions with one list. Replaced whole (a tuple), by whichever thread classifies.
_LAST_NAMES: tuple[list[EntryModel], _Names] | None = None


def _names_of(entries: list[EntryModel]) -> _Names:
    global _LAST_NAMES
    last = _LAST_NAMES
    if last is not None and last[0] is entries:
        return last[1]
    names = _Names(frozenset().union(*(e.function_names for e in entries)),
                   frozenset().union(*(e.first_param for e in entries)),
                   frozenset().union(*(e.methods for e in entries)),
                   tuple(p for e in entries for p in e.method_prefixes),
                   tuple(e.signature for e in entries if e.signature),
                   frozenset().union(*(e.factory_params for e in entries)))
    _LAST_NAMES = (entries, names)
    return names


def _entered(function: Function, entry: EntryModel, decorator: ast.expr | None, env: Env,
             kinds: dict[str, str], classes: dict[str, ClassShape],
             aliases: dict[str, ast.Subscript] | None = None) -> Function:
    function.entry = entry
    function.helper = function.helper and decorator is None and function.class_name is None
    function.return_sink = None if any(resolve(d, env, kinds) in entry.return_sink_unless
                                       for d in function.node.decorator_list) \
        else _return_sink(entry, decorator, env, kinds)
    entry_params(function, entry, decorator, env, kinds, classes, aliases)
    return function


def _return_sink(entry: EntryModel, decorator: ast.expr | None, env: Env,
                 kinds: dict[str, str]) -> str | None:
    if entry.return_sink is None or entry.return_sink_when is None:
        return entry.return_sink
    keyword, names = entry.return_sink_when
    given = next((k.value for k in decorator.keywords if k.arg == keyword), None) \
        if isinstance(decorator, ast.Call) else None
    resolved = resolve(given, env, kinds) if given is not None else None
    return entry.return_sink if resolved is not None and resolved in names else None


def first_param(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    # asked of every function at every keystroke (context.py): no list of them all
    args = node.args
    first = args.posonlyargs[0] if args.posonlyargs else args.args[0] if args.args else None
    return first.arg if first is not None else None


# The parameters' resolved declarations (`_declared`): (name, call) of each call among the
# defaults and annotations, in order; and when every parameter is annotated (no `*args` nor
# `**kwargs`), the first annotation and the resolved name of each.
_Declared = tuple[list[tuple[str | None, ast.Call]], ast.expr | None, list[str | None]]


def _declared(node: ast.FunctionDef | ast.AsyncFunctionDef, env: Env,
              kinds: dict[str, str]) -> _Declared:
    """What `_marker` reads of a function, resolved once for every entry model (it was asked
    of each function by each model with markers: 384k times in a scan of the standard library)."""
    args = node.args
    params = named(args)
    calls = [(resolve(c, env, kinds), c) for c in [
        *default_values(args).values(), *(c for a in params for c in annotated_calls(a.annotation))]
        if isinstance(c, ast.Call)]
    if params and not packed(args) and all(p.annotation is not None for p in params):
        return calls, params[0].annotation, [resolve(p.annotation, env, kinds) for p in params]
    return calls, None, []


def _marker(declared: _Declared, entry: EntryModel) -> ast.expr | None:
    """The first parameter declaration among `entry.parameter_markers` (`Query()`), which
    stands for the decorator: only the framework fills such a parameter. Or, when every
    parameter is typed as the request (`def client_host(request: Request)`), the first such
    annotation: that function adds no parameter of its own the framework would fill."""
    calls, first, annotations = declared
    marker = next((call for name, call in calls if name in entry.parameter_markers), None)
    if marker is None and first is not None and all(
            name in entry.request_annotations for name in annotations):
        return first
    return marker


def _signed(node: ast.FunctionDef | ast.AsyncFunctionDef,
            signature: tuple[frozenset[str], ...], implicit: int) -> bool:
    params = _positional(node)[implicit:]
    return len(params) == len(signature) and all(
        name in names for name, names in zip(params, signature, strict=True))


def _positional(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    return tuple(p.arg for p in positional(node.args))
