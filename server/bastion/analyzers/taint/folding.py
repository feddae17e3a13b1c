"""Constant folding: binary operators and comparisons on known constants, bounded in size (a
string or number too large to be a useful constant is not one), and truth values."""

from __future__ import annotations

import ast
import operator

from bastion.analyzers.taint.domain import UNKNOWN, Value

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
             ast.Mod: operator.mod, ast.FloorDiv: operator.floordiv, ast.Div: operator.truediv,
             ast.BitOr: operator.or_, ast.BitAnd: operator.and_, ast.BitXor: operator.xor}
COMPARISONS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b, ast.Is: operator.is_, ast.IsNot: operator.is_not}
_MAX_CONST = 10_000


def hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def truth_of(value: Value) -> bool | None:
    if value.const is UNKNOWN:
        return None
    try:
        return bool(value.const)
    except Exception:  # noqa: BLE001
        return None


def fold_binary(op: type, left: object, right: object) -> object:
    function = _OPERATORS.get(op)
    if function is None:
        return UNKNOWN
    if op is ast.Mult and isinstance(left, (str, bytes, tuple)) + isinstance(right, (str, bytes, tuple)):
        count = right if isinstance(right, int) else left
        if not isinstance(count, int) or count * 64 > _MAX_CONST:
            return UNKNOWN
    try:
        result = function(left, right)
    except Exception:  # noqa: BLE001 - 1 // 0, "a" - 1: not a constant
        return UNKNOWN
    if isinstance(result, (str, bytes)) and len(result) > _MAX_CONST:
        return UNKNOWN
    if isinstance(result, int) and result.bit_length() > 256:
        return UNKNOWN
    return result
