"""Views that are not module-level decorated functions: those defined inside a function, and
those registered by a call.

- Flask's application factory (`def create_app(): app = Flask(__name__); @app.route(...) def
  index(): ...`) and registration functions (`def init(app): @app.route(...) ...`). Each such
  nested function is classified like a module-level one, with the names the enclosing function
  binds: `app = Flask(__name__)` in its body, a parameter annotated with a framework's class, and
  a parameter named as these functions name the application or a blueprint (`app`, `bp`) in a
  module that imports that framework.
- Views registered by a call, at module level or in any module-level function's body (a
  module-level view registered in `create_app`, with the names that body binds):
  `app.add_url_rule("/u/<name>", "user", user)` (an entry's `registrars`: the call stands for the
  decorator, its first argument is the rule, or the function: `typer.run(main)`), a decorator
  applied by hand, `app.route("/u/<name>")(user)`, and a route object in an assigned table of routes
  (Starlette's `routes = [Route("/u/{name}", user)]`).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Container, Iterable, Iterator

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.context_parts import kept_parts
from bastion.analyzers.taint.nodes import LastCall
from bastion.analyzers.taint.signatures import named
from bastion.engine.cache import LRU

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# the memo's tag of `parameter_calls`' answers by a function's (and a class's) node (nodes.LastCall)
_PARAMETER_CALLS = b"parameter calls"
# a definition's node types, told by `type(node)`, a read (the parser makes no subclass of
# them), not an `isinstance` call each of a module's definitions at every keystroke
_DEFINITIONS = frozenset({*FUNCTIONS, ast.ClassDef})
_VALUED = frozenset({ast.Expr, ast.Assign, ast.AnnAssign})  # the statements `_registering_calls` reads
_LISTING = frozenset({ast.Call, ast.List, ast.Tuple})  # the values it looks into
# A parameter so named holds the application (or a blueprint) in a module importing the module.
_NAMED = {"app": (("flask", "flask.Flask()"), ("fastapi", "fastapi.FastAPI()")),
          "application": (("flask", "flask.Flask()"), ("fastapi", "fastapi.FastAPI()")),
          "bp": (("flask", "flask.Blueprint()"),), "blueprint": (("flask", "flask.Blueprint()"),),
          "router": (("fastapi", "fastapi.APIRouter()"),)}
# The keywords registrars take the view by (Flask's `view_func`, FastAPI's `endpoint`, Bottle's
# `callback`).
_VIEW_KEYWORDS = frozenset({"view_func", "endpoint", "view", "handler", "callback"})
# The route objects read in one assignment (a module-level table of routes is short).
_LISTED_NODES = 4096


@attrs_classes.frozen
class Registration:
    """A call that makes a function a view: `name` is the called function, resolved; `call`
    stands for the decorator (its first argument is the route's rule)."""

    name: str
    call: ast.Call
    by_decorator: bool  # `app.route(rule)(view)`: `name` is a decorator, not a registrar

    def key(self) -> str:
        """What a classification depends on, for the module's digest."""
        return repr((self.name, self.by_decorator, _dumped(self.call)))


@functools.lru_cache(maxsize=512)
def _dumped(call: ast.Call) -> str:
    """`ast.dump(call)`, kept by node (its own key, by identity, and held while kept): the
    module's digest asks it of each registration at each keystroke (argparse.py's three:
    ~1 ms a key), the block parser handing back the unedited blocks' nodes."""
    return ast.dump(call)


@attrs_classes.frozen
class NestedView:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    name: str  # `create_app.<locals>.index`
    kinds: dict[str, str]  # the kinds of the names it sees
    # the parameters among entries' `factory_params` of the function returning it (Django's
    # function middleware: `get_response`)
    made_by: frozenset[str] = frozenset()


def resolve(node: ast.expr, env: Env, kinds: dict[str, str]) -> str | None:
    """The qualified name of a (called) name or attribute chain: `app.route` is
    `flask.Flask().route` when `app = Flask(__name__)`."""
    if isinstance(node, ast.Call):
        node = node.func
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    root = kinds.get(node.id) or env.aliases.get(node.id, node.id)
    name = ".".join([root, *reversed(parts)])
    return env.aliases.get(name, name)


def registrations(statements: Iterator[ast.stmt] | list[ast.stmt], functions: set[str],
                  env: Env, kinds: dict[str, str], prefix: str = "",
                  parameters: Iterable[ast.Call] = (),
                  instances: Callable[[], dict[str, str]] | None = None,
                  ) -> dict[str, tuple[Registration, ...]]:
    """The registrations among `statements` of the functions named in `functions`, by the
    function's qualified name (`prefix` + its name). `parameters`: calls in parameter lists
    (`parameter_calls`), which name the function by their first argument. `instances`: the
    module's names bound to an instance of one of its classes, with the class (`module_instances`),
    asked only of a call handed an attribute: a method of such an instance (`handler.greet` of
    `handler = Handler()`, aiohttp's documented handlers organized in a class) is registered as
    `Handler.greet`."""
    found: dict[str, list[Registration]] = {}
    held: dict[str, str] | None = None
    calls = [(c, False) for node in statements for c in _registering_calls(node)]
    for call, first in [*calls, *((c, True) for c in parameters)]:
        if first:  # `Depends(dependency)`
            decorator, by_decorator, candidates = call, False, call.args[:1]
        elif type(call.func) is ast.Call and len(call.args) == 1 and not call.keywords:
            target, decorator, by_decorator = call.args[0], call.func, True
            candidates = [target]
        else:
            # the rule comes first (`add_url_rule("/u", "user", user)`) unless the function
            # does: `typer.run(main)`, `server.register_function(run)`
            decorator, by_decorator = call, False
            candidates = [*call.args, *(k.value for k in call.keywords if k.arg in _VIEW_KEYWORDS)]
        views = [c.id for c in candidates if type(c) is ast.Name and c.id in functions]
        handed = [c for c in candidates if type(c) is ast.Attribute and type(c.value) is ast.Name] \
            if instances is not None else None
        if handed:
            held = instances() if held is None else held
            views += [f"{held[c.value.id]}.{c.attr}" for c in handed if c.value.id in held]
        name = resolve(decorator, env, kinds) if views else None
        if name is not None:
            for view in views:
                found.setdefault(prefix + view, []).append(Registration(name, decorator, by_decorator))
    return {name: tuple(calls) for name, calls in found.items()}


def module_instances(body: list[ast.stmt], classes: Container[str],
                     once: Callable[[str], bool]) -> dict[str, str]:
    """The module-level names bound once, to an instance of one of `classes` (`handler =
    Handler()`), with that class's name."""
    return {name: cls for name, cls in _instances(body, once).items() if cls in classes}


def _instances(body: list[ast.stmt], once: Callable[[str], bool] | None = None) -> dict[str, str]:
    """The names `body` binds to a call of a name (`handler = Handler()`), with the name called,
    those `once` accepts (a function's own statements: all); a name bound to two calls keeps none."""
    found: dict[str, str | None] = {}
    for s in body:
        if type(s) is ast.Assign and len(s.targets) == 1 and type(s.targets[0]) is ast.Name \
                and type(s.value) is ast.Call and type(s.value.func) is ast.Name \
                and (once is None or once(s.targets[0].id)):
            name = s.targets[0].id
            found[name] = s.value.func.id if name not in found else None
    return {name: cls for name, cls in found.items() if cls is not None}


def parameter_calls(definitions: list[ast.stmt], memo: LRU | None = None) -> list[ast.Call]:
    """The calls in the parameter lists of module-level functions and methods: defaults and
    `Annotated` metadata (FastAPI's `user = Depends(current_user)`). `memo`: keeps each
    function's calls and each class's (its methods') by its node for the next text: a keystroke
    in a module naming a registrar (`get` names one) read every function's parameters again,
    ~0.5 ms in _pydecimal.py, then looked each of its ~300 methods up; the block parser hands
    back the nodes of the functions and classes the edit left alone."""
    methods = LastCall(memo, _PARAMETER_CALLS)

    def of_definition(node: ast.AST) -> list[ast.Call]:
        if type(node) in FUNCTIONS:
            return _own_calls(node.args)
        return [call for calls in methods.each([item for item in node.body if type(item) in FUNCTIONS],
                                               of_definition) for call in calls]
    kept = LastCall(memo, _PARAMETER_CALLS + b" of definitions").each(
        [node for node in definitions if type(node) in _DEFINITIONS], of_definition)
    return [call for calls in kept for call in calls]


def _own_calls(args: ast.arguments) -> list[ast.Call]:
    """The calls among a function's defaults, then its parameters' `Annotated` metadata, read
    off the lists (not `default_values`' dict: the same defaults in the same order, `args.defaults`
    before the keyword-only ones', None for none)."""
    found = [d for d in (*args.defaults, *args.kw_defaults) if isinstance(d, ast.Call)]
    for param in named(args):
        if isinstance(param.annotation, ast.Subscript):
            found += annotated_calls(param.annotation)
    return found


def annotated_calls(annotation: ast.expr | None) -> list[ast.Call]:
    """The calls among an `Annotated[T, ...]` annotation's metadata."""
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.slice, ast.Tuple):
        return []
    return [e for e in annotation.slice.elts[1:] if isinstance(e, ast.Call)]


