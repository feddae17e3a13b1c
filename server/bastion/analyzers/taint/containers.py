"""Containers in the abstract domain: a display keeps its elements in slots (by index for a
short tuple or list, by constant key for a dict, ANY otherwise), a subscript reads the slot its
key names (or folds a constant index of a constant string), and a comprehension makes a
container whose every slot holds what its element expression gives.

Separate from expressions.py because the slot model is one concern (stores.py writes slots,
sequences.py edits them). The functions are the `Evaluator`'s `e_<node>` methods themselves,
assigned in its class body, so that its dispatch costs what it did when they were defined there.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint import configs
from bastion.analyzers.taint.argv import in_order, program_vectors
from bastion.analyzers.taint.closures import local_function
from bastion.analyzers.taint.domain import (
    ANY,
    CLEAN,
    EVERY_CLASS,
    SAFE,
    UNKNOWN,
    Value,
    all_known,
    constant,
    constants_known,
    join,
)
from bastion.analyzers.taint.folding import hashable
from bastion.analyzers.taint.global_stores import slot_name, stored_global
from bastion.analyzers.taint.module_level import fold_constant
from bastion.analyzers.taint.request_items import item_read
from bastion.analyzers.taint.wrappers import as_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def subscript(ev: Evaluator, node: ast.Subscript) -> Value:
    base = ev.eval(node.value)
    if isinstance(node.slice, ast.Slice):
        bounds = [None if part is None else ev.eval(part).const
                  for part in (node.slice.lower, node.slice.upper, node.slice.step)]
        ordered = in_order(base) if not base.taint and bounds[2] != 0 \
            and all(b is None or type(b) is int for b in bounds) else None
        if ordered is not None:  # `[first, data][::-1]`: the slots the slice keeps, in its order
            kept = ordered[slice(*bounds)]
            return base.evolve(items=dict(enumerate(kept)), const=UNKNOWN,
                               known=all_known(kept))
        if isinstance(base.const, (str, bytes, tuple)):
            return base if not base.taint else base.evolve(const=UNKNOWN)
        return _shifted(base.flat()) if base.taint or base.items else base
    key = ev.eval(node.slice)
    if base.kind in configs.KINDS:  # `parser["main"]`: that section's options
        return configs.section_read(base, key.const)
    if type(node.value) is ast.Name and node.value.id in ev.module.enums \
            and not (ev.env and node.value.id in ev.env):
        return SAFE  # `Color[q]`: a member of the module's Enum by name, or it raises
    if isinstance(base.const, (str, bytes, tuple)) and key.const is not UNKNOWN:
        try:
            return constant(base.const[key.const])
        except Exception:  # noqa: BLE001 - a failing constant index is just unknown
            return CLEAN
    value = base.item(key.const if key.const is not UNKNOWN and hashable(key.const) else ANY)
    if value.items is None and value.const is UNKNOWN and not value.taint and base.items \
            and ANY not in base.items and key.const is UNKNOWN \
            and (vectors := program_vectors(list(base.items.values()))) is not None:
        return vectors  # `TOOLS[name]`: one of a table's command vectors
    if base.kind is not None and type(key.const) is str:
        if not value.taint:
            # a model's source under a constant key of an object it knows: Strawberry's
            # `info.context["request"]`, the request a resolver runs for
            found = ev.source_value(f'{base.kind}["{key.const}"]', node)
            if found is not None:
                return found
        if (held := held_kind(ev, base.kind, key.const)) is not None:
            # the store a middleware keeps in the request's environ is the server's own, not
            # the request data beside it (a WSGI environ parameter is tainted)
            return (CLEAN if value.taint else value).evolve(kind=held)
    if ev.module.stored_globals and type(node.value) is ast.Name and type(node.slice) is ast.Constant \
            and not (ev.env and node.value.id in ev.env) \
            and (slot := slot_name(node.value.id, node.slice.value)) in ev.module.stored_globals:
        return join(value, stored_global(ev, node, slot))  # `CACHE["next"]` a view filled (global_stores.py)
    if value.taint and type(node.value) is ast.Attribute:  # `request.args["n"]`, maybe narrowed
        return item_read(ev, node, value, None)
    if base.kind and base.kind.startswith("pandas.") and not isinstance(key.const, str):
        # `frame[mask]`, `frame[["a", "b"]]`: rows or columns of a DataFrame are one, whose
        # `to_html` escapes (sanitizers.toml); `frame["a"]` is a column, a Series
        return value.evolve(kind=base.kind)
    return value


def held_kind(ev: Evaluator, kind: str, key: str) -> str | None:
    """The kind of the object a model stores into, kept under a constant key of an object of
    `kind` (`request.environ["beaker.session"]`, also by `environ.get(...)`): its items stored
    then reach the model's sink (`session["user"] = name`). None for any other item."""
    item = f'{kind}["{key}"]'
    return item if item in ev.models.subscript_sinks.exact else None


