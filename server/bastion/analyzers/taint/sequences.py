"""Element-sensitive edits of a list whose slots are known by index (a list display, or one
built by `append` from `[]`; a deque of one): `pop`, `remove`, `insert`, `append`, `reverse`,
`clear` and a deque's `popleft` / `appendleft` move
the other elements as Python does, so that `items.pop(0); items[1]` reads the element that is
really there (`clear` empties a dict too; a dict's `setdefault` stores as `d[key] = value` would
where the key is absent).

When the edit cannot be followed exactly (a slot not known by index, `remove` of a value an
unknown element may equal, an index not constant), every slot of the list may afterwards hold
any of its elements. A value whose elements are not followed (a parameter) is left to calls.py.
"""

from __future__ import annotations

from bastion.analyzers.taint.domain import (
    ANY,
    CLEAN,
    NONE,
    UNKNOWN,
    Value,
    all_known,
    constant,
    join,
    join_all,
)
from bastion.analyzers.taint.key_presence import surely_holds

EDITS = frozenset({"pop", "remove", "insert", "append", "reverse", "sort", "clear", "setdefault",
                   "popleft", "appendleft"})
# A deque's ends, as the list edits they are
_DEQUE_ENDS = {"popleft": "pop", "appendleft": "insert"}
# Methods that put their arguments into the receiver (calls.py follows them on containers; `set`
# of a ConfigParser too).
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "write",
                      "writelines", "set"})
MAX_SLOTS = 64  # beyond this a list is treated as any list (the coarse model)


def edit_list(receiver: Value, method: str, args: list[Value]) -> tuple[Value, Value] | None:
    """The call's result and the list after it; None for a value whose elements are not
    followed (a parameter, an unknown list) or an `append` not followed exactly (the caller's
    coarse model adds to every slot)."""
    if receiver.items is None:
        return None
    if method in _DEQUE_ENDS:  # `q.popleft()` is `pop(0)`, `q.appendleft(x)` is `insert(0, x)`
        method, args = _DEQUE_ENDS[method], [constant(0), *args]
    if method == "setdefault" and 1 <= len(args) <= 2:
        return set_default(receiver, args)
    if method == "pop" and args and isinstance(args[0].const, str):
        return _dict_pop(receiver, args)
    if method == "clear" and not args:
        return CLEAN, receiver.evolve(items={}, const=UNKNOWN, known=True)
    exact = _exact(receiver, method, args)
    if exact is not None or method == "append":
        return exact
    # Which element moved where is unknown: every slot may now hold any element.
    every = join_all([*receiver.items.values(), *args[1:2]] if method == "insert"
                     else list(receiver.items.values()))
    after = receiver.evolve(items={ANY: every}, const=UNKNOWN)
    return (every if method == "pop" else CLEAN), after


def _exact(receiver: Value, method: str, args: list[Value]) -> tuple[Value, Value] | None:
    size = _size(receiver)
    if size is None:
        return None
    slots = list(map(receiver.items.__getitem__, range(size)))  # no comprehension's frame
    if method == "append" and len(args) == 1 and size < MAX_SLOTS:
        return CLEAN, _list(receiver, [*slots, args[0]])
    if method == "reverse" and not args:
        return CLEAN, _list(receiver, slots[::-1])
    if method == "pop" and len(args) <= 1:
        index = _index(args[0], size) if args else size - 1
        if index is None or not 0 <= index < size:
            return None
        return slots[index], _list(receiver, slots[:index] + slots[index + 1:])
    if method == "insert" and len(args) == 2:
        index = _index(args[0], size, clamp=True)
        if index is None or size >= MAX_SLOTS:
            return None
        return CLEAN, _list(receiver, [*slots[:index], args[1], *slots[index:]])
    if method == "remove" and len(args) == 1 and args[0].const is not UNKNOWN:
        for index, slot in enumerate(slots):
            if slot.const is UNKNOWN:
                return None  # it may equal the value removed: which one goes is unknown
            if slot.const == args[0].const:
                return CLEAN, _list(receiver, slots[:index] + slots[index + 1:])
    return None


def _dict_pop(receiver: Value, args: list[Value]) -> tuple[Value, Value]:
    """`d.pop("key")`, `d.pop("key", default)`: that key's value, and the dict without it."""
    key = args[0].const
    found = receiver.item(key)
    if len(args) > 1:
        found = join(found, args[1])
    items = {k: v for k, v in receiver.items.items() if k != key}
    return found, receiver.evolve(items=items, const=UNKNOWN)


def set_default(receiver: Value, args: list[Value]) -> tuple[Value, Value]:
    """`d.setdefault(key, value)`: the key's value, and the dict after it. The value is stored
    only where the key is absent, so the slot may keep what it held; a key the request wrote is
    what iterating the dict gives, as after `d[key] = value` (stores.py)."""
    key = args[0]
    value = args[1] if len(args) > 1 else NONE
    items = dict(receiver.items)
    slot = key.const if type(key.const) in (str, int) else ANY
    if slot is ANY:  # any slot may be the one set
        found = join(receiver.item(ANY), value) if items else value
        items = {k: join(v, value) for k, v in items.items()}
        items.setdefault(ANY, value)
        if key.taint:
            items[ANY] = join(items[ANY], key)
        return found, receiver.evolve(items=items, const=UNKNOWN)
    held = surely_holds(receiver, slot)
    if held:  # a key of the display: its slot stays as it was
        return receiver.item(slot), receiver
    found = join(receiver.item(slot), value) if slot in items or ANY in items else value
    items[slot] = found
    # a key surely missing is surely held now
    return found, receiver.evolve(items=items, const=receiver.const | {slot} if held is False else UNKNOWN)


def _size(value: Value) -> int | None:
    items = value.items
    if items is None or ANY in items or value.taint:
        return None
    size = len(items)
    for key in items:  # distinct keys: `size` of them in range(size) are each index once
        if type(key) is not int or not 0 <= key < size:
            return None
    return size


def _index(value: Value, size: int, clamp: bool = False) -> int | None:
    index = value.const
    if type(index) is not int:
        return None
    if index < 0:
        index += size
    return min(max(index, 0), size) if clamp else index


def _list(receiver: Value, slots: list[Value]) -> Value:
    return receiver.evolve(items=dict(enumerate(slots)), const=UNKNOWN,
                           known=all_known(slots))