def _registering_calls(node: ast.stmt) -> Iterator[ast.Call]:
    """The calls of a statement that may register a view: an expression statement's call, and
    the route objects it or an assignment lists (`routes = [Route("/u/{name}", user)]`, `app =
    Starlette(routes=[...])`, nested as `Mount("/api", routes=[...])` nests them,
    `app.add_routes([web.get("/", handle)])`), awaited or not (`await start_server(handle)`)."""
    # types read, not `isinstance` calls: asked of every module-level statement at each keystroke
    if type(node) not in _VALUED or node.value is None:
        return
    value = node.value.value if type(node.value) is ast.Await else node.value
    if type(value) not in _LISTING:  # a constant, a name...: no call (most of a module's statements)
        return
    pending: list[ast.expr] = [value]
    budget = _LISTED_NODES
    while pending and budget > 0:
        item = pending.pop()
        budget -= 1
        if type(item) is ast.Call:
            yield item
            pending += [v for v in (*item.args, *(k.value for k in item.keywords)) if type(v) in _LISTING]
        else:  # a list or a tuple
            pending += [e for e in item.elts if type(e) in _LISTING]


def nested_views(definitions: list[ast.stmt], env: Env, kinds: dict[str, str],
                 memo: LRU | None = None, factory_params: frozenset[str] = frozenset()
                 ) -> tuple[list[NestedView], dict[str, tuple[Registration, ...]]]:
    """The functions nested in module-level functions that are decorated or registered there,
    or returned by one taking a parameter among `factory_params` (the entries'), and the
    registrations found in those bodies, of nested functions and of module-level ones
    (`memo`: each function's statements, nested functions and calls naming a function by its
    node, which the block parser reuses while its text is unchanged)."""
    views: list[NestedView] = []
    registered: dict[str, tuple[Registration, ...]] = {}
    defined = {d.name for d in definitions if type(d) in FUNCTIONS}
    classes = {d.name for d in definitions if type(d) is ast.ClassDef}
    for outer, (inner, naming) in _nests(definitions, memo):
        # a module-level function the body registers, unless a nested one of its name hides it;
        # or a method of a class of the module, of an instance the body makes (`Handler.read`)
        outside = {name for name in naming if name in defined} - inner
        outside |= {name for name in naming if "." in name and name.partition(".")[0] in classes}
        if not inner and not outside:  # most functions: no locals' kinds to resolve
            continue
        statements, nested, naming = _nesting(outer, memo)
        local = _local_kinds(outer, statements, env, kinds)
        args = outer.args
        prefix = f"{outer.name}.<locals>."
        registered.update(registrations(statements, {n.name for n in nested}, env, local, prefix))
        for name, calls in registrations(statements, outside, env, local,
                                         instances=functools.partial(_instances, statements)).items():
            registered[name] = (*registered.get(name, ()), *calls)
        made_by = frozenset(p.arg for p in named(args) if p.arg in factory_params)
        returned = {s.value.id for s in statements if isinstance(s, ast.Return)
                    and isinstance(s.value, ast.Name)} if made_by else set()
        views.extend(NestedView(node, prefix + node.name, local,
                                made_by if node.name in returned else frozenset())
                     for node in nested
                     if node.decorator_list or prefix + node.name in registered or node.name in returned)
    return views, registered


