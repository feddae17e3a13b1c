"""Calls that call a function they are handed, on arguments they are handed (the `[[callback]]`
models): `threading.Thread(target=run, args=(cmd,))`, `executor.submit(run, cmd)`,
`executor.map(run, cmds)`, `background_tasks.add_task(run, cmd=cmd)`, a Celery task's
`ping.delay(host)` (the function the receiver; a task bound by `bind=True`, its first parameter
`self`, is handed the task first). The function is called
there, in the abstract domain, on the values the call hands it: a same-file function's summary
reports its sinks at this call, the path going through it (as a direct call would); a nested
function, a lambda or a partial runs in place; a modelled sink (`target=os.system`) is checked
as if called. What the function returns is not the call's result (a thread, a future): it is
dropped.

A model matched by method name alone (`submit`, `map`, `add_task`) is not applied where the
receiver is known to be no executor, pool or task list (`_no_executor`).

A method of a base class that runs a method the subclass overrides (`threading.Thread.start`
runs `run`): on an instance of a subclass of this module or of another workspace module
(`Worker(cmd).start()`), the subclass's method runs with the fields its `__init__` stored, as
`Worker(cmd).run()` would.

Arguments handed as a name whose elements are known (`a = (cmd,)` then `args=a` or
`submit(run, *a)`; `kw = {"cmd": cmd}` then `kwargs=kw` or `submit(run, **kw)`) bind element by
element, as a display would. A call whose function or arguments are not where the model says (a
`*args` before them, an `args` whose elements are not known) hands on what it can: a packed
`args` value binds every parameter to any of its elements, a `kwargs` one every parameter.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.closures import LocalFunction, call_local
from bastion.analyzers.taint.domain import ANY, SAFE, UNKNOWN, Value, join_all
from bastion.analyzers.taint.escapes import CONTAINER_TYPES
from bastion.analyzers.taint.keyword_splats import named_items
from bastion.analyzers.taint.signatures import packed, positional
from bastion.analyzers.taint.specs import CallbackModel, Models
from bastion.analyzers.taint.summaries import apply_summary
from bastion.analyzers.taint.wrappers import as_function

_CONTAINER_KINDS = frozenset(f"{name}()" for name in CONTAINER_TYPES)

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

Place = tuple[int | None, str | None]


def call_back(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
              keywords: dict[str | None, Value], receiver: Value | None, on_module: bool) -> None:
    """Runs the function a callback model's call is handed, its hits recorded in `ev`."""
    index = ev.models.callbacks
    found = index.by_name(name)
    if isinstance(node.func, ast.Attribute):
        # a from-imported name may be a module for all the names know: a task's own method
        # (`ping.delay`) is asked of it too, the receiver called as the function it may be
        if node.func.attr in index.methods:
            found = [*found, *(m for m in index.methods[node.func.attr] if m not in found
                               and (m.on_receiver or not on_module)
                               and not _no_executor(ev, m, node.func.attr, receiver))]
        if receiver is not None and not on_module:
            run_overridden(ev, node, node.func.attr, receiver)
    for model in found:
        if model.function is None:
            continue
        handed = _handed(ev, model, node, args, keywords)
        if handed is not None:
            run_handed(ev, *handed)


def _no_executor(ev: Evaluator, model: CallbackModel, method: str, receiver: Value | None) -> bool:
    """Whether the receiver of a callback model's method (`submit`, `map`) is known to be no
    executor, pool or task list: a constant, a container, or an instance of a class of this
    module, with no base of another module, whose method never reads the function it is
    handed (a form's `submit`, a registry's `map`)."""
    if receiver is None:
        return False
    if receiver.const is not UNKNOWN or receiver.items is not None and receiver.kind is None \
            or receiver.kind in _CONTAINER_KINDS:
        return True
    kind = receiver.kind[:-2] if receiver.kind and receiver.kind.endswith("()") else None
    local = ev.module.class_bases
    if kind not in local or not all(b is None or b in local or b == "object" for b in local[kind]):
        return False
    found = ev.module.inherited(kind, method)
    function = ev.module.function_named(found) if found is not None else None
    if function is None or model.function is None:
        return False
    position, keyword = model.function
    arguments = function.node.args
    params = [a.arg for a in positional(arguments)][function.implicit_params:]
    name = params[position] if position is not None and position < len(params) else keyword
    if name is None or packed(arguments):
        return False
    return not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(function.node)
                   if not isinstance(n, ast.arg))