def _shifted(value: Value) -> Value:
    """A slice of a parameter: its elements are at other indexes (`parts[1:][0]` is the
    argument's `parts[1]`), so what is read of it binds any element of the argument, not the
    one at the index read."""
    if not any(o.kind == "param" and o.key is None for o in value.taint):
        return value
    return value.evolve(taint=frozenset(o.evolve(key=ANY) if o.kind == "param" and o.key is None
                                        else o for o in value.taint))


def dict_display(ev: Evaluator, node: ast.Dict) -> Value:
    items: dict = {}
    for key, value in zip(node.keys, node.values, strict=True):
        v = slot_value(ev, value)
        if key is None:  # **other
            for slot, inner in (v.items or {ANY: v.flat()}).items():
                items[slot] = join(items[slot], inner) if slot in items else inner
            continue
        k = ev.eval(key)
        slot = k.const if k.const is not UNKNOWN and hashable(k.const) else ANY
        if slot is ANY and k.taint:  # `{request.args["col"]: 1}`: iterated, it gives the key
            v = join(v, k)
        items[slot] = join(items[slot], v) if slot in items else v
    return Value(clean=EVERY_CLASS, items=items, const=fold_constant(node),
                 known=all_known(items.values()))


def sequence_display(ev: Evaluator, node: ast.Tuple | ast.List | ast.Set) -> Value:
    """A display's slots by index while its length so far is known: a starred element of a known
    vector is spliced in (`[*BASE, ref]` with a constant `BASE` keeps `ref` at its index), one of an
    unknown length sends it and every later element to the ANY slot, as which index they land at
    is unknown (`["git", *args]` keeps the program at 0; `[*prefix, "ls", x]` has none known)."""
    items: dict = {}
    values: list[Value] = []
    slot: int | None = 0 if not isinstance(node, ast.Set) and len(node.elts) <= 16 else None
    for item in node.elts:
        rest = None
        if isinstance(item, ast.Starred):
            whole = ev.eval(item.value)
            parts = _in_order(whole) if slot is not None else None
            if parts is None:
                # its first slots where they land (`[*TOOLS[name], host]` keeps the program),
                # the rest at an index not known
                parts, rest = _leading(whole) if slot is not None else [], whole.item(ANY)
        else:
            parts = [slot_value(ev, item)]
        for value in parts if rest is None else [*parts, rest]:
            values.append(value)
            key = ANY if slot is None or slot > 16 or value is rest else slot
            items[key] = join(items[key], value) if key in items else value
            slot = None if slot is None or slot > 16 or value is rest else slot + 1
    const = fold_constant(node) if constants_known(values) else UNKNOWN
    return Value(clean=EVERY_CLASS, items=items, const=const,
                 known=all_known(values))


def slot_value(ev: Evaluator, node: ast.expr) -> Value:
    """A display's element; a lambda's is the function it defines (closures.py), so that a table
    of handlers (`{"csv": lambda: ..., "xml": lambda: ...}[kind]()`) runs the one picked, and a
    partial's too (`partial(subprocess.run, shell=True)(q)`)."""
    value = ev.eval(node)
    helper = as_function("<lambda>" if type(node) is ast.Lambda else "<partial>", node, ev.names) \
        if type(node) in (ast.Lambda, ast.Call) else None
    return value if helper is None else local_function(helper)