def factory_statements(definitions: list[ast.stmt], handed: set[str], env: Env, kinds: dict[str, str],
                       memo: LRU | None = None) -> list[tuple[ast.stmt, dict[str, str]]]:
    """The statements of the module-level functions whose registering calls hand one of the
    names `handed` (an app factory's `api.add_resource(Item, "/items/<int:item_id>")`), each
    with the kinds of the function's locals (`api = Api(app)`)."""
    # a list display, not a generator: a step each statement of every such function was ~25
    # calls a keystroke in _pydecimal.py (its functions calling `Decimal(...)` hand `Decimal`)
    return [(statement, local) for outer, (_, naming) in _nests(definitions, memo)
            if not handed.isdisjoint(naming)
            for statements in (_nesting(outer, memo)[0],)
            for local in (_local_kinds(outer, statements, env, kinds),) for statement in statements]


def _local_kinds(outer: ast.FunctionDef | ast.AsyncFunctionDef, statements: list[ast.stmt], env: Env,
                 kinds: dict[str, str]) -> dict[str, str]:
    """The module's kinds, with the function's parameters typed (or named) as a framework's
    object and its locals bound to a call (`app = Flask(__name__)`: `flask.Flask()`)."""
    local = dict(kinds)
    for param in named(outer.args):
        kind = _parameter_kind(param, env)
        if kind is not None:
            local[param.arg] = kind
    for node in statements:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call):
            called = env.qualname(node.value.func)
            if called is not None:
                local[node.targets[0].id] = called + "()"
    return local


