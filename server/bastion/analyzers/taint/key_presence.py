"""Which keys a dict surely holds, and what a missing key reads. A dict display's constant keys
are its `const` (module_level.fold_constant) until something changes them (a store, an edit, a
`del`, an escape: each makes it unknown; a join keeps it only where both sides agree), so
`d.setdefault(k, v)` of one of them leaves its slot as it was, and `d.get(k, default)` of a key
not among them is the default alone, a constant when it is one. A `collections.defaultdict` of a
constant factory (`str`, `int`, `lambda: "x"`) holds the factory's value in its ANY slot: a key
never stored reads that constant, one stored reads what was stored (stores.py); of a container
factory (`list`), an empty container, which `d[k].append(v)` fills in that slot."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, UNKNOWN, Value, constant, join

DEFAULT_DICTS = frozenset({"collections.defaultdict"})
# What calling each factory makes: `defaultdict(str)["missing"]` is ""
_FACTORIES = {"str": "", "int": 0, "float": 0.0, "bool": False, "bytes": b""}
# ... and each container factory: an empty list, set or dict, its slots followed
_EMPTY = {name: Value(clean=EVERY_CLASS, items={}, known=True) for name in ("list", "set", "dict")}


def surely_holds(receiver: Value, key: object) -> bool | None:
    """Whether the dict holds `key` for certain (True), surely not (False), or either (None)."""
    keys = receiver.const
    if key is ANY or receiver.taint or not isinstance(keys, frozenset) \
            or (receiver.items is not None and ANY in receiver.items):
        return None
    return key in keys


def dict_get(receiver: Value, args: list[Value], local: bool) -> Value:
    """`d.get(key)` / `d.get(key, default)` of a dict whose slots are followed; `local`: the
    function's own dict (a module's table, another function may change)."""
    key = args[0].const if args[0].const is not UNKNOWN else ANY
    default = args[1] if len(args) > 1 else None
    held = surely_holds(receiver, key) if local else None
    if held is False:
        return default if default is not None else constant(None)
    found = receiver.item(key)
    return join(found, default) if default is not None and not held else found


def default_dict(node: ast.Call) -> Value | None:
    """`defaultdict(str)`, `defaultdict(lambda: "x")`: empty, a missing key reading the factory's
    constant; None for another factory (`list`: its elements change in place) or arguments."""
    if len(node.args) != 1 or node.keywords:
        return None
    factory = node.args[0]
    if isinstance(factory, ast.Name) and factory.id in _EMPTY:
        # `defaultdict(list)`: a missing key reads an empty list, which `d[k].append(v)`
        # fills in place (method_calls._slot_mutated)
        return Value(clean=EVERY_CLASS, items={ANY: _EMPTY[factory.id]}, kind="collections.defaultdict()",
                     known=True)
    if isinstance(factory, ast.Name) and factory.id in _FACTORIES:
        made = _FACTORIES[factory.id]
    elif isinstance(factory, ast.Lambda) and not factory.args.args and not factory.args.vararg \
            and not factory.args.kwarg and isinstance(factory.body, ast.Constant):
        made = factory.body.value
    else:
        return None
    return Value(clean=EVERY_CLASS, items={ANY: constant(made)}, kind="collections.defaultdict()",
                 known=True)
