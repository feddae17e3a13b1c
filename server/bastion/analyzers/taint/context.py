"""What the interpreter knows about a module before it looks inside a function: the import /
alias table (the own rules' `Env`), constant globals, the kinds of global objects (`app =
Flask(__name__)` makes `app.route` resolve to `flask.Flask().route`), the functions and methods
it may analyse, and which of them are entry points whose parameters are untrusted.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable, Iterator

import attrs

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.annotations import closed_enum, pattern_cleans, validated
from bastion.analyzers.taint.bindings import Bindings
from bastion.analyzers.taint.class_constants import class_constants
from bastion.analyzers.taint.classes import ClassShape, class_shapes, model_fields
from bastion.analyzers.taint.domain import UNKNOWN, Value, constant
from bastion.analyzers.taint.factories import (
    Registration,
    annotated_calls,
    nested_views,
    parameter_calls,
    registrations,
    resolve,
)
from bastion.analyzers.taint.forms import Forms, validated_forms
from bastion.analyzers.taint.helpers import called_here, hand_requests
from bastion.analyzers.taint.patterns import compiled_pattern
from bastion.analyzers.taint.scoped import scoped_stores
from bastion.analyzers.taint.specs import EntryModel, Models
from bastion.analyzers.taint.template_files import Template
from bastion.analyzers.taint.wrappers import as_function
from bastion.engine.cache import LRU

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FLASK_PARAM = re.compile(r"<(?:([^<>:]*):)?([A-Za-z_][A-Za-z0-9_]*)>")
# Werkzeug's converters that match only digits or a UUID: no injection fits in their value.
_TYPED_CONVERTERS = frozenset({"int", "float", "uuid"})
_CONST_TYPES = (str, int, float, bool, bytes, type(None))
MAX_CONTAINERS = 64  # module-level lists / dicts / sets checked for changes in place


@attrs.define
class Function:
    """One analysable function: a top-level `def`, or a method with its class."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    name: str  # `view` or `Class.method`
    class_name: str | None = None
    class_node: ast.ClassDef | None = None
    entry: EntryModel | None = None
    tainted_params: tuple[str, ...] = ()
    request_params: tuple[str, ...] = ()  # parameters that hold the framework's request object
    validated_params: tuple[str, ...] = ()  # the framework made them numbers, UUIDs, dates
    # body parameters whose fields the framework validated so: (parameter, those fields)
    validated_fields: tuple[tuple[str, frozenset[str]], ...] = ()
    # parameters matched against a declared pattern: (parameter, the sink classes it is safe for)
    pattern_params: tuple[tuple[str, frozenset[str]], ...] = ()
    return_sink: str | None = None  # the sink class the entry's return value reaches
    # entered by its first parameter's name (`def audit(request, action)`) but called by the
    # module itself: its other parameters are its callers', not the framework's
    helper: bool = False
    # parameters the module's calls hand the request object (helpers.py): (parameter, its kind)
    request_kinds: tuple[tuple[str, str], ...] = ()
    self_kind: str | None = None  # the kind of `self` (a method of a framework's handler class)
    # parameters the framework fills with what a same-file function returns (FastAPI's
    # `user = Depends(current_user)`): (parameter, that function)
    dependencies: tuple[tuple[str, str], ...] = ()

    @property
    def implicit_params(self) -> int:
        """Leading parameters a call does not pass: a method's `self` or `cls`, none for a
        function or a staticmethod."""
        if self.class_name is None or any(isinstance(d, ast.Name) and d.id == "staticmethod"
                                          for d in self.node.decorator_list):
            return 0
        return 1