def _nesting(outer: ast.FunctionDef | ast.AsyncFunctionDef, memo: LRU | None
             ) -> tuple[list[ast.stmt], list[ast.stmt], frozenset[str]]:
    """The function's statements (`_statements`), the functions among them, and the names its
    registering calls are handed (those that may name a view)."""
    key = ("nesting", id(outer))
    kept = memo.get(key) if memo is not None else None
    if kept is not None and kept[0] is outer:
        return kept[1]
    statements = _statements(outer.body)
    handed = [v for node in statements for call in _registering_calls(node)
              for v in (*call.args, *(k.value for k in call.keywords))
              if type(v) is ast.Name or type(v) is ast.Attribute and type(v.value) is ast.Name]
    # a method of a local instance, `handler.read` of `handler = Handler()`, as `Handler.read`
    held = _instances(statements) \
        if any(type(v) is ast.Attribute and type(v.value) is ast.Name for v in handed) else {}
    naming = frozenset(v.id if type(v) is ast.Name else f"{held[v.value.id]}.{v.attr}" for v in handed
                       if type(v) is ast.Name or v.value.id in held)
    found = (statements, [node for node in statements if isinstance(node, FUNCTIONS)], naming)
    if memo is not None:
        memo.put(key, (outer, found))
    return found


def _nests(definitions: list[ast.stmt], memo: LRU | None
           ) -> Iterator[tuple[ast.stmt, tuple[frozenset[str], frozenset[str]]]]:
    """Each module-level function with `_names` of it, kept by node, or by the node of the same
    text an Enter above moved (block_twins.py), the last call's read from one dict (nodes.LastCall):
    an LRU look-up each function, twice a keystroke, was ~250 calls a key in a file of 60 views."""
    functions = [d for d in definitions if type(d) in FUNCTIONS]
    return zip(functions, LastCall(memo, b"nests", moved=True).each(
        functions, lambda node: _names(node, memo)), strict=True)


