"""A getter's declared conversion: Werkzeug's `request.args.get("page", type=int)` (and
`getlist("id", type=int)`) returns the converter's result or the default, so a converter safe for
every class (`int`, `uuid.UUID`, an Enum of the module: one of its members) makes the read safe
(calls.py asks it of `get` and `getlist` calls)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def converts(ev: Evaluator, node: ast.Call, method: str) -> bool:
    """`type=` (or, to `get`, the third argument: `get("n", 0, int)`) names a conversion whose
    result is safe for every class (`int`, `uuid.UUID`, an Enum of the module: one of its members)."""
    converter = node.args[2] if len(node.args) == 3 and method == "get" else None
    for keyword in node.keywords:  # the first `type=`, in a loop: no generator's frame a call
        if keyword.arg == "type":
            converter = keyword.value
            break
    if converter is None:
        return False
    if type(converter) is ast.Name and converter.id in ev.module.enums and converter.id not in ev.env:
        return True
    return any(m.cleans == EVERY_CLASS for m in ev.models.sanitizers.by_name(ev.qualname(converter)))
