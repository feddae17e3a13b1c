"""A call's `**mapping` whose keys are all known: `inner(**{"cmd": "ls", "extra": q})`, or a
dict built so (`kw = {...}; inner(**kw)`), passes each item as the keyword argument of its
name, so a summary's parameters, a sink's keyword conditions and a model's arguments see each
value apart. A mapping with a slot of unknown keys (`ANY`: `dict(request.args)`, a `**kwargs`
parameter) stays the `None` keyword every reader takes as "maybe any keyword". Stateless.
"""

from __future__ import annotations

from collections.abc import Mapping

from bastion.analyzers.taint.domain import ANY, Value


def spread(keywords: dict[str | None, Value]) -> dict[str | None, Value]:
    """`keywords` with its `None` entry (the `**mapping`) replaced by the mapping's items when
    every key is a known string; a keyword written out wins (Python refuses the call anyway)."""
    items = named_items(keywords[None])
    if items is None:
        return keywords
    spread_out: dict[str | None, Value] = dict(items)
    spread_out.update((k, v) for k, v in keywords.items() if k is not None)
    return spread_out


def named_items(mapping: Value) -> Mapping[str, Value] | None:
    """The entries of a dict whose every key is a known string (None: any other value); the
    value's own, read only."""
    items = mapping.items
    if not items or ANY in items or not all(type(key) is str for key in items):
        return None
    return items
