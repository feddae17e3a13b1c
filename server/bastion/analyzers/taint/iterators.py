"""`enumerate`, `zip`, `copy.copy`, `list` / `tuple` / `reversed`, `deque` and a dataclass's
`asdict` / `replace` kept slot by slot (calls.py dispatches these builtins here): iterating
`enumerate(names)` gives (a number, any name), `zip(a, b)` gives (any element of `a`, any
element of `b`), or its pairs in order when both are lists of one known length (so that
`dict(zip(["q", "sort"], [name, "id"]))` has their keys, `pairs_dict`), so that `for i, name in
enumerate(names)` leaves `i` clean and `for key, value in zip(KEYS, values)` keeps `key`
constant; a copy holds what the original did, in its order or reversed; a record's dict or copy
its fields (those given replaced); a deque of a list in order keeps its slots (sequences.py
edits its ends); a list / tuple of a vector of a length not known (`list(TOOLS[name])`) its
first slots; `filter(None, ...)` of constants in order keeps the true ones. Otherwise each
would be one value of all its arguments together. `next()` of a fresh iterator over a list in
order (`next(iter(items))`, `next(f(x) for x in items)` with no filter) is its first element's."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import in_order
from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, SAFE, UNKNOWN, Value, all_known

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# Copies of a sequence, in its order or reversed
_SEQUENCES = frozenset({"list", "builtins.list", "tuple", "builtins.tuple"})
_REVERSED = frozenset({"reversed", "builtins.reversed"})
# A record's fields as a dict; a copy of it with some fields given
_RECORDS = frozenset({"dataclasses.asdict", "dataclasses.replace"})
ITERATORS = frozenset({"enumerate", "builtins.enumerate", "zip", "builtins.zip", "copy.copy",
                       "copy.deepcopy", "collections.deque", "filter", "builtins.filter"}) \
    | _SEQUENCES | _REVERSED | _RECORDS
NEXT = frozenset({"next", "builtins.next"})


def iterated(name: str, args: list[Value], keywords: dict[str | None, Value]) -> Value | None:
    """The call's value; None when its arguments are not the plain ones (`*lists`, keywords
    other than `start` / `strict`): the caller's default model then applies."""
    if name in _SEQUENCES or name in _REVERSED:
        slots = _ordered(args[0]) if len(args) == 1 and not keywords else None
        if slots is None:
            if name in _SEQUENCES and len(args) == 1 and not keywords and vector(args[0]):
                # a copy of a vector of a length not known (`list(TOOLS[name])`): its first
                # slots, the program of a table's command vectors, where they were
                return args[0].evolve(kind=None)
            return None  # a string, a dict, other iterables: the propagator's model
        kept, const = (slots[::-1], _reversed(args[0].const)) if name in _REVERSED else (slots, args[0].const)
        # the constant kept: `name in tuple(["a", "b"])` is an allow-list as the display is
        return Value(clean=EVERY_CLASS, items=dict(enumerate(kept)), const=const,
                     known=all_known(kept))
    if name in _RECORDS:
        record = args[0] if len(args) == 1 and not args[0].taint and args[0].items else None
        if record is None or None in keywords or name.endswith("asdict") and keywords:
            return None
        return record.evolve(items={**record.items, **keywords}) if keywords else record.evolve(kind=None)
    if name == "collections.deque":  # not with `maxlen`, which drops elements
        start = args[0] if len(args) == 1 else Value(clean=EVERY_CLASS, items={}, known=True)
        if keywords or len(args) > 1 or start.taint or start.items != {} and in_order(start) is None:
            return None
        return start.evolve(kind="collections.deque()", const=UNKNOWN)
    if name.endswith("filter"):
        return _truthy(args) if not keywords else None
    if name.startswith("copy."):
        return args[0] if len(args) == 1 and not keywords else None
    if name.endswith("enumerate"):
        if len(args) != 1 or set(keywords) - {"start"}:
            return None
        parts = [SAFE, args[0].iterated()]
    elif not args or set(keywords) - {"strict"}:
        return None
    else:
        columns = [_ordered(arg) for arg in args]
        if all(columns) and len({len(c) for c in columns}) == 1:
            # `zip(["name", "cmd"], [user, "ls"])`: the pairs in order, as a list of them is
            rows = [Value(clean=EVERY_CLASS, items=dict(enumerate(row)), known=all_known(row))
                    for row in zip(*columns, strict=True)]
            return Value(clean=EVERY_CLASS, items=dict(enumerate(rows)), known=all_known(rows))
        parts = [arg.iterated() for arg in args]
    pair = Value(clean=EVERY_CLASS, items=dict(enumerate(parts)), known=all_known(parts))
    return Value(clean=EVERY_CLASS, items={ANY: pair}, known=pair.known)


