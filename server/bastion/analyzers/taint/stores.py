"""Items stored into a function's containers: `d[k] = v` replaces one slot (or may replace any
when the key is not a constant), `d["a"]["b"] = v` the slot of the slot, and a ConfigParser's
`conf["s"]["k"] = v` the option `set` would (configs.py). What a nested store holds is read back
by the same keys: before, it was dropped, and `d["a"]["b"]` still read the old constant. And the
sinks a store reaches: an item's (`subscript_of`, also through an item of it changed in place:
`session["cart"].append(sku)`) or an attribute's (`attribute_of`)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint import configs
from bastion.analyzers.taint.domain import ANY, UNKNOWN, Value, elements, join
from bastion.analyzers.taint.expressions import path_of
from bastion.analyzers.taint.media_types import typed_html, typed_not_html
from bastion.analyzers.taint.results import Hit

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.statements import Interpreter


def store_hits(ev: Evaluator, sinks: list, target: ast.expr, label: str, key: Value | None,
               value: Value) -> None:
    """The sinks among `sinks` that storing `value` into `target` reaches: an item, at `key`
    (`headers["Location"] = url`; a sink with a `key` only at that key, without case), or an
    attribute, `key` None (`resp.location = url`)."""
    for sink in sinks:
        if sink.key is not None:
            if key is None or not isinstance(key.const, str) or key.const.lower() != sink.key.lower():
                continue
            stored = value.flat()
        else:
            stored = value.flat() if key is None else join(key.flat(), value.flat())
        if sink.prefix_only and not stored.prefix:
            continue  # a constant prefix fixes the host
        if sink.model == "response_type" and isinstance(target, ast.Attribute) \
                and typed_not_html(ev, target.value):
            continue  # `resp.text = body` of a response typed `text/plain`
        if sink.model == "typed_html" and not (isinstance(target, ast.Attribute)
                                               and typed_html(ev, target.value)):
            continue  # `resp.text = body` of a Falcon response not typed as a page (JSON)
        if stored.taint and sink.sink_class not in stored.clean:
            ev.hits.append(Hit(sink.sink_class, label, target, ev.statement, stored))


def item_changed(ev: Evaluator, item: ast.expr, key: Value | None, value: Value, at: ast.AST) -> None:
    """An item of a store sink's mapping changed in place (`session["cart"].append(sku)`,
    `session["cart"][sku] = 1`, `session.setdefault("cart", []).append(sku)`): `value` (and
    `key`, the item's own key written) is stored in that mapping as `session["cart"] = ...`
    stores it, for its sinks but those of one key (a response's `Location` header)."""
    root, through = item, False
    while isinstance(root, ast.Subscript) or isinstance(root, ast.Call) and isinstance(
            root.func, ast.Attribute) and root.func.attr == "setdefault":
        root, through = root.value if isinstance(root, ast.Subscript) else root.func.value, True
    if not through:
        return
    sinks = [sink for sink in ev.models.subscript_sinks.by_name(ev.qualname(root)) if sink.key is None]
    if sinks:
        store_hits(ev, sinks, at, f"{ast.unparse(root)}[...]", key, value)


def with_slot(container: Value, key: Value, value: Value) -> Value:
    """`container` after `container[key] = value`; a ConfigParser's section replaced whole
    (`conf["s"] = {...}`) may hold any option of it now."""
    if container.kind in configs.KINDS:
        return configs.section_replaced(container, key, value)
    items = elements(container)
    slot = key.const if key.const is not UNKNOWN and isinstance(key.const, (str, int)) \
        and not (type(key.const) is int and key.const < 0) else ANY
    if slot is ANY:  # any slot may be the one replaced
        items = {k: join(v, value) for k, v in items.items()}
        items.setdefault(ANY, value)
        if key.taint:  # the key the request wrote is what iterating the dict gives
            items[ANY] = join(items[ANY], key)
    else:
        items[slot] = value
    return container.evolve(items=items, const=UNKNOWN)


def store_nested(ev: Interpreter, target: ast.Subscript, key: Value, value: Value) -> None:
    """`root[k1]...[kn] = value` for a local `root` (a name or `self.field`), or an item of a
    store sink's mapping (`session["cart"][sku] = 1`)."""
    item_changed(ev, target.value, key, value, target)
    chain: list[ast.Subscript] = []  # the containers stored through, innermost last
    node = target.value
    while isinstance(node, ast.Subscript):
        chain.append(node)
        node = node.value
    root = node.id if isinstance(node, ast.Name) else path_of(node)
    if root is None or root not in ev.env:
        return
    keys = [ev.eval(sub.slice) for sub in reversed(chain)]  # outermost first
    container = ev.env[root]
    if container.kind in configs.KINDS and len(keys) == 1:
        ev.env[root] = configs.stored(container, keys[0], key, value)
        return
    layers = [container]
    for outer in keys:
        layers.append(layers[-1].item(outer.const if outer.const is not UNKNOWN
                                      and isinstance(outer.const, (str, int)) else ANY))
    stored = with_slot(layers[-1], key, value)
    for layer, outer in zip(reversed(layers[:-1]), reversed(keys), strict=True):
        stored = with_slot(layer, outer, stored)
    ev.env[root] = stored