@attrs.define
class ModuleContext:
    env: Env
    constants: dict[str, Value]
    kinds: dict[str, str]  # global name -> kind of its value
    functions: list[Function]
    digest: bytes  # everything above that a function's analysis depends on, but its own text
    # Summaries of other workspace modules' functions, by qualified name (workspace.py).
    # (qualified name, whether an argument is tainted) -> summary or None
    external: Callable[[str, bool], object] | None = None
    # class -> its ancestors defined in this module, nearest first (inherited methods)
    parents: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    # global name -> (pattern, flags) of a `re.compile` with constant arguments, bound once
    patterns: dict[str, tuple[str | bytes, int]] = attrs.Factory(dict)
    # class -> its bases resolved, also those of its ancestors (what another module's classes
    # derived from it inherit: workspace.py)
    class_bases: dict[str, tuple[str | None, ...]] = attrs.Factory(dict)
    # `Class.NAME` -> its constant; class -> {NAME -> the constant its `self.NAME` reads}
    # (class_constants.py)
    class_constants: dict[str, Value] = attrs.Factory(dict)
    self_constants: dict[str, dict[str, Value]] = attrs.Factory(dict)
    # attribute of Flask's `g` -> the line a function stored request data in it (scoped.py)
    scoped: dict[str, int] = attrs.Factory(dict)
    forms: Forms = attrs.Factory(dict)  # the module's form classes (forms.py)
    # the template files the module names, by the name it writes (template_files.py)
    templates: dict[str, Template] = attrs.Factory(dict)
    _by_name: dict[str, Function] = attrs.Factory(dict)

    def lineage(self, class_name: str) -> tuple[str, ...]:
        """The class and its ancestors of this module, where `self.method` is looked up."""
        return (class_name, *self.parents.get(class_name, ()))

    def inherited(self, class_name: str, method: str) -> str | None:
        """`Class.method` of the nearest class of the lineage that defines `method`: a subclass
        without its own `__init__` is built by its base's."""
        for cls in self.lineage(class_name):
            if self.function_named(f"{cls}.{method}") is not None:
                return f"{cls}.{method}"
        return None

    def function_named(self, name: str) -> Function | None:
        if len(self._by_name) != len(self.functions):
            self._by_name = {f.name: f for f in self.functions}
        return self._by_name.get(name)


