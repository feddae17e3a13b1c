"""Module-level tables computed from the module's own constants, folded like a literal: an
allow-list is often derived from a table of choices instead of written out
(`ALLOWED = {value for value, label in STATUS_CHOICES}`, `KEYS = PROGRAMS.keys()`,
`NAMES = frozenset(PROGRAMS)`, `ALLOWED = {c.name for c in CHOICES}` of Enum members), and a
membership test of it proves the value one of the program's as the literal's test does
(guards.py, containers.members).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.analyzers.taint.domain import UNKNOWN

# Calls whose result holds the items of their one argument (a dict's: its keys), in some order.
_COPIES = frozenset({"set", "frozenset", "tuple", "list", "sorted"})
# str methods without arguments a derived table may apply to each item (`c.lower()`)
_STR_METHODS = {"lower": str.lower, "upper": str.upper, "strip": str.strip, "casefold": str.casefold,
                "title": str.title}
_LIMIT = 4096


def derived_constant(node: ast.expr, constants: Callable[[str], object],
                     displays: dict[str, ast.expr]) -> object:
    """The constant a module-level value derived from earlier bound constants holds (a tuple, or
    a frozenset where the order is not kept), else UNKNOWN. `constants`: a name's folded
    constant, or UNKNOWN (a dict's: its keys; a look-up, not a copy of the module's table made
    at each assignment, which was quadratic in a generated module); `displays`: the list / tuple
    displays that did not fold, by name (`[Color.RED, Color.BLUE]`), whose elements an Enum
    member's `.name` reads."""
    if isinstance(node, ast.Call) and not node.keywords and len(node.args) == 1:
        func = node.func
        if isinstance(func, ast.Name) and func.id in _COPIES:
            inner = derived_constant(node.args[0], constants, displays)
            if inner is UNKNOWN and isinstance(node.args[0], ast.Name):
                inner = constants(node.args[0].id)
            return UNKNOWN if inner is UNKNOWN else frozenset(inner)
    if isinstance(node, ast.Call) and not node.keywords and not node.args \
            and isinstance(node.func, ast.Attribute) and node.func.attr == "keys" \
            and isinstance(node.func.value, ast.Name):
        return constants(node.func.value.id)  # a folded dict is its keys
    if isinstance(node, (ast.SetComp, ast.ListComp, ast.GeneratorExp)) and len(node.generators) == 1:
        return _comprehension(node, constants, displays)
    return UNKNOWN


def _comprehension(node: ast.SetComp | ast.ListComp | ast.GeneratorExp,
                   constants: Callable[[str], object], displays: dict[str, ast.expr]) -> object:
    loop = node.generators[0]
    if loop.ifs or loop.is_async or not isinstance(loop.iter, ast.Name):
        return UNKNOWN
    items: list[object]
    table = constants(loop.iter.id)
    if table is not UNKNOWN:
        items = list(table) if isinstance(table, (tuple, frozenset)) else []
    elif loop.iter.id in displays:
        items = [_member(e) for e in displays[loop.iter.id].elts]  # type: ignore[attr-defined]
    else:
        return UNKNOWN
    if not items or len(items) > _LIMIT:
        return UNKNOWN
    found = []
    for item in items:
        bound = _unpacked(loop.target, item)
        value = UNKNOWN if bound is None else _element(node.elt, bound)
        if value is UNKNOWN:
            return UNKNOWN
        found.append(value)
    return frozenset(found) if isinstance(node, ast.SetComp) else tuple(found)


class _Member:
    """An Enum member written `Color.RED` in a display: its `.name` is the attribute's name."""

    def __init__(self, name: str) -> None:
        self.name = name


def _member(node: ast.expr) -> object:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return _Member(node.attr)
    return UNKNOWN


def _unpacked(target: ast.expr, item: object) -> dict[str, object] | None:
    if isinstance(target, ast.Name):
        return {target.id: item}
    if isinstance(target, ast.Tuple) and isinstance(item, tuple) and len(item) == len(target.elts):
        bound: dict[str, object] = {}
        for part, value in zip(target.elts, item, strict=True):
            inner = _unpacked(part, value)
            if inner is None:
                return None
            bound.update(inner)
        return bound
    return None


def _element(node: ast.expr, bound: dict[str, object]) -> object:
    """The comprehension's element for one item: the loop's names, a constant index of them,
    an Enum member's `.name`, a plain str method."""
    if isinstance(node, ast.Name):
        value = bound.get(node.id, UNKNOWN)
        return value if isinstance(value, (str, int, bytes, tuple)) else UNKNOWN
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
            and isinstance(node.slice.value, int):
        inner = _element(node.value, bound)
        if isinstance(inner, tuple) and -len(inner) <= node.slice.value < len(inner):
            return inner[node.slice.value]
        return UNKNOWN
    if isinstance(node, ast.Attribute) and node.attr == "name" and isinstance(node.value, ast.Name):
        member = bound.get(node.value.id)
        return member.name if isinstance(member, _Member) else UNKNOWN
    if isinstance(node, ast.Call) and not node.args and not node.keywords \
            and isinstance(node.func, ast.Attribute) and node.func.attr in _STR_METHODS:
        inner = _element(node.func.value, bound)
        return _STR_METHODS[node.func.attr](inner) if isinstance(inner, str) else UNKNOWN
    return UNKNOWN
