"""What the interpreter knows about a module before it looks inside a function: the import /
alias table (the own rules' `Env`), constant globals, the kinds of global objects (`app =
Flask(__name__)` makes `app.route` resolve to `flask.Flask().route`), and the functions and
methods it may analyse, classified by entries.py (which of them are entry points whose
parameters are untrusted).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import attrs

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.annotations import closed_enum
from bastion.analyzers.taint.argparse_choices import PARSER_KIND, declares_arguments
from bastion.analyzers.taint.argparse_globals import BUILT, bound_parsers, parser_bindings
from bastion.analyzers.taint.argparse_handlers import dispatched
from bastion.analyzers.taint.argparse_helpers import Helped
from bastion.analyzers.taint.class_constants import class_constants
from bastion.analyzers.taint.class_instances import class_instances
from bastion.analyzers.taint.classes import class_shapes, handler_classes, named_tuples, record_fields
from bastion.analyzers.taint.classified import Classified
from bastion.analyzers.taint.closures import LocalFunction
from bastion.analyzers.taint.constructed_fields import constructed_fields
from bastion.analyzers.taint.context_parts import kept_parts
from bastion.analyzers.taint.context_reuse import (
    applying_entries,
    declaring_words,
    keep_shapes,
    kept_functions,
    kept_module_body,
    last_shapes,
)
from bastion.analyzers.taint.declared_classes import declared_fields
from bastion.analyzers.taint.declared_versions import NONE as NO_DECLARATIONS
from bastion.analyzers.taint.declared_versions import Declared
from bastion.analyzers.taint.domain import Value
from bastion.analyzers.taint.entries import (
    FUNCTIONS,
    Function,
    classify_kept,
    first_param,
    functions_of,
    imported_in_functions,
)
from bastion.analyzers.taint.entry_params import registered_routes
from bastion.analyzers.taint.factories import (
    annotated_calls,
    method_registrations,
    module_instances,
    nested_views,
    parameter_calls,
    registrations,
)
from bastion.analyzers.taint.forms import Forms, validated_forms
from bastion.analyzers.taint.global_stores import global_stores
from bastion.analyzers.taint.helpers import called_here, hand_requests
from bastion.analyzers.taint.module_level import fold_constant, module_level
from bastion.analyzers.taint.object_uses import left_as_built
from bastion.analyzers.taint.parameters import class_form
from bastion.analyzers.taint.queues import queue_feeds
from bastion.analyzers.taint.rebound import top_bound
from bastion.analyzers.taint.scoped import scoped_stores
from bastion.analyzers.taint.sink_aliases import module_sink_aliases
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.tables import function_tables, table_key
from bastion.analyzers.taint.template_files import Template
from bastion.analyzers.taint.top_level_sources import Chain, top_level_sources
from bastion.analyzers.taint.type_aliases import annotated_aliases, portable, written_aliases
from bastion.analyzers.taint.user_keys import text_user_keys
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.digests import blake2b
from bastion.engine.cache import LRU

_COPIES = ("sorted", "tuple", "list")  # builtins a guard reads as copying a constant


@attrs_classes.define
class ModuleContext:
    env: Env
    constants: dict[str, Value]
    kinds: dict[str, str]  # global name -> kind of its value
    functions: list[Function]
    digest: bytes  # everything above that a function's analysis depends on, but its own text
    # Summaries of other workspace modules' functions, by qualified name (workspace.py).
    # (qualified name, whether an argument is tainted) -> summary or None
    external: Callable[[str, bool], object] | None = None
    # the bases of another workspace module's class, by qualified name (workspace.py)
    external_bases: Callable[[str], tuple[str, ...]] | None = None
    # a global holding a parser another module's factory returns (`PARSER = build_parser()`),
    # or bound more than once, a parser by some binding: the parser, its clean destinations
    # with it; and what each binding of the latter is (argparse_globals.py)
    factory_parsers: dict[str, Value] = attrs.Factory(dict)
    factory_calls: dict[str, str] = attrs.Factory(dict)  # their kinds as bound (analysis.py)
    parser_bindings: dict[str, frozenset[str | None]] = attrs.Factory(dict)
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
    # class -> {attribute -> the class it holds an instance of} (class_instances.py)
    class_instances: dict[str, dict[str, str]] = attrs.Factory(dict)
    # class -> {field -> the class its annotation names} (declared_classes.py)
    declared_fields: dict[str, dict[str, str]] = attrs.Factory(dict)
    # attribute of Flask's `g` -> the line a function stored request data in it (scoped.py), or
    # (file, line) of a store in a module this one imports (workspace.py)
    scoped: dict[str, int | tuple[str, int]] = attrs.Factory(dict)
    forms: Forms = attrs.Factory(dict)  # the module's form classes (forms.py)
    routes: dict[str, dict[str, frozenset[str]]] = attrs.Factory(dict)  # url_routes.py
    # the template files the module names, by the name it writes (template_files.py)
    templates: dict[str, tuple[Template, ...]] = attrs.Factory(dict)
    # the versions its project declares of the packages some sinks depend on (declared_versions.py)
    declared: Declared = NO_DECLARATIONS
    # record class (a dataclass, named tuple, pydantic model) -> its fields (classes.py)
    records: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    # class -> the form class its body names for a generic view's hooks (parameters.py)
    class_forms: dict[str, str] = attrs.Factory(dict)
    # the objects of other modules it only calls methods of, as written (object_uses.py)
    built: frozenset[str] = frozenset()
    # which of `sorted` / `tuple` / `list` it binds: no copy of a constant (helper_paths.py)
    shadowed: frozenset[str] = frozenset()
    # argparse destinations validated into a number or a constant choice (argparse_choices.py)
    argparse_clean: frozenset[str] = frozenset()
    # its Enum classes without methods: `Color(q)`, `Color[q]` is a constant member or raises
    enums: frozenset[str] = frozenset()
    # the signed-in user's keys its own user model makes text, not a number (user_keys.py)
    text_user_keys: frozenset[str] = frozenset()
    # its dicts of functions picked by a key: `ACTIONS[kind](host)` runs each (tables.py)
    tables: dict[str, tuple[tuple[object, LocalFunction], ...]] = attrs.Factory(dict)
    # global queue -> the line a function of it puts request data in it (queues.py)
    queues: dict[str, int] = attrs.Factory(dict)
    # global / `Class.attribute` -> the line a function of it writes request data in it (global_stores.py)
    stored_globals: dict[str, int] = attrs.Factory(dict)
    # global -> its top-level bindings from a source (`DATA = sys.argv[1]`, top_level_sources.py)
    top_sources: dict[str, Chain] = attrs.Factory(dict)
    # global -> the module's functions its top-level bindings call (`CONFIG = load_config(path)`)
    top_calls: dict[str, frozenset[str]] = attrs.Factory(dict)
    # whether it may declare arguments of its own, argparse imported or not (argparse_choices.py)
    argparse_declares: bool = True
    # what it declares when it hands a parser to functions of other modules (argparse_helpers.py)
    argparse_helped: Helped | None = None
    # function node -> (constants, shadowed, its helper_paths by them): asked again at each test
    # calling it and each summary (helper_paths.module_paths); dies with the module's analysis
    helper_memo: dict = attrs.field(factory=dict, eq=False, repr=False)
    _by_name: dict[str, Function] = attrs.Factory(dict)
    # the list and its length `_by_name` was read from: a module defining a name twice (a method
    # per platform in subprocess.py) read it again at each of ~180 look-ups a keystroke
    _named: tuple[list[Function] | None, int] = (None, 0)

    def lineage(self, class_name: str) -> tuple[str, ...]:
        """The class and its ancestors of this module, where `self.method` is looked up."""
        return (class_name, *self.parents.get(class_name, ()))

    def inherited(self, class_name: str, method: str) -> str | None:
        """`Class.method` of the nearest class of the lineage that defines `method`: a subclass
        without its own `__init__` is built by its base's."""
        if class_name not in self.parents:
            # no ancestor of this module (a name that is no class of it, `subprocess.run`, the
            # most of ~2 look-ups a call): its lineage is itself, without building the tuple
            name = f"{class_name}.{method}"
            return name if self.function_named(name) is not None else None
        for cls in self.lineage(class_name):
            if self.function_named(f"{cls}.{method}") is not None:
                return f"{cls}.{method}"
        return None

    def function_named(self, name: str) -> Function | None:
        if self._named[0] is not self.functions or self._named[1] != len(self.functions):
            self._read_names()
        return self._by_name.get(name)

    def by_name(self) -> dict[str, Function]:
        """`function_named`'s table (the last function of each name), for a loop asking it of
        every function (one look-up, not three calls, each): another after the list changes."""
        if self._named[0] is not self.functions or self._named[1] != len(self.functions):
            self._read_names()
        return self._by_name

    def _read_names(self) -> None:
        self._by_name = {f.name: f for f in self.functions}
        self._named = (self.functions, len(self.functions))