def module_context(tree: ast.Module, models: Models, memo: LRU | None = None,
                   bases_of: Callable[[str], tuple[str, ...]] | None = None,
                   text: str | None = None, names_registrar: bool | None = None) -> ModuleContext:
    """`memo`: keeps each function's classification (entry, parameters) by its node and the
    module's digest, for the next text of a document whose block parser reuses the node.
    `bases_of`: the bases of a class of another workspace module, by qualified name. `text`:
    the module's text, where a module-level container is looked for changes (bindings.py).
    `names_registrar`: whether `text` names a registrar, when the caller knows (the taint
    analyzer's gate answers it per edit); else it is looked for in `text`."""
    env = Env({}, set())
    constants: dict[str, Value] = {}
    kinds: dict[str, str] = {}
    patterns: dict[str, tuple[str | bytes, int]] = {}
    containers: set[str] = set()
    wrappers: list[ast.FunctionDef] = []  # `sh = lambda c: os.system(c)` (wrappers.py)
    definitions: list[ast.stmt] = []
    expressions: list[ast.stmt] = []
    for node in module_statements(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            env.add_import(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    folded = fold_constant(node.value)
                    if folded is not UNKNOWN:
                        constants[target.id] = constant(folded)
                        if not isinstance(node.value, (ast.Constant, ast.Tuple)):
                            containers.add(target.id)  # a list, dict or set
                    elif isinstance(node.value, ast.Call):
                        called = env.qualname(node.value.func)
                        if called is not None:
                            kinds[target.id] = called + "()"
                        if called == "re.compile":
                            compiled = compiled_pattern(node.value, env)
                            if compiled is not None:
                                patterns[target.id] = compiled
                    wrapper = as_function(target.id, node.value, env) \
                        if isinstance(node.value, (ast.Lambda, ast.Call)) else None
                    if wrapper is not None:
                        wrappers.append(wrapper)
            if isinstance(node.value, (ast.Call, ast.List, ast.Tuple)):
                expressions.append(node)  # a table of routes (factories.registrations)
        elif isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            definitions.append(node)
        elif isinstance(node, ast.Expr):
            expressions.append(node)
    bindings = Bindings(tree.body, memo, text)
    # past MAX_CONTAINERS, each would cost a search of the text: none is taken as constant
    constants = {k: v for k, v in constants.items() if bindings.constant(k) and not (
        k in containers and (len(containers) > MAX_CONTAINERS or bindings.changed(k, tree.body)))}
    kinds = {k: v for k, v in kinds.items() if bindings.once(k)}
    patterns = {k: v for k, v in patterns.items() if k in kinds}
    definitions += [w for w in wrappers if bindings.once(w.name)]
    shapes = class_shapes(definitions, env, kinds, bases_of)
    members, through_self = class_constants(definitions, bindings.constant, fold_constant, text,
                                            tree, memo)
    scoped = scoped_stores(definitions, env, models, memo)
    forms = validated_forms(shapes, env, kinds, models)
    classes = {node.name: shape for node, shape in shapes.items()}  # a redefinition wins
    # Only a module that imports a body model's base can define a body model.
    roots = models.body_model_roots
    bodies = classes if roots and env.imported(roots) else {}
    typed = {**{k: v for k, v in classes.items() if closed_enum(v)}, **bodies}  # annotations.py
    nested, registered = nested_views(definitions, env, kinds, memo)
    firsts = {name for e in models.entries for name in e.first_param}
    called = called_here([d.name for d in definitions if isinstance(d, FUNCTIONS)
                          and first_param(d) in firsts], tree, memo)
    registered.update(registrations(expressions, {d.name for d in definitions
                                                  if isinstance(d, FUNCTIONS)}, env, kinds,
                                    parameters=_parameter_registrars(definitions, models, text,
                                                                     names_registrar)))
    digest = hashlib.blake2b(repr((sorted(env.aliases.items()), sorted(env.imports),
                                   sorted((k, v.const) for k, v in constants.items()),
                                   sorted(kinds.items()), sorted(patterns.items()),
                                   sorted((k, v.key()) for k, v in bodies.items() if v.fields),
                                   sorted(k for k, v in classes.items() if closed_enum(v)),
                                   sorted(called),
                                   sorted((k, [r.key() for r in v]) for k, v in registered.items()),
                                   sorted((k, v.const) for k, v in members.items()),
                                   sorted((k, sorted((n, c.const) for n, c in v.items()))
                                          for k, v in through_self.items()),
                                   sorted(scoped.items()),
                                   sorted((k, sorted(d), sorted(c)) for k, (d, c) in forms.items()),
                                   )).encode(), digest_size=16).digest()
    classified = Classified(memo, digest + models.digest.encode()) if memo is not None else None
    # a class deriving from a framework's class through another module's base class is the
    # framework's, though this module does not import it
    inherited = {base.split(".")[0] for shape in shapes.values() for base in shape.bases if base}
    entries = [e for e in models.entries if not e.imported or env.imported(e.imported)
               or any(name.split(".")[0] in inherited for name in e.imported)]
    functions = functions_of(definitions, env, kinds, entries, typed, shapes, classified,
                             registered, called)
    for view in nested:
        function = classify_kept(Function(view.node, view.name), env, view.kinds, entries, typed,
                                 classified, registered=registered.get(view.name, ()))
        if function.entry is not None:  # a nested helper is not followed (its callers are not)
            functions.append(function)
    hand_requests(functions, env, models, memo)
    parents = {name: shape.ancestors for name, shape in classes.items()}
    return ModuleContext(env, constants, kinds, functions, digest, parents=parents, patterns=patterns,
                         class_bases={name: shape.bases for name, shape in classes.items()},
                         class_constants=members, self_constants=through_self, scoped=scoped,
                         forms=forms)


def _parameter_registrars(definitions: list[ast.stmt], models: Models, text: str | None,
                          names_registrar: bool | None) -> Iterator[ast.Call]:
    """The calls in parameter lists, where the text names a registrar (a keystroke in a module
    that names none does not walk every function's parameters)."""
    if names_registrar is None:
        names_registrar = text is None or any(name in text for name in models.registrar_names())
    if names_registrar:
        yield from parameter_calls(definitions)


def module_statements(body: list[ast.stmt]):
    """Module-level statements, looking into module-level `if` / `try` (optional imports)."""
    for node in body:
        if isinstance(node, ast.If):
            yield from module_statements(node.body)
            yield from module_statements(node.orelse)
        elif isinstance(node, ast.Try):
            yield from module_statements(node.body)
            for handler in node.handlers:
                yield from module_statements(handler.body)
        else:
            yield node


def fold_constant(node: ast.expr) -> object:
    """The constant of a literal (nested tuples, lists, sets, dict keys), else UNKNOWN."""
    if isinstance(node, ast.Constant) and isinstance(node.value, _CONST_TYPES):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) <= 4096:
        items = [fold_constant(e) for e in node.elts]
        if any(i is UNKNOWN for i in items):
            return UNKNOWN
        return frozenset(items) if isinstance(node, ast.Set) else tuple(items)
    if isinstance(node, ast.Dict) and len(node.keys) <= 4096:
        keys = [fold_constant(k) if k is not None else UNKNOWN for k in node.keys]
        if any(k is UNKNOWN for k in keys):
            return UNKNOWN
        return frozenset(keys)  # membership tests read the keys
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
            "frozenset", "set", "tuple") and len(node.args) == 1 and not node.keywords:
        inner = fold_constant(node.args[0])
        return frozenset(inner) if isinstance(inner, (tuple, frozenset)) else UNKNOWN
    return UNKNOWN


