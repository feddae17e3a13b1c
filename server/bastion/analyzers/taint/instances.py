"""Objects built by a call of a class of this module or of another workspace module, and the
fields their methods store: an instance whose fields hold what its `__init__` stored from the
arguments (`construct`), a record's generated constructor (`record_instance`), the fields a
method stores on `self` or on a local instance (`store_fields`, `set_instance_fields`). The
summaries they apply are found and applied by summaries.py.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS, SAFE, Value
from bastion.analyzers.taint.handed_requests import with_request_sources
from bastion.analyzers.taint.held_calls import instance
from bastion.analyzers.taint.signatures import positional
from bastion.analyzers.taint.summaries import (
    apply_summary,
    bind_arguments,
    inherited_from_workspace,
    instantiated,
)

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.results import Summary


def construct(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
               keywords: dict[str | None, Value]) -> Value | None:
    """`Fetcher(request.args["url"])`, of a class of this module or of another workspace
    module: an instance whose fields hold what its `__init__` stored from the arguments (its
    methods bind them, apply_summary), after the sinks `__init__` itself reaches."""
    func = node.func
    init = None
    own = class_called(ev, func)
    if own is not None:
        # a subclass of this file without its own `__init__` is built by its base's
        found = ev.module.inherited(own, "__init__")
        init = ev.summaries.get(found) if found is not None \
            else inherited_from_workspace(ev, own, "__init__", args)
        kind = f"{own}()"
    if init is None and ev.module.external is not None and name is not None \
            and not (isinstance(func, ast.Name) and func.id in ev.env):
        init = ev.module.external(f"{name}.__init__", True)
        kind = f"{name}()"
    if init is None and own is not None and own in ev.module.records:
        return record_instance(ev, node, ev.module.records[own], args, keywords, class_name=own)
    if init is None or not init.fields or init.hands_on:
        return None  # what an unresolved `super().__init__(x)` stores is not seen: the default model
    bound = with_request_sources(ev, node, init, bind_arguments(init.params, node, args, keywords))
    apply_summary(ev, node, init, args, keywords)
    call_step = ev.step(node, f"passed to `{ast.unparse(func)}`")
    fields = {field: held if (held := handed_instance(value, bound)) is not None
              else instantiated(value.flat(), bound, call_step) for field, value in init.fields.items()}
    if not any(v.taint for v in fields.values()):
        # `UserService(UserRepository(conn))`: the instances its fields hold (held_calls.py)
        held = {field: value for field, value in fields.items() if instance(value) is not None}
        return Value(clean=EVERY_CLASS, items=held or None, kind=kind)
    return Value(clean=EVERY_CLASS, items=fields, kind=kind)


def handed_instance(stored: Value, bound: dict[int, Value]) -> Value | None:
    """What `__init__` stored straight from a parameter (`self.repo = repo`) when the caller
    passed an instance of a known class there: that instance, whose methods are its class's."""
    origin = next(iter(stored.taint)) if len(stored.taint) == 1 and not stored.items else None
    if origin is None or origin.kind != "param" or origin.key is not None:
        return None
    argument = bound.get(origin.param)
    return argument if instance(argument) is not None else None


def class_called(ev: Evaluator, func: ast.expr) -> str | None:
    """The class of this module a call by name builds: `Job(...)`, or `cls(...)` in a
    classmethod of `Job` (a subclass's `cls` is built by the same `__init__` unless it has its
    own: the class's is the one seen)."""
    if not isinstance(func, ast.Name):
        return None
    if func.id not in ev.env:
        return func.id
    function = getattr(ev, "function", None)  # the walk's (statements.Interpreter)
    if function is None or ev.class_name is None or function.implicit_params != 1 \
            or not any(isinstance(d, ast.Name) and d.id == "classmethod"
                       for d in function.node.decorator_list):
        return None
    params = positional(function.node.args)
    return ev.class_name if params[0].arg == func.id and ev.env[func.id].kind is None else None


def record_instance(ev: Evaluator, node: ast.Call, fields: tuple[str, ...], args: list[Value],
                    keywords: dict[str | None, Value],
                    validated: frozenset[str] = frozenset(),
                    class_name: str | None = None) -> Value | None:
    """A record's generated constructor: each argument in the field it names; a field the
    class validates (`validated`: an `int` field of a pydantic model, forms.py) is safe."""
    if None in keywords or any(isinstance(a, ast.Starred) for a in node.args) \
            or len(args) > len(fields):
        return None  # `Job(**data)`: which field holds what is not known (the default model)
    call_step = ev.step(node, f"stored in `{ast.unparse(node.func)}`")
    # fewer arguments than fields: the rest keep their defaults
    slots = {**dict(zip(fields, args, strict=False)), **{k: v for k, v in keywords.items() if k in fields}}
    slots = {k: SAFE if k in validated else v.with_step(call_step) for k, v in slots.items()}
    kind = f"{class_name or node.func.id}()"
    if not any(v.tainted for v in slots.values()):
        return Value(clean=EVERY_CLASS, kind=kind)
    bases = ev.module.class_bases.get(class_name or node.func.id)
    # a tuple too: `point[0]`, `cmd, mode = point`; a record no class statement made is a named
    # tuple's call (`collections.namedtuple("Point", ...)`, classes.named_tuples)
    if (bases is None or "typing.NamedTuple" in bases) and len(slots) == len(fields):
        slots.update({index: slots[field] for index, field in enumerate(fields)})
    return Value(clean=EVERY_CLASS, items=slots, kind=kind)


def store_fields(ev: Evaluator, node: ast.Call, summary: Summary, args: list[Value],
                  keywords: dict[str | None, Value]) -> None:
    """The fields a method of the instance stored (`self.url = url` in a helper or the base's
    `__init__`) are the caller's own now, its parameters replaced by the arguments."""
    if not summary.fields or ev.env is None:
        return
    bound = bind_arguments(summary.params, node, args, keywords)
    call_step = ev.step(node, f"passed to `{ast.unparse(node.func)}`")
    for field, value in summary.fields.items():
        ev.env[f"self.{field}"] = instantiated(value.flat(), bound, call_step)


def set_instance_fields(ev: Evaluator, node: ast.Call, name: str, receiver: Value,
                        summary: Summary, args: list[Value],
                        keywords: dict[str | None, Value]) -> None:
    """`f.configure(request.args["url"])` on a local instance: the fields the method set are
    the instance's now (its later `f.fetch()` reads them, calls.py `_field_values`)."""
    bound = bind_arguments(summary.params, node, args, keywords)
    call_step = ev.step(node, f"passed to `{ast.unparse(node.func)}`")
    items = dict(receiver.items or {})
    for field, value in summary.fields.items():
        items[field] = instantiated(value.flat(), bound, call_step)
    ev.env[name] = receiver.evolve(items=items if any(v.tainted for v in items.values()) else None)
