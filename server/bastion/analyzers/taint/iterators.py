"""`enumerate`, `zip`, `copy.copy` and `deque` kept slot by slot (calls.py dispatches these
builtins here): iterating `enumerate(names)` gives (a number, any name), `zip(a, b)` gives (any
element of `a`, any element of `b`), so that `for i, name in enumerate(names)` leaves `i` clean
and `for key, value in zip(KEYS, values)` keeps `key` constant; a copy holds what the original
did; a deque of a list in order keeps its slots (sequences.py edits its ends). Otherwise each
would be one value of all its arguments together."""

from __future__ import annotations

from bastion.analyzers.taint.argv import in_order
from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, SAFE, UNKNOWN, Value

ITERATORS = frozenset({"enumerate", "builtins.enumerate", "zip", "builtins.zip", "copy.copy",
                       "copy.deepcopy", "collections.deque"})


def iterated(name: str, args: list[Value], keywords: dict[str | None, Value]) -> Value | None:
    """The call's value; None when its arguments are not the plain ones (`*lists`, keywords
    other than `start` / `strict`): the caller's default model then applies."""
    if name == "collections.deque":  # not with `maxlen`, which drops elements
        start = args[0] if len(args) == 1 else Value(clean=EVERY_CLASS, items={}, known=True)
        if keywords or len(args) > 1 or start.taint or start.items != {} and in_order(start) is None:
            return None
        return start.evolve(kind="collections.deque()", const=UNKNOWN)
    if name.startswith("copy."):
        return args[0] if len(args) == 1 and not keywords else None
    if name.endswith("enumerate"):
        if len(args) != 1 or set(keywords) - {"start"}:
            return None
        parts = [SAFE, args[0].iterated()]
    elif not args or set(keywords) - {"strict"}:
        return None
    else:
        parts = [arg.iterated() for arg in args]
    pair = Value(clean=EVERY_CLASS, items=dict(enumerate(parts)), known=all(p.known for p in parts))
    return Value(clean=EVERY_CLASS, items={ANY: pair}, known=pair.known)