def functions_of(definitions: list[ast.stmt], env: Env, kinds: dict[str, str],
                 entries: list[EntryModel], classes: dict[str, ClassShape],
                 shapes: dict[ast.ClassDef, ClassShape], memo: Classified | None,
                 registered: dict[str, tuple[Registration, ...]], called: set[str]) -> list[Function]:
    """`classes`: the body models' candidates (empty where there can be none); `called`: the
    functions the module calls itself."""
    found: list[Function] = []
    for node in definitions:
        if isinstance(node, FUNCTIONS):
            function = Function(node, node.name, helper=node.name in called)
            found.append(classify_kept(function, env, kinds, entries, classes, memo,
                                       registered=registered.get(node.name, ())))
        elif isinstance(node, ast.ClassDef):
            bases = list(shapes[node].bases)
            self_kind = next((e.self_kind for e in entries if e.self_kind is not None
                              and any(b in e.class_bases for b in bases)), None)
            marks = _class_marks(node, env, kinds) if any(e.class_decorators for e in entries) \
                else ()
            for item in node.body:
                if isinstance(item, FUNCTIONS):
                    method = Function(item, f"{node.name}.{item.name}", node.name, node,
                                      self_kind=self_kind)
                    found.append(classify_kept(method, env, kinds, entries, classes, memo, bases,
                                               marks))
    return found


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
                  registered: tuple[Registration, ...] = ()) -> Function:
    kept_bases = (*bases, marks) if bases is not None else ()
    if memo is not None and memo.restore(function, kept_bases):
        return function
    _classify(function, env, kinds, entries, classes, bases, marks, registered)
    if memo is not None:
        memo.keep(function, kept_bases)
    return function


class Classified:
    """Classifications in an LRU, by the function node (kept in the value, so that its id is
    not reused while the entry lives), its class and bases, and the module's digest."""

    def __init__(self, memo: LRU, digest: bytes) -> None:
        self.memo = memo
        self.digest = digest

    def _key(self, function: Function, bases: tuple) -> tuple:
        return (b"classified", id(function.node), function.class_name, bases, self.digest)

    def restore(self, function: Function, bases: tuple) -> bool:
        kept = self.memo.get(self._key(function, bases))
        if kept is None or kept[0] is not function.node:
            return False
        (_, function.entry, function.return_sink, function.tainted_params,
         function.request_params, function.validated_params, function.validated_fields,
         function.pattern_params, function.helper, function.dependencies) = kept
        return True

    def keep(self, function: Function, bases: tuple) -> None:
        self.memo.put(self._key(function, bases), (
            function.node, function.entry, function.return_sink, function.tainted_params,
            function.request_params, function.validated_params, function.validated_fields,
            function.pattern_params, function.helper, function.dependencies))


def _classify(function: Function, env: Env, kinds: dict[str, str], entries: list[EntryModel],
              classes: dict[str, ClassShape], bases: list[str | None] | None = None,
              marks: tuple[str, ...] = (), registered: tuple[Registration, ...] = ()) -> Function:
    """`marks`: the resolved decorators of the method's class and of its methods;
    `registered`: the calls that register the function as a view."""
    node = function.node
    decorators = [(resolve(d, env, kinds), d) for d in node.decorator_list]
    decorators += [(r.name, r.call) for r in registered if r.by_decorator]
    registrars = [(r.name, r.call) for r in registered if not r.by_decorator]
    for entry in entries:
        decorator = next((d for name, d in decorators if name in entry.decorators), None) or \
            next((call for name, call in registrars if name in entry.registrars), None)
        by_name = function.class_name is None and (
            node.name in entry.function_names or first_param(node) in entry.first_param
            or _signed(node, entry.signature))
        if decorator is None and entry.parameter_markers:
            decorator = _marker(node, entry, env, kinds)
        by_class = (function.class_name is not None and node.name in entry.methods
                    and (any(b in entry.class_bases for b in bases or ())
                         or any(m in entry.class_decorators for m in marks)))
        if decorator is None and not by_name and not by_class:
            continue
        function.entry = entry
        function.helper = function.helper and decorator is None and by_name
        function.return_sink = _return_sink(entry, decorator, env, kinds)
        _entry_params(function, entry, decorator, env, kinds, classes)
        return function
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
    params = _positional(node)
    return params[0] if params else None


