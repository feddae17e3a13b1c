"""Which summary a call uses and what applying it does: same-file functions and methods (on
`self`, `super()`, a base called by name, an instance of a class of this file or inherited from
another workspace module's class), other workspace modules' functions (workspace.py); the
objects built with untrusted constructor arguments and the fields their methods store are
instances.py's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.class_calls import foreign_base_method, on_module_class
from bastion.analyzers.taint.command_vectors import vector_parts
from bastion.analyzers.taint.decorators import drops_arguments
from bastion.analyzers.taint.domain import EVERY_CLASS, UNKNOWN, UNREACHED, Value, all_known, join, ordered
from bastion.analyzers.taint.handed_requests import MethodResult, hands_request, with_request_sources
from bastion.analyzers.taint.held_calls import CalledResult, apply_held, instance, with_called_results
from bastion.analyzers.taint.rebound import bound_at
from bastion.analyzers.taint.upstream import upstream_line
from bastion.analyzers.taint.verdicts import see_reported_inside
from bastion.analyzers.taint.wrappers import MODULE_BODY

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.results import Summary


def class_method(ev: Evaluator, func: ast.Attribute, receiver: Value) -> tuple[bool, bool]:
    """Whether the method called is a method of a class of this module (`self.find(...)`,
    `Repo().find(...)`) or a function of another workspace module (`Repository.count(...)`,
    `repo.count(...)`): its summary says what it does, not a model of a same-named method of
    str or of a connection (`str.count`, `cursor.execute`). Second, whether it is a static or
    class method called on its class of this module (class_calls.on_module_class), for `summary_for`
    (nothing between the two asks binds a name: the same answer; False on `self` / `cls`,
    which summary_for resolves first)."""
    owner = func.value  # read once: an AST node's attribute is a generic (dict) read
    if type(owner) is ast.Name and owner.id in ("self", "cls") \
            and ev.class_name is not None:
        return ev.module.inherited(ev.class_name, func.attr) is not None, False
    if on_module_class(ev, func):
        return True, True
    instance = receiver.kind is not None and receiver.kind.endswith("()")
    return (instance and ev.module.inherited(receiver.kind[:-2], func.attr) is not None) or (
        ev.module.external is not None  # a scan of one file: not asked (~135 calls a long view)
        and _workspace_function(ev, func, receiver.kind[:-2] if instance else None)), False


def property_read(ev: Evaluator, node: ast.Attribute, receiver: Value) -> ast.Call | None:
    """`event.user` where `user` is a `@property` of a class of this module (on `self` in its
    methods, or on an instance of it): the call `event.user()` its getter runs as, placed at
    the read, so that its summary says what the read gives; None for any other attribute."""
    if isinstance(node.value, ast.Name) and node.value.id == "self" and ev.class_name is not None:
        owner: str | None = ev.class_name
    else:
        kind = receiver.kind
        owner = kind[:-2] if kind is not None and kind.endswith("()") and not receiver.taint else None
    name = ev.module.inherited(owner, node.attr) if owner is not None else None
    function = ev.module.function_named(name) if name is not None else None
    if function is None:
        if owner is None or name is not None or not _foreign_getter(ev, owner, node.attr, receiver):
            return None
    elif not is_property(function):
        return None
    return ast.copy_location(ast.Call(node, [], []), node)


def _foreign_getter(ev: Evaluator, owner: str, attribute: str, receiver: Value) -> bool:
    """Whether `owner.attribute` is a `@property` of a class of another workspace module
    (`models.Upload().path`), by its summary there; asked only of an instance of a class this
    module does not define."""
    external = ev.module.external
    if external is None or owner in ev.module.class_bases:
        return False
    tainted = bool(receiver.items) and any(v.tainted for v in receiver.items.values())
    found = external(f"{owner}.{attribute}", tainted)
    return found is not None and found.getter


def is_property(function: Function) -> bool:
    """Whether `function` is a `@property`'s getter (its setter and deleter are not: rebound.py)."""
    return any(d.__class__ is ast.Name and d.id == "property" for d in function.node.decorator_list)


def property_getters(functions: list[Function]) -> dict[str, set[str]]:
    """Class -> the `Class.name` of its `@property` getters: a read of one runs it
    (`property_read`), so the call graph counts it among the reader's callees. Asked at each
    keystroke of a function building a class of the module: a loop without calls."""
    found: dict[str, set[str]] = {}
    for f in functions:
        for d in f.node.decorator_list:
            if d.__class__ is ast.Name and d.id == "property" and f.class_name is not None:
                found.setdefault(f.class_name, set()).add(f.name)
    return found


