"""One module's taint analysis: functions bottom-up over the same-file call graph, each with the
summaries of the callees it uses, cached per function.

`ModuleAnalysis` is built once per text; the cache (owned by the analyzer, see analyzer.py)
maps (function text, module-context digest, callee summary fingerprints, model digest: see
function_keys.py) to the function's result, so an edit re-analyses the edited function and
the callers whose callees' summaries changed, not the file; nor the callers of a callee that
only moved (its fingerprint tells its lines from its own first line: places.py).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import attrs

from bastion import attrs_classes
from bastion.analyzers.taint.argparse_choices import carried
from bastion.analyzers.taint.argparse_globals import factory_parsers
from bastion.analyzers.taint.argparse_helpers import declarations, helped_clean
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.callgraph import closure
from bastion.analyzers.taint.context import ModuleContext, module_context
from bastion.analyzers.taint.declared_classes import declared_instances
from bastion.analyzers.taint.declared_versions import NONE as NO_DECLARATIONS
from bastion.analyzers.taint.declared_versions import Declared
from bastion.analyzers.taint.domain import UNKNOWN, Origin, Value
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.fingerprints import summary_fingerprint
from bastion.analyzers.taint.forms import Forms
from bastion.analyzers.taint.function_keys import function_key, function_texts, inputs_key
from bastion.analyzers.taint.guards import refine
from bastion.analyzers.taint.helper_guards import proofs_of
from bastion.analyzers.taint.module_files import with_files
from bastion.analyzers.taint.moves import cached_at, kept
from bastion.analyzers.taint.outcome_reuse import LastOutcomes
from bastion.analyzers.taint.parameters import parameters
from bastion.analyzers.taint.places import Places
from bastion.analyzers.taint.plans import Plan
from bastion.analyzers.taint.recursion import seed_cycle, settle_cycle
from bastion.analyzers.taint.relevance import Carriers, relevant_functions
from bastion.analyzers.taint.results import FunctionResult, Hit, Summary, distinct_hits
from bastion.analyzers.taint.resume import Walker, checkpoints_in
from bastion.analyzers.taint.signatures import numbered
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.statements import Interpreter
from bastion.analyzers.taint.template_files import NONE as NO_TEMPLATES
from bastion.analyzers.taint.template_files import ModuleTemplates
from bastion.analyzers.taint.user_models import NO_USER, ProjectUser
from bastion.digests import blake2b
from bastion.engine.cache import LRU
from bastion.model.text import text_lines

FIXPOINT_ROUNDS = 3  # re-analyses of a recursive cycle's members; summaries settle in one or two


@attrs_classes.define
class FunctionOutcome:
    function: str
    result: FunctionResult
    summary: Summary
    # The verdicts (`result.seen`) by span in the text, as the analyzer converts them once: an
    # outcome found at another line is a new one, at the function's new place (moves.py).
    seen_spans: dict | None = None
    _fingerprint: bytes | None = None
    _carries: bool | None = None  # `carries_taint`, asked of every settled outcome each round

    def carries_taint(self) -> bool:
        if self._carries is None:
            self._carries = _carries_taint(self.summary)
        return self._carries

    def fingerprint(self, places: Places) -> bytes:
        """The summary's (callers' cache keys include it), its lines told by their functions
        (`places`, of the text it was found or moved in: a moved outcome keeps it), made when
        first asked: a summary computed for another module (no cache, no cycle) never is."""
        if self._fingerprint is None:
            self._fingerprint = summary_fingerprint(self.summary, places.relative)
        return self._fingerprint


@attrs_classes.define
class ModuleResult:
    hits: list[tuple[Function, Hit]]
    outcomes: list[FunctionOutcome]
    skipped: list[tuple[str, int]]  # (function, statements) over the budget
    too_deep: list[Function] = attrs.Factory(list)  # not followed: see `_analyse`
    analysed: int = 0  # functions actually interpreted (not served from the cache)
    functions: list[Function] = attrs.Factory(list)  # every function of the module


def analyse_module(tree: ast.Module, models: Models, cache: LRU | None = None,
                   text: str | None = None, calls: LRU | None = None,
                   external: Callable[[str, bool], Summary | None] | None = None,
                   external_digest: bytes = b"", only: set[str] | None = None,
                   external_bases: Callable[[str], tuple[str, ...]] | None = None,
                   module: ModuleContext | None = None,
                   done: dict[str, FunctionOutcome] | None = None,
                   names_registrar: bool | None = None,
                   split: list[str] | None = None,
                   templates: ModuleTemplates = NO_TEMPLATES,
                   external_scoped: dict[str, tuple[str, int]] | None = None,
                   external_forms: Forms | None = None,
                   external_routes: dict[str, dict[str, frozenset[str]]] | None = None,
                   external_aliases: dict[str, ast.Subscript] | None = None,
                   declared: Declared = NO_DECLARATIONS,
                   user: ProjectUser = NO_USER,
                   foreign: frozenset[str] = frozenset()) -> ModuleResult:
    """Interprets the functions that can see untrusted data (without `text`: all of them, or
    `only` those and what they call), callees first; then, while some function returns
    untrusted data or stores it in `self`, the functions that call it (see `relevance.relevant_functions`).
    `external`: other workspace modules' summaries by qualified name (`external_digest` says
    what it can return: function cache keys include it; `external_bases`, the bases of their
    classes; `module`, the tree's context when the caller built it already; `done`, outcomes of
    an earlier call on the same context, which this one adds to: they are not interpreted again;
    `names_registrar`, see `module_context`; `split`, `split_lines(text)` when the caller has
    it); `templates`, the template files it names (template_files.py); `external_scoped`, what
    the modules it imports store in Flask's `g`, and `external_forms`, their form classes by
    qualified name, and `external_routes`, what Django's urls.py routes declare of its views'
    parameters (url_routes.py), and `external_aliases`, their `Annotated` aliases by qualified
    name (type_aliases.py; `external_digest` covers them all); `declared`, the package
    versions its project declares (declared_versions.py); `user`, whether the user model its
    settings name is keyed by text (user_models.py); `foreign`, see `module_context`."""
    if module is None:
        module = module_context(tree, models, calls, external_bases, text, names_registrar, foreign,
                                split, external_aliases)
    if external is not None:
        module.external, module.external_bases = external, external_bases
        if module.argparse_helped is not None:  # its parser handed to helpers of other modules
            module.argparse_clean = helped_clean(module.argparse_helped, external)
        if external_scoped:  # a store of this module names its own line
            module.scoped = {**external_scoped, **module.scoped}
        if external_forms:  # `from .forms import SearchForm`: by the name the module calls
            module.forms = {**{local: external_forms[name] for local, name in module.env.aliases.items()
                               if name in external_forms}, **module.forms}
        module.routes = external_routes or {}
        module.digest = blake2b(module.digest + external_digest, digest_size=16).digest()
    # `PARSER = build_parser()`, of another module or this one (its summary got apart, without
    # its callees': a factory builds its parser itself); a context analysed again (the store asks
    # for other functions, no look-up given) keeps its look-up and the globals' kinds as bound
    module.kinds = {**module.kinds, **module.factory_calls}
    module.factory_parsers = factory_parsers(
        module, module.external, lambda f: _analyse(module.function_named(f), module, models, {}).summary)
    if module.factory_parsers:  # `PARSER.parse_args()` is then argparse's, as a source
        module.factory_calls = {n: module.kinds[n] for n in module.factory_parsers if n in module.kinds}
        module.kinds = {**module.kinds, **{name: parser.kind for name, parser
                                           in module.factory_parsers.items()}}
    with_files(module, templates, declared, user)
    lines = python_lines(text, split) if text is not None else None
    result = ModuleResult([], [], [], functions=module.functions)
    done = {} if done is None else done
    summaries: dict[str, Summary] = {k: v.summary for k, v in done.items()}  # kept with `done`
    texts = function_texts(module, lines) if lines is not None else None
    callees_of = CalleeMemo(module, texts, calls, lines)
    places = Places(module)
    # the last text's outcomes, where nothing their keys read changed (outcome_reuse.py)
    last = LastOutcomes(calls, module, models.digest) \
        if cache is not None and calls is not None and texts is not None else None
    plan = Plan(calls if texts is not None else None, module, callees_of)  # the last text's walks
    if texts is None:
        wanted: set[str] = {f.name for f in module.functions} if only is None else closure(
            {name for name in only if module.function_named(name) is not None}, module, callees_of)
    else:
        wanted = plan.closure(relevant_functions(module, callees_of, models))
    carriers = Carriers(models)
    while wanted:
        for component, cycle in plan.components(wanted):
            members = [f for f in component if f.name not in done]
            if cycle:
                # a cycle: its members are first analysed without the summaries of those met
                # later; again with every member's, until none changes, before any caller
                seed_cycle(members, summaries)
                settle_cycle(members, lambda f, view: _settle(f, module, models, cache, lines, callees_of,
                                                              done, view, result, texts, places),
                             summaries, lambda name: done[name].fingerprint(places) if name in done else None,
                             FIXPOINT_ROUNDS, cache is None)
                continue
            for function in members:
                _settle(function, module, models, cache, lines, callees_of, done, summaries,
                        result, texts, places, last)
        if lines is None:
            break
        wanted = plan.closure(plan.callers(carriers.of(done), done)) - set(done)
    plan.done()
    if last is not None:
        last.done()
    result.hits.extend((module.function_named(outcome.function), hit) for outcome in done.values()
                       for hit in outcome.result.hits if any(o.kind != "param" for o in hit.value.taint))
    return result


def _settle(function: Function, module: ModuleContext, models: Models, cache: LRU | None,
            lines: list[str] | None, callees_of: CalleeMemo, done: dict[str, FunctionOutcome],
            summaries: dict[str, Summary], result: ModuleResult,
            texts: dict[str, str] | None, places: Places, last: LastOutcomes | None = None) -> bool:
    """Analyse `function` with the summaries known now; whether its summary changed."""
    before = done.get(function.name)
    outcome = _outcome(function, module, models, cache, lines, callees_of, done, summaries,
                       result, texts, places, replacing=before, last=last)
    done[function.name] = outcome
    summaries[function.name] = outcome.summary
    return before is None or outcome.fingerprint(places) != before.fingerprint(places)


def _outcome(function: Function, module: ModuleContext, models: Models, cache: LRU | None,
             lines: list[str] | None, callees_of: CalleeMemo, done: dict[str, FunctionOutcome],
             summaries: dict[str, Summary], result: ModuleResult, texts: dict[str, str] | None,
             places: Places, replacing: FunctionOutcome | None = None,
             last: LastOutcomes | None = None) -> FunctionOutcome:
    name, known = function.name, callees_of.known
    callees = sorted(known[name] if name in known else callees_of(function))
    key = outcome = stamp = None
    if last is not None:
        outcome, stamp = last.find(function, callees, done, callees_of)
    if outcome is None and cache is not None and lines is not None:
        fingerprints = [(c, done[c].fingerprint(places) if c in done else b"") for c in callees]
        key = function_key(function, callees_of, module, models, fingerprints)
        outcome = cached_at(cache, key, function.node, places)
    if outcome is None:
        sql = texts is None or callees_of.facts(function).sql
        # a walk's kept states hold the callees' lines as they were: resumed only where they are
        walker = checkpoints_in(cache).walker(
            function, lambda: inputs_key(function, callees_of, module, models, [
                (c, summary_fingerprint(done[c].summary) if c in done else b"") for c in callees],
                sql), lines) if key is not None else None
        outcome = _analyse(function, module, models, summaries, sql, callees_of.later(function),
                           walker)
        result.analysed += 1
        if key is not None:
            cache.put(key, kept(outcome, function.node, places))
    if last is not None:
        last.keep(function, stamp, outcome)
    if replacing is not None:
        result.outcomes[next(i for i, o in enumerate(result.outcomes) if o is replacing)] = outcome
    else:
        result.outcomes.append(outcome)
    if replacing is not None and replacing.result.skipped:
        return outcome  # counted when first met
    if outcome.result.too_deep:
        result.too_deep.append(function)
    elif outcome.result.skipped:
        result.skipped.append((function.name, outcome.result.statements))
    return outcome


def _carries_taint(summary: Summary) -> bool:
    real = [o for o in summary.returns.deep_taint() if o.kind != "param"]
    return bool(real) or any(o.kind != "param" for v in summary.fields.values()
                             for o in v.deep_taint())


def _analyse(function: Function, module: ModuleContext, models: Models,
             summaries: dict[str, Summary], sql: bool = True,
             later: frozenset[str] = frozenset(), walker: Walker | None = None) -> FunctionOutcome:
    """`later`: the fields the method reads that other methods set (`CalleeMemo.later`);
    `walker`, what walks its body resuming where an edit starts (resume.py).
    A function holding a statement nested deeper than the walk's stack allows is not followed
    (`FunctionResult.too_deep`, which the analyzer reports as not analysed): the rest of the
    file is, and its callers see a call that returns what it is given and reaches no sink, as a
    call of code not modelled."""
    args = function.node.args
    # in their order, numbered as parameters.py numbers them (`*rest` after the positional
    # ones, `**options` last)
    params = numbered(args, function.implicit_params)
    try:
        return _interpret(function, module, models, summaries, sql, later, params, walker)
    except RecursionError:
        line = function.node.lineno - 1
        returns = Value(frozenset(Origin("param", f"parameter `{name}`", line, param=index)
                                  for index, name in enumerate(params)), modelled=False)
        return FunctionOutcome(function.name, FunctionResult(returns, [], {}, 0, skipped=True,
                                                             too_deep=True),
                               Summary(tuple(params), returns, ()))


def _interpret(function: Function, module: ModuleContext, models: Models,
               summaries: dict[str, Summary], sql: bool, later: frozenset[str],
               params: list[str], walker: Walker | None) -> FunctionOutcome:
    init_name = module.inherited(function.class_name, "__init__") \
        if function.class_name is not None and function.node.name != "__init__" else None
    init = summaries.get(init_name) if init_name is not None else None
    fields = {k: _real_only(v) for k, v in init.fields.items()} if init is not None else {}
    for name in later & fields.keys():  # what `__init__` stored, or what another method did
        fields[name] = fields[name].evolve(const=UNKNOWN, known=False)
    fields.update(_set_up(function, module, summaries))
    # `repo: UserRepository`: what the field is declared to hold, whatever the caller passed
    declared = {name: instance for name, instance in declared_instances(module, function.class_name).items()
                if name not in fields or not fields[name].tainted and fields[name].kind is None} \
        if function.class_name is not None and module.declared_fields else {}
    fields.update(declared)
    result = _run(function, module, models, summaries, fields, sql, walker)
    summary = _summary(params, result, module)
    summary.hands_on = result.handed_on
    summary.proves = proofs_of(function, lambda: _prover(function, module, models, summaries),
                               refine, module)
    summary.adds = declarations(function.node, module)
    if init is not None or later:
        # Once more with the fields `__init__` filled from its parameters (and those `later`)
        # as parameters: the summary for instances built with untrusted arguments or given
        # them by a setter (a value's `clean` is one for all its origins, so the first run's
        # sinks stay exact for the other instances).
        fields, names = _fields_seen(init, function, len(params), later - declared.keys(), declared)
        if names:
            summary.with_fields = attrs.evolve(
                _summary(params, _run(function, module, models, summaries, fields, sql), module),
                field_params=names)
    return FunctionOutcome(function.name, result, summary)


def _run(function: Function, module: ModuleContext, models: Models,
         summaries: dict[str, Summary], fields: dict[str, Value], sql: bool,
         walker: Walker | None = None) -> FunctionResult:
    interpreter = Interpreter(module, models, summaries, function.class_name, fields)
    interpreter.sql_strings = sql
    result = interpreter.run(function, walker(interpreter) if walker is not None else None)
    result.held = interpreter.held
    return result


def _prover(function: Function, module: ModuleContext, models: Models,
            summaries: dict[str, Summary]) -> Interpreter:
    """A walk of the function with its parameters bound as its summary binds them: what its
    test proves of them is then a summary's (helper_guards.proofs_of)."""
    interpreter = Interpreter(module, models, summaries, function.class_name)
    interpreter.function = function
    interpreter.env = parameters(interpreter, function)
    return interpreter