def _marker(node: ast.FunctionDef | ast.AsyncFunctionDef, entry: EntryModel, env: Env,
            kinds: dict[str, str]) -> ast.expr | None:
    """The first parameter declaration among `entry.parameter_markers` (`Query()`), which
    stands for the decorator: only the framework fills such a parameter. Or, when every
    parameter is typed as the request (`def client_host(request: Request)`), the first such
    annotation: that function adds no parameter of its own the framework would fill."""
    args = node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    declared = [*args.defaults, *args.kw_defaults,
                *(c for a in params for c in annotated_calls(a.annotation))]
    marker = next((c for c in declared if isinstance(c, ast.Call)
                   and resolve(c, env, kinds) in entry.parameter_markers), None)
    if marker is None and params and not (args.vararg or args.kwarg) and all(
            p.annotation is not None and resolve(p.annotation, env, kinds)
            in entry.request_annotations for p in params):
        return params[0].annotation
    return marker


def _signed(node: ast.FunctionDef | ast.AsyncFunctionDef,
            signature: tuple[frozenset[str], ...]) -> bool:
    params = _positional(node)
    return bool(signature) and len(params) == len(signature) and all(
        name in names for name, names in zip(params, signature, strict=True))


def _positional(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    return tuple(p.arg for p in [*node.args.posonlyargs, *node.args.args])


def _entry_params(function: Function, entry: EntryModel, decorator: ast.expr | None,
                  env: Env, kinds: dict[str, str], classes: dict[str, ClassShape]) -> None:
    args = function.node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    params = params[function.implicit_params:]  # self
    defaults = dict(zip([p.arg for p in [*args.posonlyargs, *args.args]][::-1],
                        args.defaults[::-1], strict=False))
    defaults.update({p.arg: d for p, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                     if d is not None})
    requests: list[str] = []
    tainted: list[str] = []
    safe: list[str] = []  # validated into data no injection fits in
    fields: list[tuple[str, frozenset[str]]] = []
    patterned: list[tuple[str, frozenset[str]]] = []
    dependencies: list[tuple[str, str]] = []
    for index, param in enumerate(params):
        annotation = resolve(param.annotation, env, kinds) if param.annotation is not None else None
        default = defaults.get(param.arg)
        given = next((c for c in [default, *annotated_calls(param.annotation)]
                      if isinstance(c, ast.Call) and resolve(c, env, kinds) in entry.not_when_default),
                     None)
        if annotation is not None and annotation in entry.request_annotations \
                or param.arg in entry.request_params:
            requests.append(param.arg)
        elif given is not None:  # what the framework passes: a dependency's return value
            if given.args and isinstance(given.args[0], ast.Name):
                dependencies.append((param.arg, given.args[0].id))
            continue
        elif param.annotation is not None and validated(param.annotation, entry, env, kinds,
                                                        classes):
            safe.append(param.arg)
        elif entry.params == "after_first":
            (requests if index == 0 else tainted).append(param.arg)
        elif entry.params == "all":
            tainted.append(param.arg)
            cleans = pattern_cleans(param.annotation, default, env, kinds)
            if cleans:
                patterned.append((param.arg, cleans))
            body = model_fields(annotation, classes, entry.validated_models) \
                if entry.validated_models else None
            clean = frozenset(name for name, kind in (body or {}).items()
                              if validated(kind, entry, env, kinds, classes))
            if clean:
                fields.append((param.arg, clean))
        elif isinstance(entry.params, tuple) and param.arg in entry.params:
            tainted.append(param.arg)
    if entry.params == "path" and isinstance(decorator, ast.Call) and decorator.args:
        rule = decorator.args[0]
        if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
            converters = {name: converter.strip()
                          for converter, name in _FLASK_PARAM.findall(rule.value)}
            tainted = [p.arg for p in params if p.arg in converters
                       and converters[p.arg] not in _TYPED_CONVERTERS]
            safe = [p.arg for p in params if converters.get(p.arg) in _TYPED_CONVERTERS]
    for name in (args.vararg, args.kwarg):
        if name is not None and entry.params in ("all", "after_first"):
            tainted.append(name.arg)
    function.dependencies = tuple(dependencies)
    function.tainted_params = () if function.helper else tuple(tainted)
    function.request_params = tuple(requests)
    function.validated_params = tuple(safe)
    function.pattern_params = tuple(patterned)
    function.validated_fields = tuple(fields)
