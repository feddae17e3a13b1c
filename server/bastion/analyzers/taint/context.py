"""What the interpreter knows about a module before it looks inside a function: the import /
alias table (the own rules' `Env`), constant globals, the kinds of global objects (`app =
Flask(__name__)` makes `app.route` resolve to `flask.Flask().route`), and the functions and
methods it may analyse, classified by entries.py (which of them are entry points whose
parameters are untrusted). The record built here and its look-ups: context_record.py.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import attrs

from bastion.analyzers.taint.annotations import closed_enum
from bastion.analyzers.taint.argparse_choices import PARSER_KIND, declares_arguments
from bastion.analyzers.taint.argparse_globals import BUILT, bound_parsers, parser_bindings
from bastion.analyzers.taint.argparse_handlers import dispatched
from bastion.analyzers.taint.class_constants import class_constants
from bastion.analyzers.taint.class_instances import class_instances
from bastion.analyzers.taint.classes import class_shapes, handler_classes, named_tuples, record_fields
from bastion.analyzers.taint.classified import Classified
from bastion.analyzers.taint.constructed_fields import constructed_fields
from bastion.analyzers.taint.context_parts import kept_parts
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.context_reuse import (
    applying_entries,
    declaring_words,
    keep_inherited,
    keep_shapes,
    kept_functions,
    kept_module_body,
    last_shapes,
)
from bastion.analyzers.taint.declared_classes import declared_fields
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
from bastion.analyzers.taint.top_level_sources import top_level_sources
from bastion.analyzers.taint.type_aliases import annotated_aliases, portable, written_aliases
from bastion.analyzers.taint.user_keys import text_user_keys
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.digests import blake2b
from bastion.engine.cache import LRU

_COPIES = ("sorted", "tuple", "list")  # builtins a guard reads as copying a constant



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
    text's lines where the caller has them (argparse_choices.py reads them; the
    classifications are then kept by the functions' lines).
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
    module = ModuleContext(env, constants, kinds, functions, digest, parents=parents, patterns=patterns,
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
    keep_inherited(memo, module)
    return module


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