def _summary(params: list[str], result: FunctionResult, module: ModuleContext) -> Summary:
    """A returned parser carries the destinations its module proves clean (argparse_choices)."""
    sinks = distinct_hits([h for h in result.hits if any(o.kind == "param" for o in h.value.taint)])
    held = tuple({(c.param, c.method, c.step): c for c in result.held}.values())
    return Summary(tuple(params), carried(result.returns, module), sinks, result.fields, held=held)


def _fields_seen(init: Summary | None, function: Function, first: int, later: frozenset[str],
                 declared: dict[str, Value]) -> tuple[dict[str, Value], tuple[str, ...]]:
    """The `self` fields a method starts with: what `__init__` stored, its untrusted data
    kept; a field `__init__` filled from its parameters, or one another method sets
    (`later`), is a parameter of the method too (numbered from `first`), so that an instance
    built with untrusted arguments (`Fetcher(request.args["url"]).fetch()`) or given them
    (`f.configure(request.args["url"])`) carries them into the method (calls.py)."""
    fields: dict[str, Value] = {}
    names: list[str] = []
    line = function.node.lineno - 1
    stored = init.fields if init is not None else {}
    fields.update(declared)  # an instance of its declared class, not a caller's parameter
    for name in sorted(set(stored) - declared.keys() | later):
        value = stored.get(name)
        by_param = value is not None and any(o.kind == "param" for o in value.deep_taint())
        if value is not None and not by_param and name not in later:
            fields[name] = _real_only(value)
            continue
        origin = Origin("param", f"field `self.{name}`", line, param=first + len(names))
        if not by_param and (value is None or not value.deep_taint()):
            # a constant `__init__` stored is no part of what a setter may have stored instead
            fields[name] = Value(frozenset({origin}), known=True)
            names.append(name)
            continue
        value = value.flat()
        real = frozenset(o for o in value.taint if o.kind != "param")
        fields[name] = value.evolve(taint=real | {origin}, const=UNKNOWN,
                                    steps=value.steps if real else ())
        names.append(name)
    return fields, tuple(names)


