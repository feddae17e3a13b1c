"""Methods called on what a parameter holds, whose class only a caller knows (issue 12: layered
apps hand the repository to the service using it, `service = UserService(UserRepository(conn))`
then `service.search(q)`, `search` calling `self.repo.find(q)`, `__init__` having stored
`self.repo = repo`; or `def handle(svc, q): svc.search(q)`).

A function's walk keeps each call of a method on a parameter, or on a field its `__init__`
filled from one (a field parameter of `Summary.with_fields`), handed the function's own
parameters (`HeldCall`). Where its summary applies (summaries.apply_summary), an argument or an
instance field that is an instance of a known class (`UserRepository(conn)`: its kind) makes
the call that class's method's: its sinks report at the caller's call, with the path through
both; what those methods call on what they hold in turn, to a depth of `_DEPTH`. A factory's
result (`get_service()`) is read through the factory's summary where such a call needs it.

A call of the parameter itself (`def apply(fn, value): return fn(value)`) returns, in the
function's walk, a value keyed by a `CalledResult` on that parameter: what the function the
caller hands there returns on what it hands (`apply(html.escape, q)` is escaped text,
`apply(read_upload, name)` the file, not `name`), bound at the caller's call by
`with_called_results` before the summary's sinks and return are read (summaries.passed). A
helper handing on its own `*args` / `**kwargs` (`return func(*args, **kwargs)`) keeps them under
the keyword names `SPREAD`, spread again over what the caller passed into them.
summaries.py imports this module: its helpers are imported here where they are used.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.taint.domain import Value, join, ordered, params_only
from bastion.analyzers.taint.results import HeldCall, Hit
from bastion.analyzers.taint.signatures import every, packed, written_for

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.results import Summary

_DEPTH = 3  # service -> repository -> its own helper object
STORE = "__setitem__"  # the held call of an item stored (`hold_store`)
# The keyword names under which a held call keeps the function's `*args` and `**kwargs` it
# hands on whole (`func(*args, **kwargs)`): spread again over what the caller passed there.
SPREAD = ("*", "**")


@attrs_classes.frozen
class CalledResult:
    """The key, on the parameter called, of what the call of it on line `line` (0-based) of
    the function returned: a line, not a column, as another module's summary keeps its calls'
    lines but counts columns in characters (exports.py)."""

    line: int


def hold(ev: Evaluator, node: ast.Call, receiver: Value | None, args: list[Value],
         keywords: dict[str | None, Value]) -> Value | None:
    """Keep `node` when it calls a method on what one parameter holds, whole, or calls the
    parameter itself (`receiver`: its value), handing it some parameter's data (else a caller's
    instance or function adds nothing the function's walk did not see). A call of the parameter
    itself returns what the function a caller hands returns (`CalledResult`); None otherwise."""
    if receiver is None or receiver.items or len(receiver.taint) != 1 \
            or not isinstance(node.func, (ast.Attribute, ast.Name)):
        return None
    origin = next(iter(receiver.taint))  # a parameter's, seldom: asked before the arguments
    if origin.kind != "param" or origin.key is not None or not any(
            o.kind == "param" for value in (*args, *keywords.values()) for o in value.deep_taint()):
        return None
    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
    forwarded = _forwarded(ev, node) if not method else None
    if forwarded is None and (None in keywords or any(isinstance(a, ast.Starred) for a in node.args)):
        return None
    if forwarded:
        args = args[:-1] if node.args and isinstance(node.args[-1], ast.Starred) else args
        keywords = {name: value for name, value in keywords.items() if name is not None}
    step = ev.step(node, f"calls `{ast.unparse(node.func)}`")
    ev.held.append(HeldCall(origin.param, method, tuple(args),
                            (*keywords.items(), *(forwarded or {}).items()), step))
    if method:
        return None
    called = origin.evolve(key=CalledResult(step.line))
    return Value(frozenset({called}), steps=receiver.steps)


def _forwarded(ev: Evaluator, node: ast.Call) -> dict[str, Value] | None:
    """`func(*args, **kwargs)` handing on the function's own `*args` / `**kwargs` whole (a
    `*` last among the positional arguments): their values under the names `SPREAD` gives
    them, or None when `node` spreads anything else; {} when it spreads nothing."""
    function = ev.function.node.args if ev.function is not None else None
    spread: dict[str, Value] = {}
    for index, given in enumerate(node.args):
        if isinstance(given, ast.Starred):
            if index != len(node.args) - 1 or function is None or function.vararg is None \
                    or type(given.value) is not ast.Name or given.value.id != function.vararg.arg:
                return None
            spread[SPREAD[0]] = ev.eval(given.value)
    for keyword in node.keywords:
        if keyword.arg is None:
            if function is None or function.kwarg is None or type(keyword.value) is not ast.Name \
                    or keyword.value.id != function.kwarg.arg or SPREAD[1] in spread:
                return None
            spread[SPREAD[1]] = ev.eval(keyword.value)
    return spread


def hold_store(ev: Evaluator, target: ast.Subscript, key: Value, value: Value) -> None:
    """Keep `store[k] = v` (also `request.session[k] = v`, through an attribute of it) on what
    a parameter holds whole, storing some parameter's data: a caller handing a store sink's
    mapping there (`remember(session, name)`) reaches that sink (`_stored`)."""
    root, attributes = target.value, []
    while type(root) is ast.Attribute and len(attributes) < 2:
        attributes.append(root.attr)
        root = root.value
    env, function = ev.env, ev.function
    if type(root) is not ast.Name or not env or function is None or root.id not in env \
            or len(env[root.id].taint) != 1:
        return
    origin = next(iter(env[root.id].taint))
    # The parameter is told by its number, as its origin was made (parameters.py), not by the
    # text of a label another origin may spell the same way.
    if origin.kind != "param" or origin.key is not None or origin.param != _number(function, root.id) \
            or not any(o.kind == "param" for o in (*key.deep_taint(), *value.deep_taint())):
        return  # not the parameter itself (`registry = self._registries.setdefault(name, {})`)
    if any(p.arg == root.id for p in packed(function.node.args)) or _copied(function, root.id, target.lineno):
        return  # `**options`, `store = dict(store)`: a dict made here, no caller's mapping
    ev.held.append(HeldCall(origin.param, ".".join([*reversed(attributes), STORE]), (key, value), (),
                            ev.step(target, f"stored in `{ast.unparse(target.value)}`")))


def _copied(function, name: str, line: int) -> bool:
    """Whether a statement of the function's own body (not a branch: a copy made on one path
    leaves the caller's mapping on the other) rebinds `name` before `line` to a new mapping made
    of it (`store = dict(store)`, `store.copy()`, `copy.copy(store)`, `{**store}`, a dict
    display): not the caller's. Any other call may hand the same mapping back."""
    for node in function.node.body:
        if node.lineno >= line:
            break
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and _new_mapping(node.value, name) \
                and any(type(t) is ast.Name and t.id == name
                        for t in (node.targets if isinstance(node, ast.Assign) else (node.target,))):
            return True
    return False


