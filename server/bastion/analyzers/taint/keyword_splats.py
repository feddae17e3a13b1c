"""A call's `**mapping` whose keys are all known: `inner(**{"cmd": "ls", "extra": q})`, or a
dict built so (`kw = {...}; inner(**kw)`), passes each item as the keyword argument of its
name, so a summary's parameters, a sink's keyword conditions and a model's arguments see each
value apart. A mapping with a slot of unknown keys (`ANY`: `dict(request.args)`, a `**kwargs`
parameter) stays the `None` keyword every reader takes as "maybe any keyword". Every mapping
of `f(**a, **b)` passes its keywords, not the last alone. Stateless.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import ANY, Value, join

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def keyword_values(ev: Evaluator, keywords: list[ast.keyword]) -> dict[str | None, Value]:
    """A call's keyword arguments, evaluated in order, by name; its `**mapping`s spread out."""
    found: dict[str | None, Value] = {}
    mappings: list[Value] | None = None
    for keyword in keywords:
        value = ev.eval(keyword.value)
        if keyword.arg is not None:
            found[keyword.arg] = value
        elif mappings is None:
            mappings = [value]
        else:
            mappings.append(value)
    return found if mappings is None else _spread(found, mappings)


def _spread(written: dict[str | None, Value], mappings: list[Value]) -> dict[str | None, Value]:
    """The keywords written out and each `**mapping`'s: a mapping whose every key is a known
    string passes its items; any other joins the `None` keyword. A name given twice makes Python
    refuse the call (a `TypeError`, where `{**a, **b}` keeps the later value): the values join,
    and a keyword written out wins."""
    spread_out: dict[str | None, Value] = {}
    rest: Value | None = None
    for mapping in mappings:
        items = named_items(mapping)
        if items is None:
            rest = mapping if rest is None else join(rest, mapping)
            continue
        for key, value in items.items():
            spread_out[key] = join(spread_out[key], value) if key in spread_out else value
    spread_out.update(written)
    if rest is not None:
        spread_out[None] = rest
    return spread_out


def named_items(mapping: Value) -> Mapping[str, Value] | None:
    """The entries of a dict whose every key is a known string (None: any other value); the
    value's own, read only."""
    items = mapping.items
    if not items or ANY in items or not all(type(key) is str for key in items):
        return None
    return items
