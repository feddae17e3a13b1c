"""`string.Template(text).substitute(...)` / `safe_substitute(...)` of a constant template: the
result holds the template's text and only the values its placeholders name (`$x`, `${x}`), as
folding.format_arguments does for `str.format`; every value a constant string folds the text.

The values come from the keywords, then from a mapping held in slots by string keys (a dict
display), as Template looks them up. Unknown (None: the caller joins every argument) for a
template that is not a constant text in the call itself, `**kwargs`, a mapping not held in
slots, or a placeholder that substitute would raise for (a missing name, an invalid `$`).
"""

from __future__ import annotations

import ast
import string
from typing import TYPE_CHECKING

from bastion.analyzers.taint.concatenation import concat
from bastion.analyzers.taint.domain import Value, constant

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

SUBSTITUTES = frozenset({"substitute", "safe_substitute"})


def template_substituted(ev: Evaluator, node: ast.Call, method: str | None, args: list[Value],
                keywords: dict[str | None, Value]) -> Value | None:
    if method not in SUBSTITUTES or not isinstance(node.func, ast.Attribute) or len(args) > 1 \
            or None in keywords:
        return None
    built = node.func.value
    if not (isinstance(built, ast.Call) and len(built.args) == 1 and not built.keywords
            and isinstance(built.args[0], ast.Constant) and isinstance(built.args[0].value, str)
            and ev.qualname(built.func) == "string.Template"):
        return None
    items = args[0].items if args else {}
    if args and (args[0].taint or not items or not all(type(key) is str for key in items)):
        return None
    template = string.Template(built.args[0].value)
    used: dict[str, Value] = {}
    for match in template.pattern.finditer(template.template):
        name = match.group("named") or match.group("braced")
        value = keywords.get(name, items.get(name)) if name else None
        if value is not None:
            used[name] = value
        elif method == "substitute" and (name or match.group("invalid") is not None):
            return None  # KeyError / ValueError: nothing is returned
    if all(isinstance(v.const, str) for v in used.values()):
        return constant(template.safe_substitute({k: v.const for k, v in used.items()}))
    return concat([constant(template.template), *used.values()])