def folded_sequences(op: ast.operator, left: Value, right: Value, result: object) -> Value:
    """The constant `result` of `left op right`, constants both; two vectors added keep their
    elements in slots (`["git", "log"] + ["-n", "5"]`), so that a tail added after lands past
    them, as in a display of the three."""
    joined = joined_sequences(left, right) if isinstance(op, ast.Add) and isinstance(result, tuple) \
        else merged(left, right) if isinstance(op, ast.BitOr) and isinstance(result, frozenset) else None
    return constant(result) if joined is None else joined.evolve(const=result)


def merged(left: Value, right: Value) -> Value | None:
    """`DEFAULTS | {"q": name}`, `opts |= {"q": name}`: the values are the dicts' own, the
    right one's where both have the key; a dict display's constant is its keys, whose union is
    the merge's. None unless both are dicts of known keys (a set's elements are in no keyed
    slot)."""
    if not left.items or not right.items or ANY in left.items or ANY in right.items \
            or left.taint or right.taint:
        return None
    items = {**left.items, **right.items}
    keys = left.const | right.const if isinstance(left.const, frozenset) \
        and isinstance(right.const, frozenset) else UNKNOWN
    return Value(clean=EVERY_CLASS, items=items, const=keys, known=all_known(items.values()))


def joined_sequences(left: Value, right: Value) -> Value | None:
    """`["rsync", "-a"] + [dest]`: a list or tuple held in slots followed by another, as
    `[*left, *right]` would splice them (the program stays at 0, so an argument is not taken
    for it); a right side of an unknown length lands in the ANY slot. None when the left side is
    not a vector in slots (a string, a dict, a vector of unknown contents). A constant vector
    held whole (a module's `BASE = ["git", "log"]`) is in slots of its elements."""
    left, right = _in_slots(left), _in_slots(right)
    if not _slotted(left) or not (_slotted(right) or right.items is None):
        return None
    items = dict(left.items)
    ordered, following = _in_order(left), _in_order(right)
    if ordered is not None and following is not None and len(ordered) + len(following) <= 17:
        items.update((len(ordered) + i, value) for i, value in enumerate(following))
    else:  # where its items land is unknown; the left side's first slots stay known
        rest = right.item(ANY)
        items[ANY] = join(items[ANY], rest) if ANY in items else rest
    return Value(clean=EVERY_CLASS, items=items, known=left.known and right.known)


def _in_slots(value: Value) -> Value:
    """A constant tuple held whole, its elements in slots; any other value as it is."""
    if value.items or value.taint or not isinstance(value.const, tuple) or not 0 < len(value.const) <= 16:
        return value
    return Value(clean=EVERY_CLASS, items={i: constant(c) for i, c in enumerate(value.const)},
                 const=value.const, known=True)


def _slotted(value: Value) -> bool:
    """Whether `value` is a vector held in slots: some, and every key an index or ANY."""
    return bool(value.items) and all(type(k) is int or k is ANY for k in value.items)


def _leading(value: Value) -> list[Value]:
    """The first slots of a list of a length not known, each surely there (`["git", *args]`,
    `TOOLS[name]`: a table's vectors of other lengths, program_vectors), as joined_sequences
    keeps them; none of a value that is no vector in slots."""
    if not _slotted(value):
        return []
    leading: list[Value] = []
    while len(leading) in value.items and len(leading) < 16:
        leading.append(value.items[len(leading)])
    return leading


def _in_order(value: Value) -> list[Value] | None:
    """The elements of a vector of a known length, in order: slots 0..n-1 and no other, or a
    constant tuple's."""
    ordered = in_order(value)
    if ordered is not None:
        return ordered if len(ordered) <= 16 else None
    if not value.items and not value.taint and isinstance(value.const, tuple) and len(value.const) <= 16:
        return [constant(c) for c in value.const]
    return None


def mapping_view(mapping: Value, method: str) -> Value | None:
    """`body.values()` / `body.items()` / `body.keys()` of a mapping held in slots: request data
    (`images: dict[str, Image]`) or a dict display (None: neither). Each value any slot's as it
    is held (its validated fields safe), in (key, value) pairs for `items`; the keys the
    request's as the mapping is, or a display's constant keys (`{"owner": name}.keys()`)."""
    if method not in ("items", "values", "keys") or not mapping.items \
            or not mapping.taint and mapping.kind is not None:
        return None
    keys = mapping.evolve(items=None, kind=None, const=UNKNOWN) if mapping.taint else mapping.iterated()
    value = mapping.item(ANY) if method == "values" else keys
    if method == "items":
        value = Value(clean=EVERY_CLASS, items={0: keys, 1: mapping.item(ANY)}, known=mapping.known)
    return Value(clean=EVERY_CLASS, items={ANY: value}, known=mapping.known)