def handed_functions(models: Models, node: ast.Call, name: str | None) -> list[ast.expr]:
    """The functions the call's callback models say it is handed (`pool.submit(helpers.run, c)`
    hands `helpers.run`): those whose summaries the editor's workspace store computes ahead, as
    for the functions a file calls (workspace.py `prepare`)."""
    index = models.callbacks
    found = list(index.by_name(name))
    if isinstance(node.func, ast.Attribute):
        found.extend(index.methods.get(node.func.attr, ()))
    handed = (_function(node, m) for m in found if m.function is not None)
    return [f for f in handed if isinstance(f, (ast.Name, ast.Attribute))]


def run_overridden(ev: Evaluator, node: ast.Call, method: str, receiver: Value) -> None:
    """`Worker(cmd).start()`, `Worker` a subclass, of this module or of another workspace
    module, of a class whose `start` runs the instance's `run`: `Worker.run`'s summary applied
    to the instance."""
    kind = receiver.kind
    if kind is None or not kind.endswith("()") or receiver.taint:
        return
    cls = kind[:-2]
    local = cls in ev.module.class_bases
    external, bases_of = ev.module.external, ev.module.external_bases
    if local:
        bases = ev.module.class_bases[cls]
        if ev.module.inherited(cls, method) is not None:
            return  # the class's own `start`: its summary says what it does
    elif external is not None and bases_of is not None and external(f"{cls}.{method}", True) is None:
        bases = bases_of(cls)
    else:
        return
    for base in bases:
        for model in ev.models.callbacks.by_name(f"{base}.{method}") if base else ():
            if model.overridden is None:
                continue
            run = ev.module.inherited(cls, model.overridden) if local else None
            summary = ev.summaries.get(run) if run is not None \
                else external(f"{cls}.{model.overridden}", True) if not local else None
            if summary is not None:
                apply_summary(ev, node, summary, [], {}, receiver)
                return


def _handed(ev: Evaluator, model: CallbackModel, node: ast.Call, args: list[Value],
            keywords: dict[str | None, Value]) -> tuple | None:
    """(the function's expression, the call of it, its argument values, its keyword values)."""
    starred = next((i for i, a in enumerate(node.args) if isinstance(a, ast.Starred)), None)
    if starred is not None and (model.rest is None or starred < model.rest):
        return None  # which argument is where is not known
    function = _function(node, model)
    if not isinstance(function, (ast.Name, ast.Attribute, ast.Lambda, ast.Call)):
        return None  # none given, or no function (`router.map("/", "index")`)
    nodes: list[ast.expr] = []
    values: list[Value] = []
    if model.rest is not None:
        nodes, values = _spread(ev, node.args[model.rest:], args[model.rest:])
        if model.mapped:  # `executor.map(run, cmds)`: each call gets one element of each
            values = [v.item(ANY) for v in values]
    packed = _at(node, model.args) if model.args is not None else None
    if packed is not None:
        held = _value(node, packed, args, keywords)
        slots = _positional(held)
        if isinstance(packed, (ast.Tuple, ast.List)) and len(packed.elts) <= 16:
            nodes, values = packed.elts, [held.item(i) for i in range(len(packed.elts))]
        elif slots is not None:  # `a = (cmd,)` then `args=a`
            nodes, values = [_element(packed, i) for i in range(len(slots))], slots
        else:  # a tuple made elsewhere: any parameter may be any element
            nodes = [ast.copy_location(ast.Starred(packed, ast.Load()), packed)]
            values = [held.item(ANY)]
    named: set[str] = {p[1] for p in (model.function, model.args, model.kwargs)
                       if p is not None and p[1] is not None}
    keyword_nodes: list[ast.keyword] = []
    keyword_values: dict[str | None, Value] = {}
    given = [k for k in node.keywords if model.keywords and k.arg not in named]
    mapping = _at(node, model.kwargs) if model.kwargs is not None else None
    if mapping is not None:
        given.append(ast.keyword(None, mapping))
    for keyword in given:
        if keyword.arg is None and keyword.value is not mapping and None not in keywords:
            # `**kw` of known keys, handed spread (keyword_splats.py): its items are keywords
            written = {k.arg for k in node.keywords}
            for key, held in keywords.items():
                if key not in written and key not in keyword_values:
                    keyword_nodes.append(ast.keyword(key, _element(keyword.value, key)))
                    keyword_values[key] = held
            continue
        held = keywords[keyword.arg] if keyword.value is not mapping \
            else _value(node, mapping, args, keywords)
        if keyword.arg is not None:
            keyword_nodes.append(keyword)
            keyword_values[keyword.arg] = held
        elif isinstance(keyword.value, ast.Dict) and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keyword.value.keys):
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                keyword_nodes.append(ast.keyword(key.value, value))
                keyword_values[key.value] = held.item(key.value)
        elif (fields := named_items(held)) is not None:  # `kw = {"cmd": cmd}` then `kwargs=kw`
            for key, value in fields.items():
                keyword_nodes.append(ast.keyword(key, _element(keyword.value, key)))
                keyword_values[key] = value
        else:  # `kwargs=options`: its keys are not known
            keyword_nodes.append(ast.keyword(None, keyword.value))
            keyword_values[None] = held
    if model.on_receiver and _bound_task(ev, function, [*values, *keyword_values.values()]):
        # the task itself comes first: a constant stands for it
        nodes, values = [ast.copy_location(ast.Constant(None), node), *nodes], [SAFE, *values]
    call = ast.copy_location(ast.Call(function, list(nodes), keyword_nodes), node)
    return function, call, list(values), keyword_values