def _new_mapping(value, name: str) -> bool:
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return True
    if type(value) is not ast.Call or len(value.args) + len(value.keywords) > 1:
        return False
    func = value.func
    if type(func) is ast.Attribute and func.attr == "copy" and not value.args:
        return type(func.value) is ast.Name and func.value.id == name  # `store.copy()`
    called = ast.unparse(func)
    return called in ("dict", "copy.copy", "copy.deepcopy") and bool(value.args) \
        and type(value.args[0]) is ast.Name and value.args[0].id == name


def _number(function, name: str) -> int:
    """The number summaries give the parameter `name` of `function` (none: -1, no origin's)."""
    for index, param in enumerate(every(function.node.args)):
        if param.arg == name:
            return index - function.implicit_params if index >= function.implicit_params else -1
    return -1


def with_called_results(ev: Evaluator, node: ast.Call, summary: Summary, bound: dict[int, Value],
                        call_step) -> dict:
    """`bound` (the arguments of `node` by parameter) with, under each `CalledResult` key of a
    parameter the callee calls, what the function `node` writes there returned when run on what
    `node` handed (its sinks reported at `node`)."""
    results: dict[CalledResult, Value] = {}
    for call in summary.held:
        if call.method or call.param not in bound:
            continue
        result = _run_handed(ev, node, summary.params, call, bound, call_step)
        key = CalledResult(call.step.line)
        results[key] = join(results[key], result) if key in results else result
    return {**bound, **results} if results else bound


def holds_instance(values: list[Value]) -> bool:
    """`any(instance(v) is not None for v in values)`, in a loop: no generator's frame a call."""
    for value in values:
        if instance(value) is not None:
            return True
    return False