def module_context(tree: ast.Module, models: Models, memo: LRU | None = None,
                   bases_of: Callable[[str], tuple[str, ...]] | None = None,
                   text: str | None = None, names_registrar: bool | None = None,
                   foreign: frozenset[str] = frozenset(), lines: list[str] | None = None,
                   imported_aliases: dict[str, ast.Subscript] | None = None) -> ModuleContext:
    """`memo`: keeps each function's classification (entry, parameters) by its header's text
    (or its node, without `lines`) and the module's digest, for the next text of a document.
    `bases_of`: the bases of a class of another workspace module, by qualified name. `text`:
    the module's text, where a module-level container is looked for changes (container_changes.py).
    `names_registrar`: whether `text` names a registrar, when the caller knows (the taint
    analyzer's gate answers it per edit); else it is looked for in `text`. `foreign`: the names
    other modules of a scan may change in place or rebind (foreign_changes.py). `lines`: the
    text's lines, where the summary store knows them but not `text` (argparse_choices.py), or
    where the caller has them (the classifications are then kept by the functions' lines).
    `imported_aliases`: the `Annotated` aliases of the workspace modules it imports, by
    qualified name (type_aliases.py)."""
    level = module_level(tree, memo, text)
    env, definitions, bindings = level.env, level.definitions, level.bindings
    kinds = {**module_sink_aliases(level.named, bindings.once, models), **level.kinds}  # `run = os.system`
    containers, expressions = level.containers, level.expressions
    constants = level.unchanged(tree, foreign)
    patterns = level.patterns
    # a `def sorted`, `sorted = ...`, an import or a star import: its calls copy nothing known
    shadowed = frozenset(n for n in _COPIES if bindings.star or bindings.counts[n])
    built = left_as_built({k for k in level.imported | kinds.keys() if bindings.once(k)}, text)
    shapes = class_shapes(definitions, env, kinds, bases_of, last_shapes(memo, env, kinds))
    keep_shapes(memo, env, kinds, shapes)
    members, through_self = class_constants(definitions, bindings.constant, fold_constant, text,
                                            tree, memo, handler_classes(shapes, models))
    held = class_instances(definitions, bindings.constant, env, text, tree)
    scoped = scoped_stores(definitions, env, models, memo)
    queues = queue_feeds(definitions, env, kinds, models, memo)
    stored = global_stores(definitions, env, models, kinds, containers, memo)
    forms = validated_forms(shapes, env, kinds, models, lambda name: level.fixed(tree, name, foreign))
    user_keys = text_user_keys(shapes, env, kinds)
    classes = {node.name: shape for node, shape in shapes.items()}  # a redefinition wins
    records = {**named_tuples(tree.body, env, bindings.once), **record_fields(definitions, shapes, env, memo)}
    # Only a module that imports a body model's base can define a body model.
    roots = models.body_model_roots
    bodies = classes if roots and env.imported(roots) else {}
    # annotations.py; a class with an `__init__` may be a FastAPI class dependency (entries.py)
    enums = frozenset([k for k, v in classes.items() if closed_enum(v)])
    typed = {**{k: v for k, v in classes.items() if k in enums or v.init_params}, **bodies}
    nested, registered = nested_views(definitions, env, kinds, memo,
                                      frozenset(p for e in models.entries for p in e.factory_params))
    firsts = {name for e in models.entries for name in e.first_param}
    outline = kept_parts(memo, b"outline", None, definitions, _outline)
    candidates = [d for d, (_, _, first, _) in zip(definitions, outline, strict=True) if first in firsts]
    called = called_here([d.name for d in candidates], tree, memo, text)
    defined = {name for kind, name, _, _ in outline if kind in FUNCTIONS}
    aliases = annotated_aliases(tree.body, env, kinds, bindings.once)  # `CommonsDep = Annotated[...]`
    # an alias's `Depends(common_parameters)` registers the dependency as one written in place
    registered.update(registrations(expressions, defined, env, kinds, parameters=[
        *_parameter_registrars(definitions, models, text, names_registrar, memo),
        *(call for alias in aliases.values() for call in annotated_calls(alias))],
        instances=lambda: module_instances(tree.body, classes, bindings.once)))
    if imported_aliases:  # `from .deps import CommonsDep`: registered in its module
        aliases = {**{name: alias for name, alias in written_aliases(env, imported_aliases).items()
                      if "." in name or bindings.once(name)}, **aliases}
    for name, calls in method_registrations(definitions, env, kinds, memo).items():  # `self.on_client`
        registered[name] = (*registered.get(name, ()), *calls)
    handlers, lambdas, choices, helped = dispatched(tree, text, env, defined, definitions)  # argparse_*
    declares = declares_arguments(text, lines, declaring_words(memo))
    bound = parser_bindings(tree, text, lines, env, bindings)  # `PARSER = None` and a parser
    kinds = {**kinds, **{name: PARSER_KIND for name, held in bound.items() if BUILT in held}}
    top, top_calls = top_level_sources(tree.body, env, kinds, models, frozenset([o[1] for o in outline]),
                                       frozenset(defined), memo)
    for name, calls in handlers.items():
        registered[name] = (*registered.get(name, ()), *calls)
    # frameworks a `def view(request)` entry needs imported that only such functions import
    wanted = {m for e in models.entries if e.first_param for m in e.imported
              if not env.imported((m,))}
    inside = imported_in_functions(candidates, wanted) if wanted else frozenset()
    tables = function_tables(tree.body, set(constants), definitions, env)
    declared = declared_fields(definitions, env, records, forms, memo)
    # `Resource(store)` built at the top level: the field holds the store's class, as annotated
    for name, table in constructed_fields(tree, definitions, expressions, env, bindings.once,
                                          set(records) | set(forms), memo, text).items():
        declared[name] = {**table, **declared.get(name, {})}
    routes = registered_routes(expressions, definitions, env, kinds, models.entries, memo)  # add_resource
    digest = blake2b(repr((sorted(env.aliases.items()), sorted(env.imports), sorted(inside),
                                   sorted([(k, v.const) for k, v in constants.items()]),
                                   sorted(kinds.items()), sorted(patterns.items()),
                                   sorted([(k, v.key()) for k, v in bodies.items() if v.fields]),
                                   sorted([(k, v.key()) for k, v in classes.items() if v.init_params]),
                                   sorted(enums),
                                   sorted(called),
                                   sorted([(k, [r.key() for r in v]) for k, v in registered.items()]),
                                   sorted([(k, v.const) for k, v in members.items()]),
                                   sorted([(k, sorted([(n, c.const) for n, c in v.items()]))
                                           for k, v in through_self.items()]),
                                   sorted([(k, sorted(v.items())) for k, v in held.items()]),
                                   sorted([(k, sorted(v.items())) for k, v in declared.items()]),
                                   sorted(scoped.items()), sorted(queues.items()), sorted(stored.items()),
                                   sorted([(k, [(ast.dump(e), r) for e, r in v]) for k, v in top.items()]),
                                   top_calls and top_bound(definitions, top_calls, top),
                                   sorted([(k, *form.sorted_fields())
                                           for k, form in forms.items()]),
                                   sorted(records.items()),
                                   sorted(built), sorted(shadowed), sorted(choices), declares,
                                   sorted([(k, sorted(map(str, v))) for k, v in bound.items()]),
                                   helped and (sorted(helped[0]), sorted(map(str, helped[1])), helped[2]),
                                   sorted([(k, table_key(v)) for k, v in tables.items()]),
                                   sorted(routes.items()),
                                   sorted([(k, ast.dump(v)) for k, v in aliases.items()]),
                                   sorted(user_keys))).encode(), digest_size=16).digest()
    # a class deriving from a framework's class through another module's base class is the
    # framework's, though this module does not import it
    inherited = {base.split(".")[0] for shape in shapes.values() for base in shape.bases if base}
    # a class taking what only the framework hands it (Django's middleware `get_response`)
    # or a function returning a nested one (Django's function middleware)
    made = {name for shape in shapes.values() for name, _ in shape.init_params}
    made_by = {name for view in nested for name in view.made_by}
    entries = applying_entries(memo, models, env, inherited, inside, made, made_by)
    # the entry models that apply are part of what classifies a function (`inherited` is not
    # in the digest)
    classified = Classified(memo, digest + models.digest.encode()
                            + repr([id(e) for e in entries]).encode(), lines) \
        if memo is not None else None
    kept = kept_functions(memo, (classified.digest, typed)) if classified is not None else None
    functions = functions_of(definitions, env, kinds, entries, typed, shapes, classified,
                             registered, called, kept, routes, aliases)
    if kept is not None:
        kept.done()
    for view in nested:
        function = classify_kept(Function(view.node, view.name, made_by=view.made_by), env,
                                 view.kinds, entries, typed, classified,
                                 registered=registered.get(view.name, ()), aliases=aliases)
        if function.entry is not None:  # a nested helper is not followed (its callers are not)
            functions.append(function)
    for node, call in lambdas:
        function = classify_kept(Function(node, node.name), env, kinds, entries, typed, classified,
                                 registered=(call,), aliases=aliases)
        if function.entry is not None:
            functions.append(function)
    body = kept_module_body(tree, memo)
    if body is not None:
        functions.append(Function(body, MODULE_BODY))
    hand_requests(functions, env, models, memo, text)
    parents = {name: shape.ancestors for name, shape in classes.items()}
    class_forms = {name: form for _, name, _, form in outline if form is not None}
    return ModuleContext(env, constants, kinds, functions, digest, parents=parents, patterns=patterns,
                         class_bases={name: shape.bases for name, shape in classes.items()},
                         class_constants=members, self_constants=through_self, scoped=scoped,
                         class_instances=held,
                         declared_fields=declared,
                         forms=forms, records=records, built=built, class_forms=class_forms,
                         shadowed=shadowed, argparse_clean=choices, argparse_declares=declares,
                         enums=enums,
                         text_user_keys=user_keys,
                         parser_bindings=bound, argparse_helped=helped, tables=tables, queues=queues,
                         stored_globals=stored, top_sources=top, top_calls=top_calls,
                         factory_parsers=bound_parsers(bound, choices, declares, lambda _: None))