def _names(outer: ast.FunctionDef | ast.AsyncFunctionDef, memo: LRU | None
           ) -> tuple[frozenset[str], frozenset[str]]:
    """`_nesting`'s nested functions' names, and the names its registering calls are handed."""
    _, nested, naming = _nesting(outer, memo)
    return frozenset(n.name for n in nested), naming


def _parameter_kind(param: ast.arg, env: Env) -> str | None:
    if param.annotation is not None:
        annotated = env.qualname(param.annotation)
        return annotated + "()" if annotated is not None else None
    return next((kind for module, kind in _NAMED.get(param.arg, ()) if env.imported((module,))),
                None)


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The function's statements, inside `if`, `with` and `try` blocks, not nested functions, in
    their order. A list, each statement told by its class: a generator's steps (one a statement
    and nesting level) were ~60 calls a keystroke walking the method it edited."""
    found: list[ast.stmt] = []
    for node in body:
        found += (node,)
        kind = node.__class__
        if kind is ast.If:
            found += _statements(node.body)
            found += _statements(node.orelse)
        elif kind is ast.With or kind is ast.AsyncWith:
            found += _statements(node.body)
        elif kind is ast.Try:
            found += _statements(node.body)
            for handler in node.handlers:
                found += _statements(handler.body)
            found += _statements(node.finalbody)
    return found


def method_registrations(definitions: list[ast.stmt], env: Env, kinds: dict[str, str],
                         memo: LRU | None = None) -> dict[str, tuple[Registration, ...]]:
    """The methods a method of their class registers by `self` (`asyncio.start_server(
    self.on_client, host, port)` in `serve`), by `Class.method`, as `registrations` finds the
    functions a call names (`memo`: each method's registering calls, by its node)."""
    found: dict[str, list[Registration]] = {}
    walks = LastCall(memo, b"self registrations")
    classes = LastCall(memo, b"self registrations of classes")

    def handed(cls: ast.AST) -> list[tuple[str, ast.Call]]:
        """The class's methods' calls handed one of its methods (by the class's node: its
        methods' walks, read again only in the class an edit made anew)."""
        members = [m for m in cls.body if type(m) in FUNCTIONS]  # one look-up each: `each`
        methods = {m.name for m in members}
        return [(attribute, call) for each in walks.each(members, _self_handed)
                for attribute, call in each if attribute in methods]
    def part(cls: ast.stmt) -> list[tuple[str, ast.Call]]:
        return classes.get(cls, handed) if type(cls) is ast.ClassDef else []
    # the unedited classes' calls are the last text's (context_parts.py); resolved anew
    for cls, calls in zip(definitions, kept_parts(memo, b"self registrations", None, definitions, part),
                          strict=True):
        for attribute, call in calls:
            name = resolve(call, env, kinds)
            if name is not None:
                found.setdefault(f"{cls.name}.{attribute}", []).append(Registration(name, call, False))
    return {name: tuple(calls) for name, calls in found.items()}


def _self_handed(method: ast.AST) -> list[tuple[str, ast.Call]]:
    """The registering calls of a method's statements handed an attribute of `self`, with it."""
    # a statement no call can be in asks no `_registering_calls` (a generator's step each)
    return [(v.attr, call) for node in _statements(method.body) if node.__class__ in _VALUED
            for call in _registering_calls(node)
            for v in (*call.args, *(k.value for k in call.keywords if k.arg in _VIEW_KEYWORDS))
            if type(v) is ast.Attribute and type(v.value) is ast.Name and v.value.id == "self"]