def _workspace_function(ev: Evaluator, func: ast.Attribute, instance_of: str | None) -> bool:
    external = ev.module.external
    if external is None:
        return False
    if instance_of is not None:
        return external(f"{instance_of}.{func.attr}", True) is not None
    root = func.value
    while isinstance(root, ast.Attribute):
        root = root.value
    name = ev.qualname(func) if isinstance(root, ast.Name) and root.id not in ev.env else None
    return name is not None and external(name, True) is not None


def summary_for(ev: Evaluator, node: ast.Call, inputs: list[Value],
                 receiver: Value | None, static: bool) -> Summary | None:
    """`static`: `class_method`'s second answer for the call."""
    func = node.func
    held = None
    if type(func) is ast.Name:
        if func.id in ev.env:
            return None  # a local's call (a helper run in place, or any callable): no summary
        if func.id in ev.summaries:
            if ev.reading_top or ev.function is not None and ev.function.name == MODULE_BODY:
                # top-level code, or a global's top-level binding a function reads: the
                # definition bound at its line
                return ev.summaries.get(bound_at(ev.module.by_name(), func.id, node.lineno))
            function = ev.module.function_named(func.id)
            if function is not None and function.node.decorator_list and drops_arguments(ev.module, function):
                return None  # its decorator calls it on none of the caller's arguments
            return ev.summaries[func.id]
    elif type(func) is ast.Attribute:
        owner = func.value
        if type(owner) is ast.Name and owner.id in ("self", "cls") and ev.class_name is not None:
            return next((found for cls in ev.module.lineage(ev.class_name)
                         if (found := ev.summaries.get(f"{cls}.{func.attr}")) is not None), None) \
                or inherited_from_workspace(ev, ev.class_name, func.attr, inputs)
        if static:
            # `Student.get(conn, sid)`: a staticmethod or classmethod of a class of this module
            return ev.summaries.get(ev.module.inherited(owner.id, func.attr))
        if _is_super(owner) and ev.class_name is not None:
            # `super().__init__(url)`: the method of the nearest base of this file defining it,
            # else of a base of another workspace module (`class Backup(Command)`)
            for cls in ev.module.lineage(ev.class_name)[1:]:
                name = ev.module.inherited(cls, func.attr)
                if name is not None:
                    return ev.summaries.get(name)
            return foreign_base_method(ev, ev.class_name, func.attr, inputs)
        held = instance(receiver, params=True)
        if held is not None:
            # `Repo(root).read(name)`: a method of a class of this module (or of its base of
            # this file), on an instance of it (also a parameter declared so: declared_classes.py)
            name = ev.module.inherited(held, func.attr)
            method = ev.summaries.get(name) if name is not None else None
            if method is not None:
                return method
    external = ev.module.external
    if external is not None:
        # A function of another workspace module, a method of its module-level instance
        # (`db.query`), or of an instance of its class (`Repo(root).read`) (workspace.py).
        tainted = any(v.tainted for v in inputs) or hands_request(ev, node)
        name = ev.qualname(func)
        found = external(name, tainted) if name is not None else None
        if found is None and held is not None:
            found = external(f"{held}.{func.attr}", tainted) \
                or inherited_from_workspace(ev, held, func.attr, inputs)
        return found
    return None


def inherited_from_workspace(ev: Evaluator, class_name: str, method: str,
                              inputs: list[Value]) -> Summary | None:
    """The method a class of this module inherits from a class of another workspace module
    (`class Remote(Runner)`, `Runner` in runner.py), when no class of this file defines it."""
    external = ev.module.external
    if external is None or class_name not in ev.module.class_bases \
            or ev.module.inherited(class_name, method) is not None:
        return None
    tainted = any(v.tainted for v in inputs)
    return next((found for base in ev.module.class_bases[class_name] if base is not None
                 and (found := external(f"{base}.{method}", tainted)) is not None), None)


def on_self(func: ast.expr) -> bool:
    """`self.setup(...)`, `super().__init__(...)`, `Base.__init__(self, ...)`: calls that may
    store their arguments in the instance's fields."""
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    return func.attr == "__init__" or (isinstance(owner, ast.Name) and owner.id == "self") \
        or _is_super(owner)


def _is_super(node: ast.expr) -> bool:
    return type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "super"


