"""What interpreting a function produces that others read: a `Hit` (untrusted data reaching a
sink, with its path), a `Summary` (what a function does with its parameters, for its callers
in this file and in other workspace modules) and the `FunctionResult` of one walk."""

from __future__ import annotations

import ast

import attrs

from bastion import attrs_classes
from bastion.analyzers.taint.domain import Step, Value
from bastion.analyzers.taint.sinks import quoted


@attrs_classes.define
class Hit:
    """Untrusted data reaching a sink."""

    sink_class: str
    sink: str  # the sink as written: `open`, `cursor.execute`, `view return`
    # the sink's node; None in a summary exported for other modules (workspace.py), whose
    # hits carry their places in `via` (never empty there) instead of this module's tree
    node: ast.AST | None
    statement: ast.stmt | None
    value: Value
    via: tuple[Step, ...] = ()  # steps inside a callee, for a sink reached through a call
    # the value is a command's whole argument vector, run without a shell, of a shape this
    # function does not know (a parameter): a caller's list is judged by its items, the
    # program apart from its arguments (command_vectors.py)
    vector: bool = False

    def sink_step(self) -> Step:
        node = self.node
        return Step(node.lineno - 1, node.col_offset, (node.end_lineno or node.lineno) - 1,
                    node.end_col_offset or 0, f"reaches {quoted(self.sink)}")

    def path(self) -> tuple[Step, ...]:
        return self.value.steps + (self.via or (self.sink_step(),))


@attrs_classes.frozen
class Proof:
    """What a function's result being `truth` proves of the argument of parameter `param` (a
    guard helper: `def is_safe_url(target): return urlparse(target).netloc in ALLOWED`): it is
    `value` (untainted: a constant of an allow-list), or else it stays what it was, clean for
    `clean` as well (helper_guards.py)."""

    param: int
    name: str
    value: Value | None
    clean: frozenset[str] = frozenset()
    normalized: bool = False  # proved only of an argument that is a normalized path
    # proved where the result is true, or (`is_unsafe_url`) false, or None: where the call
    # returned (`validate_url(target)` raising unless a test holds)
    truth: bool | None = True
    # proved by a method reading its class's constants through `self`: only at a call on a
    # module-level instance built of that very class (workspace.py exports it under that name)
    on_instance: bool = False
    # proved to start with a prefix fixing its host (`url.startswith("https://example.com/")`):
    # its `prefix` false, redirected nowhere else
    host_fixed: bool = False


@attrs_classes.frozen
class HeldCall:
    """A method called on what a parameter holds, whose class only a caller knows (held_calls.py):
    `self.repo.find(q)`, `__init__` having stored `repo` from its parameter (a field parameter of
    `Summary.with_fields`), or `svc.search(q)` on a parameter `svc`. Its arguments are values of
    the function (origins of kind "param" for what the caller passes)."""

    param: int
    method: str  # "": the parameter itself is called (`def apply(func, value): return func(value)`)
    args: tuple[Value, ...]
    keywords: tuple[tuple[str, Value], ...]
    step: Step  # the call, in the function


@attrs_classes.define
class Summary:
    """What a same-file function does with its parameters (origins of kind "param")."""

    params: tuple[str, ...]
    returns: Value
    sinks: tuple[Hit, ...]  # hits whose value carries a parameter origin
    fields: dict[str, Value] = attrs.Factory(dict)  # `self.x` at the end of `__init__`
    # A method's `self` fields that `__init__` filled from its parameters: each is a parameter
    # too (origins of kind "param" numbered after `params`), bound to the receiver's field.
    field_params: tuple[str, ...] = ()
    # A method's summary for an instance whose fields hold untrusted data (`field_params` set)
    with_fields: Summary | None = None
    # `__init__` hands its arguments to code that may store them where `fields` does not show
    hands_on: bool = False
    # a module-level guard helper: what its result being true, or false, proves
    proves: tuple[Proof, ...] = ()
    # an argparse helper: the destinations it declares on a parser it is handed, validated and
    # not (argparse_helpers.py)
    adds: tuple[frozenset[str], frozenset[str | None]] | None = None
    # the methods it calls on what a parameter holds (held_calls.py)
    held: tuple[HeldCall, ...] = ()
    # a `@property`'s getter, which a read of the attribute runs (summaries.property_read): set
    # for another module's reader, who has no tree of the class (workspace_summarise.py)
    getter: bool = False


@attrs_classes.define
class FunctionResult:
    returns: Value
    hits: list[Hit]
    fields: dict[str, Value]  # `self.x` when the function ends
    statements: int
    skipped: bool = False
    # a statement nested deeper than the walk's stack: the function was not followed at all
    too_deep: bool = False
    seen: dict = attrs.Factory(dict)  # verdicts by position (verdicts.py)
    # a call on `self` or `super()` whose effect on the fields no summary shows (calls.py)
    handed_on: bool = False
    held: list[HeldCall] = attrs.Factory(list)  # the calls on what a parameter holds


def distinct_hits(hits: list[Hit] | tuple[Hit, ...]) -> tuple[Hit, ...]:
    """`hits` without repeats, in the order first met. A hit is repeated by every round of a
    loop and of a recursive cycle, and a caller repeats each of its callee's summary sinks: a
    recursive method's summary in doctest.py held 2,604 sinks, 104 of them distinct, which every
    caller applied and fingerprinted again. A repeat is equal in every part (the same nodes,
    steps and value), so callers find the same things from the first alone."""
    seen: set = set()
    out = []
    for hit in hits:
        key = (hit.sink_class, hit.sink, id(hit.node), id(hit.statement), hit.via,
               _value_key(hit.value))
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return tuple(out)


def _value_key(value: Value) -> tuple:
    const = value.const
    try:
        const_key = (type(const), hash(const), const)
    except TypeError:  # a constant list or dict: equal only to itself
        const_key = (id(const),)
    items = None if value.items is None else tuple(
        (type(k), k, _value_key(v)) for k, v in value.items.items())
    return (value.taint, value.clean, const_key, items, value.kind, value.prefix, value.steps,
            value.modelled, value.known, value.reported)