def instance(value: Value | None, params: bool = False) -> str | None:
    """The class `value` is an instance of, known where it was built (`UserRepository(conn)`)
    or declared (declared_classes.py); None for anything else. `params`: also what a parameter
    declared so holds (`svc: UserService`), its data the caller's."""
    kind = value.kind if value is not None and (not value.taint or params and params_only(value.taint)) \
        else None
    return kind[:-2] if kind is not None and kind.endswith("()") else None


def factory_made(ev: Evaluator, receiver: Value, node: ast.expr | None = None) -> Value:
    """`receiver` as the workspace function that made it returns it (`get_service()`, whose
    value is of kind `services.get_service()`: a call with no untrusted argument asks no
    summary, workspace.py), or, read as `node` from another module (`services.user_service`,
    `from .services import user_service`), as the reader of that module's instance built with
    arguments returns it (top_level_sources.built_readers), with the instances its fields hold:
    asked only where a method is called on it with untrusted data, or it is handed to a
    function that does."""
    external = ev.module.external
    if external is None or receiver.items or receiver.taint:
        return receiver
    made = receiver.kind[:-2] if receiver.kind is not None and receiver.kind.endswith("()") else None
    factory = external(made, True) if made is not None and "." in made else None
    if (factory is None or not factory.returns.items) and node is not None \
            and (type(node) is ast.Attribute and type(node.value) is ast.Name
                 and (node.value.id in ev.aliases or node.value.id in ev.module.env.imports)
                 or type(node) is ast.Name and node.id in ev.aliases) \
            and (name := ev.qualname(node)) is not None:
        from bastion.analyzers.taint.top_level_sources import AS_READ

        factory = external(name + AS_READ, True)
    if factory is None or not factory.returns.items or factory.returns.kind is None:
        return receiver
    from bastion.analyzers.taint.summaries import shaped

    return shaped(factory.returns, {}, None) if instance(factory.returns) is not None else receiver


def apply_held(ev: Evaluator, node: ast.Call, summary: Summary, bound: dict[int, Value],
               call_step, via: tuple = (), depth: int = 0) -> None:
    """The held calls of `summary`, applied at `node` (the caller's call of the function) with
    its parameters `bound`: each whose holder is an instance of a known class runs that class's
    method, its sinks reached by the caller's data reported at `node`."""
    from bastion.analyzers.taint.summaries import instantiated, passed

    for call in summary.held:
        if not call.method:
            continue  # run by with_called_results
        holder = bound.get(call.param)
        if not via and instance(holder) is None \
                and _stored(ev, node, summary.params, call, bound, call_step):
            continue
        if call.method.endswith(STORE):
            continue
        if holder is not None and not holder.items and instance(holder) is not None:
            holder = factory_made(ev, holder)
        cls = instance(holder)
        method = _method(ev, cls, call.method) if cls is not None else None
        if method is None:
            continue
        inner = {index: instantiated(_params_only(value), bound, call_step)
                 for index, value in enumerate(call.args)}
        inner.update((method.params.index(name), instantiated(_params_only(value), bound, call_step))
                     for name, value in call.keywords if name in method.params)
        if method.with_fields is not None and holder.items:
            fields = {len(method.params) + index: holder.items[field]
                      for index, field in enumerate(method.with_fields.field_params)
                      if field in holder.items}
            if any(v.tainted or instance(v) is not None for v in fields.values()):
                method = method.with_fields
                inner.update(fields)
        steps = (*via, call.step)
        for hit in method.sinks:
            for origin in ordered(hit.value.taint):
                argument = passed(inner, origin)
                if argument is None or not argument.taint or hit.sink_class in argument.clean:
                    continue
                inside = (*steps, *_inner_steps(hit))
                if any(h.node is node and h.sink_class == hit.sink_class and h.via[-1:] == inside[-1:]
                       for h in ev.hits):
                    continue  # found by the summary itself (a declared class): once
                value = argument.evolve(modelled=argument.modelled and hit.value.modelled)
                ev.hits.append(Hit(hit.sink_class, hit.sink, node, ev.statement, value, via=inside))
        if method.held and depth < _DEPTH:
            apply_held(ev, node, method, inner, None, steps, depth + 1)