def _set_up(function: Function, module: ModuleContext,
            summaries: dict[str, Summary]) -> dict[str, Value]:
    """The fields the framework's setup methods set before the method runs, the later one's
    over the earlier's (Django calls `setup`, then `dispatch`, then the handler): their
    untrusted data as they left it, guarded or converted or not."""
    fields: dict[str, Value] = {}
    for method in function.set_up_before:
        name = module.inherited(function.class_name, method) if function.class_name else None
        summary = summaries.get(name) if name is not None and name != function.name else None
        if summary is not None:
            fields.update({k: _real_only(v) for k, v in summary.fields.items()})
    return fields


def _real_only(value: Value) -> Value:
    """A field's value without the constructor's parameters: what a caller passed is not known
    in the method (a pattern finding on it is not retracted as safe)."""
    real = frozenset(o for o in value.taint if o.kind != "param")
    return value if real == value.taint else value.evolve(
        taint=real, steps=value.steps if real else (), known=False)


def python_lines(text: str, split: list[str] | None = None) -> list[str]:
    """`text_lines(text)`: lines as Python counts them (str.splitlines also breaks at U+2028 in
    a string literal). Without "\r" in the text they are `split`, `split_lines(text)`, but a
    last empty line: a whole text split once, not twice (0.25 ms for _pydecimal.py's 230 kB)."""
    if split is None or "\r" in text:
        return text_lines(text)
    return split[:-1] if split[-1:] == [""] else split