def pairs_dict(pairs: Value) -> Value | None:
    """`dict(zip(KEYS, values))`, `dict([("q", name)])`: a list in order of pairs whose keys are
    constant strings, as the display `{"q": name}` (a later pair replacing an earlier one);
    None otherwise."""
    rows = _ordered(pairs)
    items: dict = {}
    for row in rows or ():
        pair = _ordered(row)
        if pair is None or len(pair) != 2 or type(pair[0].const) is not str:
            return None
        items[pair[0].const] = pair[1]
    if not items:
        return None
    return Value(clean=EVERY_CLASS, items=items, const=frozenset(items),
                 known=all_known(items.values()))


def vector(value: Value) -> bool:
    """Whether `value` is a list or tuple held in slots: its first, and every key an index or
    ANY (a dict's would be other keys, and a copy by `list` holds those keys)."""
    return bool(value.items) and 0 in value.items and all(type(k) is int or k is ANY for k in value.items)


def _reversed(const: object) -> object:
    return const[::-1] if isinstance(const, tuple) else UNKNOWN


def _ordered(vector: Value) -> list[Value] | None:
    """A list or tuple's elements in order, when its length is known (not a dict's, whose
    keys `list()` gives, nor a string's characters)."""
    if vector.taint or isinstance(vector.const, (frozenset, str)):
        return None
    return in_order(vector)


def _truthy(args: list[Value]) -> Value | None:
    """`filter(None, ["ls", ""])` of a list of constants in order: those that are true, in
    order; None for a function, or elements not all constant (the default model)."""
    slots = in_order(args[1]) if len(args) == 2 and args[0].const is None and args[0].known \
        and not args[1].taint else None
    if slots is None or not all(s.known and s.const is not UNKNOWN and not s.items for s in slots):
        return None
    kept = [s for s in slots if s.const]
    return Value(clean=EVERY_CLASS, items=dict(enumerate(kept)), known=True)


def next_of(ev: Evaluator, node: ast.Call) -> Value | None:
    """`next(...)` of an iterator made in the call over a list of known slots: the first slot
    (through the generator's element). None otherwise (a filter, an iterator held elsewhere
    that may have moved, a list not in order): the caller's default model then applies. The
    list is read again, so only from an expression that calls nothing (no second effect)."""
    if len(node.args) not in (1, 2) or node.keywords:
        return None
    made = node.args[0]
    if isinstance(made, ast.GeneratorExp) and len(made.generators) == 1:
        loop = made.generators[0]
        over, element = (None, None) if loop.ifs or loop.is_async else (loop.iter, made.elt)
    elif isinstance(made, ast.Call) and len(made.args) == 1 and not made.keywords \
            and ev.qualname(made.func) in ("iter", "builtins.iter"):
        over, element = made.args[0], None
    else:
        return None
    if over is None or any(isinstance(n, (ast.Call, ast.NamedExpr)) for part in (over, element)
                           if part is not None for n in ast.walk(part)):
        return None
    slots = in_order(ev.eval(over))
    if not slots:
        return None
    if element is None:
        return slots[0]
    saved = ev.env
    ev.env = dict(saved) if saved is not None else None
    try:
        ev.bind(loop.target, slots[0], None)
        return ev.eval(element)
    finally:
        ev.env = saved