def _run_handed(ev: Evaluator, node: ast.Call, params: tuple[str, ...], call: HeldCall,
                bound: dict[int, Value], call_step) -> Value:
    """`apply(read_upload, name)`, `apply` calling the function it is handed on its other
    parameter: the function `node` writes there run on what the caller passed, as a callback
    model's handed function is (callbacks.py: of this module or another workspace module by
    name, a lambda or a partial in place). Its arguments are placeholders at `node`: the
    caller's expressions are not its arguments, and a function handed on again stops there. What
it returns; for a function not known (`handlers[kind]`), what it was handed, by no model."""
    from bastion.analyzers.taint.callbacks import handed_data, run_handed
    from bastion.analyzers.taint.summaries import instantiated

    args = [instantiated(_params_only(value), bound, call_step) for value in call.args]
    keywords = {name: instantiated(_params_only(value), bound, call_step) for name, value in call.keywords
                if name not in SPREAD}
    for name, value in call.keywords:
        if name in SPREAD:
            items = _spread(value, bound, call_step)
            if items is None:
                return handed_data([*args, *keywords.values(), instantiated(_params_only(value), bound,
                                                                             call_step)])
            if name == SPREAD[0]:
                args += [items[index] for index in range(len(items))]
            else:
                keywords.update(items)
    function = written_for(node, params, call.param)
    if not isinstance(function, (ast.Name, ast.Attribute, ast.Lambda, ast.Call)):
        return handed_data([*args, *keywords.values()])
    placeholder = ast.copy_location(ast.Constant(None), node)
    handed = ast.copy_location(ast.Call(function, [placeholder] * len(args),
                                        [ast.keyword(name, placeholder) for name in keywords]), node)
    return run_handed(ev, function, handed, args, keywords)


def _spread(value: Value, bound: dict[int, Value], call_step) -> dict | None:
    """What the caller passed for the `*args` (by position) or `**kwargs` (by name) that
    `value` holds whole: None when not known slot by slot (the caller spread a list there)."""
    origin = next(iter(value.taint)) if len(value.taint) == 1 else None
    if origin is None or origin.kind != "param" or origin.key is not None:
        return None
    passed = bound.get(origin.param)
    if passed is None:
        return {}  # nothing passed there
    items = passed.items or {}
    if passed.taint or set(items) != set(range(len(items))) and not all(isinstance(k, str) for k in items):
        return None
    return {key: item.with_step(call_step) if call_step is not None and item.taint else item
            for key, item in items.items()}


def _stored(ev: Evaluator, node: ast.Call, params: tuple[str, ...], call: HeldCall,
            bound: dict[int, Value], call_step) -> bool:
    """`remember(session, name)`, `remember` storing `name` into the mapping it is handed, or
    calling its `update` / `setdefault`: whether `node` writes a store sink's mapping there
    (`flask.session`, Django's `request.session`), then the store, or the call, made in it at
    `node` with what the caller passed (its sinks reached at `node`)."""
    written = written_for(node, params, call.param)
    if written is None:
        return False
    *attributes, method = call.method.split(".")
    for attribute in attributes:
        written = ast.copy_location(ast.Attribute(written, attribute, ast.Load()), written)
    name = ev.qualname(written)
    sinks = ev.models.subscript_sinks.by_name(name) if name is not None else None
    if not sinks:
        return False
    from bastion.analyzers.taint.stores import store_hits
    from bastion.analyzers.taint.summaries import instantiated

    args = [instantiated(_params_only(value), bound, call_step) for value in call.args]
    if method == STORE:
        store_hits(ev, sinks, node, f"{ast.unparse(written)}[...]", *args)
        return True
    keywords = {key: instantiated(_params_only(value), bound, call_step) for key, value in call.keywords}
    placeholder = ast.copy_location(ast.Constant(None), node)
    made = ast.copy_location(ast.Call(ast.copy_location(ast.Attribute(written, method, ast.Load()), node),
                                      [placeholder] * len(args),
                                      [ast.keyword(key, placeholder) for key in keywords]), node)
    ev.call(made, args, keywords)
    return True


def _params_only(value: Value) -> Value:
    """An argument's data from the function's parameters: its own sources reported in it."""
    flat = value.flat()
    return flat.evolve(taint=frozenset(o for o in flat.taint if o.kind == "param"), steps=())


def _inner_steps(hit: Hit) -> tuple:
    from bastion.analyzers.taint.summaries import inner_steps

    return inner_steps(hit)


def _method(ev: Evaluator, cls: str, name: str) -> Summary | None:
    """The method `name` of the class `cls`: of this module, or of another workspace module."""
    from bastion.analyzers.taint.summaries import inherited_from_workspace

    own = ev.module.inherited(cls, name)
    if own is not None:
        return ev.summaries.get(own)
    external = ev.module.external
    if external is None:
        return None
    return external(f"{cls}.{name}", True) or inherited_from_workspace(ev, cls, name, [])
