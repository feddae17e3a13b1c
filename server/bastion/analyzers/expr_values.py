"""What an expression is, as far as its text tells: a literal, a formatted string, its literal
text, the names it is made of, what it references, a dict's item, a constant integer. The
`[match]` conditions (`match_compile.py`) ask these questions of the nodes they test."""

from __future__ import annotations

import ast
import re
import stat
from collections.abc import Iterable

from bastion.analyzers.matchers import Env

_CONSTANT_NAME = re.compile(r"_*[A-Z][A-Z0-9_]*")


def is_literal(node: ast.AST, loose: bool = False) -> bool:
    """A constant or a container of constants; `loose` also accepts UPPER_CASE constant names."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(is_literal(e, loose) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_literal(k, loose) for k in node.keys) and all(
            is_literal(v, loose) for v in node.values)
    if isinstance(node, ast.BinOp):
        return is_literal(node.left, loose) and is_literal(node.right, loose)
    if isinstance(node, ast.UnaryOp):
        return is_literal(node.operand, loose)
    if loose and isinstance(node, ast.Name):
        return _CONSTANT_NAME.fullmatch(node.id) is not None
    if loose and isinstance(node, ast.Attribute):
        return _CONSTANT_NAME.fullmatch(node.attr) is not None
    if loose and isinstance(node, ast.JoinedStr):
        return not is_formatted(node)
    return False


def is_formatted(node: ast.AST) -> bool:
    """A string built from non-literal parts: f-string, `.format()`, `%` or `+` concatenation."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) and not is_literal(v.value, True)
                   for v in node.values)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return any(isinstance(a, ast.Starred) or not is_literal(a, True)
                       for a in node.args) or any(
                k.arg is None or not is_literal(k.value, True) for k in node.keywords)
        return False
    if not isinstance(node, ast.BinOp):
        return False
    if isinstance(node.op, ast.Mod):
        left = node.left
        stringish = (isinstance(left, (ast.Name, ast.Attribute, ast.JoinedStr))
                     or (isinstance(left, ast.Constant) and isinstance(left.value, str))
                     or is_formatted(left))
        return stringish and not is_literal(node.right, True)
    if isinstance(node.op, ast.Add):
        parts = _add_chain(node)
        has_string = any((isinstance(p, ast.Constant) and isinstance(p.value, str))
                         or isinstance(p, ast.JoinedStr) or is_formatted(p) for p in parts)
        return has_string and any(not is_literal(p, True) for p in parts)
    return False


def _add_chain(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _add_chain(node.left) + _add_chain(node.right)
    return [node]


def literal_text(node: ast.AST) -> str | None:
    """The literal text of a string expression, as bandit's B608 sees it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in ("format", "replace"):
        return literal_text(node.func.value)
    if isinstance(node, ast.BinOp):
        bits: list[str] = []
        stack: list[ast.AST] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.BinOp):
                stack.extend((item.right, item.left))
            elif isinstance(item, ast.Constant) and isinstance(item.value, str):
                bits.append(item.value)
        return " ".join(bits)
    return None


def contains_string(node: ast.AST, wanted: frozenset[str]) -> bool:
    items = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else [node]
    return any(isinstance(i, ast.Constant) and isinstance(i.value, str)
               and i.value.casefold() in wanted for i in items)


_TRANSPARENT_CALLS = frozenset({"str", "bytes", "bytearray", "repr", "format", "encode", "decode",
                                "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "join"})


def identifiers(node: ast.AST) -> Iterable[str]:
    """The names a value is made of: a variable, the last attribute of a chain (`user.password`,
    not `token.expires_at`), a string key (`form["password"]`); not the arguments of a call
    (`len(token)`, `mask(password)`), except conversions and string methods (`str(x)`,
    `x.strip().encode()`)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Name):
            yield item.id
        elif isinstance(item, ast.Attribute):
            yield item.attr
        elif isinstance(item, ast.Subscript):
            key = item.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value
            else:
                stack.append(item.value)
        elif isinstance(item, ast.Call):
            func = item.func
            if isinstance(func, ast.Attribute) and func.attr in _TRANSPARENT_CALLS:
                stack.append(func.value)
                stack.extend(item.args)
            elif isinstance(func, ast.Name) and func.id in _TRANSPARENT_CALLS:
                stack.extend(item.args)
        elif isinstance(item, (ast.expr, ast.FormattedValue)):
            stack.extend(ast.iter_child_nodes(item))


def references(node: ast.AST, env: Env, prefixes: tuple[str, ...]) -> bool:
    for item in ast.walk(node):
        if isinstance(item, (ast.Name, ast.Attribute)):
            name = env.qualname(item)
            if name and any(name == p or name.startswith(p + ".") for p in prefixes):
                return True
    return False


def dict_item(node: ast.AST, key: str) -> ast.expr | None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for keyword in node.keywords:
            if keyword.arg == key:
                return keyword.value
    return None


def int_value(node: ast.AST, env: Env | None = None) -> int | None:
    """An integer the expression always has: constants, `stat.S_I*` flags, `|`, `+`, `*`, `**`."""
    if isinstance(node, ast.Constant):
        value = node.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = env.qualname(node) if env is not None else None
        if name and name.startswith("stat.S_I") and name.count(".") == 1:
            value = getattr(stat, name[5:], None)
            return value if isinstance(value, int) else None
        return None
    if isinstance(node, ast.BinOp):
        left, right = int_value(node.left, env), int_value(node.right, env)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.BitOr):
            return left | right
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Pow) and 0 <= right <= 64 and abs(left) <= 1 << 16:
            return left ** right
    return None