def apply_summary(ev: Evaluator, node: ast.Call, summary: Summary, args: list[Value],
                  keywords: dict[str | None, Value], receiver: Value | None = None) -> Value:
    """The callee's effect at this call: its parameters replaced by the arguments, the fields
    of `self` it reads (`field_params`) by the receiver's."""
    from bastion.analyzers.taint.results import Hit

    bound = with_request_sources(ev, node, summary, bind_arguments(
        summary.params, node, _with_attributes(ev, node.args, args),
        _with_attributes(ev, node.keywords, keywords)))
    if summary.with_fields is not None:
        fields = _field_values(ev, node, summary.with_fields, receiver)
        if any(v.tainted or summary.with_fields.held and instance(v) is not None
               for v in fields.values()):
            summary = summary.with_fields
            bound.update(fields)
    callee = ast.unparse(node.func)
    call_step = ev.step(node, f"passed to `{callee}`")
    if summary.held:
        bound = with_called_results(ev, node, summary, bound, call_step)
    for hit in summary.sinks:
        for origin in ordered(hit.value.taint):
            judged = vector_parts(node, summary.params, bound, origin, ev.models.valued_options) \
                if hit.vector else None
            for sink_class, argument in judged or ((hit.sink_class, passed(bound, origin)),):
                if argument is None or not argument.taint or sink_class in argument.clean:
                    continue
                upstream = upstream_line(argument, sink_class)
                if upstream is not None:
                    see_reported_inside(ev, hit.path()[-1], sink_class, upstream)
                    continue
                value = argument.with_step(call_step)
                value = value.evolve(modelled=value.modelled and hit.value.modelled)
                # a vector not judged here (a parameter handed on) is its own callers' to judge
                ev.hits.append(Hit(sink_class, hit.sink, node, ev.statement, value,
                                   via=inner_steps(hit), vector=hit.vector and judged is None
                                   and origin.key is None))
    if summary.held:
        apply_held(ev, node, summary, bound, call_step)
    if summary.returns is UNREACHED:  # a recursive cycle's first round (recursion.py)
        return UNREACHED
    return shaped(summary.returns, bound, call_step)


def attributes(env: dict[str, Value] | None, name: str) -> dict[str, Value]:
    """The attributes set on the local object `name` (`job.cmd = ...`, kept in the environment
    by path), by attribute."""
    prefix = name + "."
    return {path[len(prefix):]: value for path, value in (env or {}).items()
            if path.startswith(prefix) and "." not in path[len(prefix):]}


def _with_attributes(ev: Evaluator, nodes: list, values):
    """`values` (the arguments of `nodes`, a list or by keyword) with the attributes the caller
    set on a local object (`job.cmd = ...`, kept in the environment by path) as its slots: the
    callee's `job.cmd` binds that one (`passed`), and `job.name` not."""
    out = None
    for index, node in enumerate(nodes):
        name = node.value if isinstance(node, ast.keyword) else node
        if not isinstance(name, ast.Name):
            continue
        slots = attributes(ev.env, name.id)
        if not slots:
            continue
        if out is None:
            out = dict(values) if isinstance(values, dict) else list(values)
        key = node.arg if isinstance(node, ast.keyword) else index
        if key is None or (isinstance(out, list) and index >= len(out)):
            continue
        argument = out[key]
        out[key] = argument.evolve(items={**(argument.items or {}), **slots})
    return values if out is None else out


def shaped(returns: Value, bound: dict[int, Value], call_step, depth: int = 0) -> Value:
    """The callee's return value at the call, its slots kept apart (to a depth of 3): the
    fields of an instance a factory built, the keys of a dict it made; flattened, the request
    data its `note` held would be in its `cmd` too."""
    if not returns.items or depth >= 3:
        return instantiated(returns.flat(), bound, call_step)
    out = instantiated(returns.evolve(items=None), bound, call_step)
    return out.evolve(items={key: shaped(value, bound, call_step, depth + 1)
                             for key, value in returns.items.items()})


def instantiated(returns: Value, bound: dict[int, Value], call_step) -> Value:
    """A value of the callee (its return value, a field its `__init__` stored) with its
    parameters' part replaced by the arguments bound to them. A path (`ROOT / name`) stays one,
    a command's output (`check_output(...).decode()`) the command's, no text of the argument's;
    other kinds are the argument's (a page rendered from a template it passed holds its text)."""
    real = frozenset(o for o in returns.taint if o.kind != "param")
    known = returns.known
    for origin in returns.taint:  # a parameter's part is as known as the argument passed
        if origin.kind == "param":
            argument = passed(bound, origin)
            known = known and argument is not None and argument.known
    out = Value(real, returns.clean if real else EVERY_CLASS, returns.const if not returns.taint
                else UNKNOWN, None, returns.kind, returns.prefix, returns.steps if real else (),
                returns.modelled, known)
    for origin in ordered(returns.taint):
        argument = passed(bound, origin) if origin.kind == "param" else None
        if argument is not None and argument.taint:
            # a host the callee fixed (`return API + "/" + path`, a `startswith(API)` check)
            # stays fixed: untrusted data no longer starts what it returns
            argument = argument.evolve(clean=argument.clean | returns.clean,
                                       prefix=argument.prefix and returns.prefix,
                                       modelled=argument.modelled and returns.modelled)
            out = join(out, argument.with_step(call_step))
    kept = (returns.kind or "").startswith(("pathlib.", "subprocess."))
    return out.evolve(kind=returns.kind) if kept else out


