"""What a Markup string's operators build: markupsafe's `Markup` escapes for HTML what `%`
inserts into it and what `+` adds to it on either side (`Markup("<br>") + name` is
`Markup("<br>") + escape(name)`, and `name + Markup("<br>")` the same), so the result is safe
markup whatever request data the other side holds. `.format` and `.join` are method_calls.py's.
A Markup built from request data is reported where it is built (a `markupsafe.Markup` sink)."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.concatenation import concat
from bastion.analyzers.taint.domain import MARKUP_KINDS, Value


def markup_operation(op: ast.operator, left: Value, right: Value) -> Value | None:
    """The value of `left op right` when a side is a Markup the request did not write (None
    otherwise: the operator's own rules apply)."""
    if isinstance(op, ast.Mod) and _markup(left):
        inserted = concat(list(right.items.values()) if right.items else [right])
        return inserted.evolve(clean=inserted.clean | {"html"}, kind=left.kind)
    if not isinstance(op, ast.Add) or not (_markup(left) or _markup(right)):
        return None
    markup = left if _markup(left) else right
    parts = [side if _markup(side) else side.evolve(clean=side.clean | {"html"})
             for side in (left, right)]
    return concat(parts).evolve(kind=markup.kind)


def _markup(value: Value) -> bool:
    return value.kind in MARKUP_KINDS and not value.taint