def starred(ev: Evaluator, node: ast.Starred) -> Value:
    return ev.eval(node.value).item(ANY)


def comprehension(ev: Evaluator, node) -> Value:
    """What the elements are, where the filters hold: `[f for f in fields if f in ALLOWED]`
    keeps only allowed names (guards.py refines as for an `if`). A name a `:=` in it binds is
    the function's (`any((m := p.match(x)) for x in xs)`, then `m`): what it may hold after, the
    comprehension having run or not."""
    from bastion.analyzers.taint.guards import refine

    saved, outer_targets = ev.env, ev.walrus_targets
    ev.env = dict(saved)
    ev.walrus_targets = set()
    for generator in node.generators:
        element = ev.eval(generator.iter).iterated()
        ev.bind(generator.target, element, None)
        for test in generator.ifs:
            ev.eval(test)
            ev.env = refine(ev, test, ev.env, True) or ev.env
    if isinstance(node, ast.DictComp):
        value = keyed_mapping(ev.eval(node.key), ev.eval(node.value))
    else:
        value = Value(clean=EVERY_CLASS, items={ANY: ev.eval(node.elt)})
    bound, ev.walrus_targets = ev.walrus_targets, outer_targets
    if bound:
        inside, saved = ev.env, dict(saved)
        for name in bound:
            saved[name] = join(saved[name], inside[name]) if name in saved else inside[name]
        if outer_targets is not None:  # a comprehension in a comprehension: the function's still
            outer_targets |= bound
    ev.env = saved
    return value


def keyed_mapping(keys: Value, values: Value) -> Value:
    """A dict of unknown keys: `{k: 1 for k in request.args}`, `dict.fromkeys(request.args, 0)`.
    Its keys in a slot of their own, `KEYS`: a read by a constant key (`flags["x"]`) gets the
    values' slot alone, while iterating it, or a read by an unknown key, joins both slots."""
    return Value(clean=EVERY_CLASS, items={ANY: values, KEYS: keys})


def members(ev: Evaluator, node: ast.expr) -> object:
    """The constants a membership test's container holds: a constant's, or a constant table's
    `keys()` / `values()` (`if target not in REDIRECTS.values()`); LISTED for a folder's listing
    (`name in os.listdir(BASE)`: the name of one of its entries, no separator, no `..`)."""
    func = node.func if isinstance(node, ast.Call) and not node.keywords else None
    if isinstance(func, ast.Attribute) and func.attr in ("keys", "values") and not node.args:
        table = ev.eval(func.value)
        if table.taint or not table.items or ANY in table.items:
            return UNKNOWN
        found = tuple(table.items) if func.attr == "keys" else tuple(v.const for v in table.items.values())
        return UNKNOWN if any(c is UNKNOWN for c in found) else found
    if func is not None and len(node.args) <= 1 and ev.qualname(func) in _LISTINGS:
        ev.eval(node)
        return LISTED
    found = ev.eval(node).const
    if found is UNKNOWN and isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        # `("", *ALLOWED)`: the constants listed, and those of each constant collection unpacked
        return _united([members(ev, e.value) if isinstance(e, ast.Starred) else (ev.eval(e).const,)
                        for e in node.elts])
    if found is UNKNOWN and isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _united([members(ev, node.left), members(ev, node.right)])  # `ALLOWED | {""}`
    return found


def _united(parts: list[object]) -> object:
    """The constants of every part, or UNKNOWN when a part holds anything else."""
    if not all(isinstance(p, (tuple, frozenset)) for p in parts):
        return UNKNOWN
    united = tuple(c for p in parts for c in p)
    return united if all(isinstance(c, (str, bytes, int)) for c in united) else UNKNOWN


LISTED = object()
KEYS = "<keys>"  # the slot of a dict's keys of unknown values (keyed_mapping)
_LISTINGS = frozenset({"os.listdir", "posix.listdir"})