@attrs.frozen
class ClassFacts:
    """What a module's classes are, as another module's analysis reads them (workspace.py):
    `module_context`'s fields of the same names, built without bases of other modules."""

    class_bases: dict[str, tuple[str | None, ...]]
    records: dict[str, tuple[str, ...]]
    scoped: dict[str, int]
    forms: Forms
    # its `Annotated` aliases as an importer reads them (type_aliases.portable), with `path`
    aliases: dict[str, ast.Subscript] = attrs.Factory(dict)


def class_facts(tree: ast.Module, models: Models, text: str | None = None, path: str | None = None,
                workspace: Callable[[str], tuple[str | None, str]] | None = None) -> ClassFacts:
    """`module_context(tree, models, text=text)`'s class facts without classifying functions,
    reading their bodies or digesting the context: the summary store asks them of every module
    a file imports (some five times the cost of this). With `path`, the module's file, and
    `workspace`, the workspace file and name there of a qualified name it imports: its aliases."""
    level = module_level(tree, None, text)
    env, kinds, definitions = level.env, level.kinds, level.definitions
    shapes = class_shapes(definitions, env, kinds)
    forms = validated_forms(shapes, env, kinds, models, lambda name: level.fixed(tree, name))
    aliases: dict[str, ast.Subscript] = {}
    if path is not None and workspace is not None and (text is None or "Annotated" in text):
        bindings = level.bindings
        found = annotated_aliases(tree.body, env, kinds, bindings.once)
        aliases = portable(found, env, kinds, workspace, path, lambda name: bool(
            bindings.counts[name]) and name not in env.aliases and name not in env.imports) \
            if found else {}
    return ClassFacts({node.name: shape.bases for node, shape in shapes.items()},
                      record_fields(definitions, shapes, env),
                      scoped_stores(definitions, env, models), forms, aliases)


def _outline(node: ast.stmt) -> tuple[type, str, str | None, str | None]:
    """A definition's type and name, a function's first parameter, a class's form class: what
    the context asks of each definition, kept by node (context_parts.py)."""
    kind = type(node)
    return (kind, node.name, first_param(node) if kind in FUNCTIONS else None,
            class_form(node) if kind is ast.ClassDef else None)


def _parameter_registrars(definitions: list[ast.stmt], models: Models, text: str | None,
                          names_registrar: bool | None, memo: LRU | None) -> list[ast.Call]:
    """The calls in parameter lists, where the text names a registrar (a keystroke in a module
    that names none does not walk every function's parameters)."""
    if names_registrar is None:
        names_registrar = text is None or any(name in text for name in models.registrar_names())
    return parameter_calls(definitions, memo) if names_registrar else []