def _bound_task(ev: Evaluator, function: ast.expr, inputs: list[Value]) -> bool:
    """Whether the task a receiver's model runs takes the task itself first, Celery's
    `@app.task(bind=True) def fetch(self, url)`: a module-level function whose first parameter
    is `self`, of this module or, by its summary, of another workspace module."""
    local = ev.module.function_named(function.id) if isinstance(function, ast.Name) else None
    if local is not None:
        params = positional(local.node.args)
        return local.class_name is None and bool(params) and params[0].arg == "self"
    external = ev.module.external
    name = ev.qualname(function) if external is not None else None
    summary = external(name, any(v.tainted for v in inputs)) if name is not None else None
    return summary is not None and summary.params[:1] == ("self",)


def _spread(ev: Evaluator, nodes: list[ast.expr], values: list[Value]
            ) -> tuple[list[ast.expr], list[Value]]:
    """The arguments with each `*a` whose elements are known (`a = (cmd,)`) spread out; one
    whose elements are not stays, to bind every parameter after it."""
    out_nodes: list[ast.expr] = []
    out_values: list[Value] = []
    for arg, value in zip(nodes, values, strict=True):
        slots = _positional(ev.eval(arg.value)) if isinstance(arg, ast.Starred) else None
        if slots is None:
            out_nodes.append(arg)
            out_values.append(value)
        else:
            out_nodes.extend(_element(arg.value, i) for i in range(len(slots)))
            out_values.extend(slots)
    return out_nodes, out_values


def _positional(value: Value) -> list[Value] | None:
    """The elements of a tuple or list whose every slot is known, in order."""
    items = value.items
    if not items or len(items) > 16 or set(items) != set(range(len(items))):
        return None
    return [items[i] for i in range(len(items))]


def _element(container: ast.expr, key: int | str) -> ast.expr:
    """`a[0]`, `kw["cmd"]`: the place of an element handed on, for the call's path."""
    return ast.copy_location(ast.Subscript(container, ast.Constant(key), ast.Load()), container)


def _function(node: ast.Call, model: CallbackModel) -> ast.expr | None:
    """The function the call hands: at the model's place, or the receiver of its method."""
    if model.on_receiver:
        return node.func.value if isinstance(node.func, ast.Attribute) else None
    return _at(node, model.function)


def _at(node: ast.Call, place: Place) -> ast.expr | None:
    position, keyword = place
    if keyword is not None:
        for given in node.keywords:
            if given.arg == keyword:
                return given.value
    return node.args[position] if position is not None and position < len(node.args) else None


def _value(node: ast.Call, expr: ast.expr, args: list[Value],
           keywords: dict[str | None, Value]) -> Value:
    for index, arg in enumerate(node.args):
        if arg is expr:
            return args[index]
    return next(keywords[k.arg] for k in node.keywords if k.value is expr)


def run_handed(ev: Evaluator, function: ast.expr, call: ast.Call, args: list[Value],
               keywords: dict[str | None, Value]) -> Value:
    """`function` called as `call` on `args` and `keywords` (also held_calls.py's handed
    functions): what it returns (a lambda or partial not run: what it was handed, by no model)."""
    if isinstance(function, (ast.Lambda, ast.Call)):  # `target=lambda: ...`, a partial
        definition = as_function("<lambda>" if isinstance(function, ast.Lambda)
                                 else ast.unparse(function.func), function, ev.names)
        result = call_local(ev, LocalFunction.of(definition), call, args, keywords) \
            if definition is not None else None
        return result if result is not None else handed_data([*args, *keywords.values()])
    return ev.call(call, args, keywords)


def handed_data(values: list[Value]) -> Value:
    """What a function not run returns of what it was handed: all of it, by no model."""
    handed = join_all(values)
    return handed.evolve(modelled=False) if handed.taint else handed