def passed(bound: dict[int, Value], origin) -> Value | None:
    """What the caller passed for a parameter's origin, as one value: the argument, or its
    element the callee read (`origin.key`); None for another origin or a parameter not passed."""
    argument = bound.get(origin.param) if origin.kind == "param" else None
    if argument is None:
        return None
    if origin.key is None:
        return argument.flat()
    if isinstance(origin.key, CalledResult):  # `fn(value)`: what the function handed returned
        found = bound.get(origin.key)  # type: ignore[call-overload]
        return found.flat() if found is not None else argument.flat().evolve(modelled=False)
    if isinstance(origin.key, MethodResult):  # `req.read()`: a request's source, or the data
        return (argument.items or {}).get(origin.key, argument).flat()
    if isinstance(origin.key, str) and origin.key.endswith("()") \
            and not (argument.items and origin.key in argument.items):
        # what a method of the argument returns (calls.py): any of its data, by no model
        whole = argument.flat()
        return whole.evolve(modelled=False) if whole.taint else whole
    return argument.item(origin.key).flat()


def _field_values(ev: Evaluator, node: ast.Call, summary: Summary,
                  receiver: Value | None) -> dict[int, Value]:
    """The values of the fields a method reads, by their parameter number: in a method,
    `self.fetch()` sees the caller's own fields; `f.fetch()`, the instance's, as the caller set
    them (`f.url = ...`) or as it was built."""
    func = node.func
    held = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        else None
    own = held == "self" and ev.class_name is not None
    first = len(summary.params)
    found: dict[int, Value] = {}
    for index, field in enumerate(summary.field_params):
        if own:
            value = ev.env.get(f"self.{field}") or ev.fields.get(field)
        elif held is not None and f"{held}.{field}" in ev.env:
            value = ev.env[f"{held}.{field}"]
        else:
            value = receiver.items.get(field) if receiver is not None and receiver.items else None
        if value is not None:
            found[first + index] = value
    return found


def inner_steps(hit) -> tuple:
    """The path inside the callee, from its parameter to the sink."""
    steps = tuple(s for s in hit.value.steps if not s.note.startswith("parameter "))
    return steps + (hit.via or (hit.sink_step(),))


def bind_arguments(params: tuple[str, ...], node: ast.Call, args: list[Value],
                    keywords: dict[str | None, Value]) -> dict[int, Value]:
    """The arguments by the callee's parameter index; `*rest` and `**options` (named so,
    last) collect the positional and keyword arguments no other parameter takes, a tuple and a
    dict with their slots known (`parts[0]`, `named["a"]` read only that argument) unless a
    `*list` / `**mapping` of the call spreads over them."""
    bound: dict[int, Value] = {}
    extra: list[Value] = []
    named: dict[str, Value] = {}

    def collect(slot: int, value: Value) -> None:
        bound[slot] = join(bound[slot], value) if slot in bound else value

    rest = next((i for i, p in enumerate(params) if p.startswith("*") and not p.startswith("**")),
                None)
    options = len(params) - 1 if params and params[-1].startswith("**") else None
    positional = rest if rest is not None else options if options is not None else len(params)
    for index, value in enumerate(args):
        if any(isinstance(a, ast.Starred) for a in node.args[:index + 1]):
            for slot in range(index, len(params)):
                collect(slot, value)
            break
        if index < positional:
            bound[index] = value
        elif rest is not None:
            extra.append(value)
    for name, value in keywords.items():
        if name is None:
            # a `**kwargs` parameter handed on whole (`run(**kw)`): each named parameter its
            # item of that name, so that a caller's `cmd=` reaches `cmd` alone, however deep
            forwarded = not value.items and bool(value.taint) \
                and all(o.kind == "param" and o.key is None for o in value.taint)
            for slot in range(len(params)):
                bound.setdefault(slot, value.item(params[slot]) if forwarded and not
                                 params[slot].startswith("*") else value)
        elif name in params:
            bound[params.index(name)] = value
        elif options is not None:
            named[name] = value
    for slot, items in ((rest, dict(enumerate(extra))), (options, named)):
        if items:
            collect(slot, Value(clean=EVERY_CLASS, items=items,
                                known=all_known(items.values())))
    return bound
