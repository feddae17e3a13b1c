"""A response filled after it is built, as Django's documentation fills one (`response =
HttpResponse()`, then `response.write("<p>...</p>")`): what is written is its body, a page
unless the function gives the response a constant Content-Type no browser renders as one, when
it is built (`HttpResponse(content_type="text/csv")`, also second) or after
(`response["Content-Type"] = "text/plain"`, `response.headers[...]`). Apart from sinks.py,
whose calls are judged by their own arguments: here the receiver's binding decides."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.read_ahead import whole_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def renders_as_page(media_type: str) -> bool:
    return "html" in media_type.lower() or "xml" in media_type.lower()


def written_not_html(ev: Evaluator, node: ast.Call) -> bool:
    """`name.write(text)` where the function types `name` with constants none of them HTML."""
    function = whole_function(ev)
    func = node.func
    if function is None or not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return False
    name = func.value.id
    declared: list[object] = []
    for item in ast.walk(function.node):
        if not isinstance(item, ast.Assign) or len(item.targets) != 1:
            continue
        target, value = item.targets[0], item.value
        if isinstance(target, ast.Name) and target.id == name and isinstance(value, ast.Call):
            given = [k.value for k in value.keywords if k.arg == "content_type"] + value.args[1:2]
            declared += [g.value if isinstance(g, ast.Constant) else None for g in given]
        elif _types(target, name):
            declared.append(value.value if isinstance(value, ast.Constant) else None)
    return bool(declared) and all(isinstance(d, str) and not renders_as_page(d) for d in declared)


def _types(target: ast.expr, name: str) -> bool:
    """`name["Content-Type"]` or `name.headers["Content-Type"]`, the key without case."""
    if not isinstance(target, ast.Subscript) or not isinstance(target.slice, ast.Constant) \
            or str(target.slice.value).lower() != "content-type":
        return False
    held = target.value
    if isinstance(held, ast.Attribute) and held.attr == "headers":
        held = held.value
    return isinstance(held, ast.Name) and held.id == name
