"""Constant folding: binary operators and comparisons on known constants, bounded in size (a
string or number too large to be a useful constant is not one), truth values, and loops known
to run. The `Evaluator`'s `and` / `or`, unary operators and comparisons are here too (assigned
as its `e_` methods): they are that folding, with a safe or joined value when it cannot fold."""

from __future__ import annotations

import ast
import operator
import re
import string
from typing import TYPE_CHECKING

from bastion.analyzers.taint import domain
from bastion.analyzers.taint.argv import alternative_programs
from bastion.analyzers.taint.domain import CLEAN, EVERY_CLASS, SAFE, UNKNOWN, Value, constant, join
from bastion.deferred_patterns import deferred

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# The `string` module's constants, read as allow-lists of characters (`set(name) <= set(
# string.ascii_letters)`, charsets.py);
# `sys.executable`, the interpreter running the program, is known by its kind (its path is the
# machine's, not the request's: `[sys.executable, "-m", "pip", "--version"]` runs nothing of the
# sender's): argv.py reads it as `python`, whose `-c` runs the next argument as code.
# The signed-in user's key (Django's `request.user.id` / `.pk`, also a class-based view's; Flask-
# Login's `current_user.id`): the database's number for the row the session names, not text,
# unless the module's own user model keys users by text (user_keys.py).
DJANGO_USER_KEYS = frozenset(f"{request}.user.{key}" for request in (
    "django.http.HttpRequest", "django.views.View.request") for key in ("id", "pk"))
FLASK_LOGIN_USER_KEYS = frozenset({"flask_login.current_user.id"})
KNOWN_ATTRIBUTES = {**{f"string.{name}": constant(getattr(string, name)) for name in (
    "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits",
    "punctuation", "whitespace", "printable")},
    "sys.executable": Value(clean=EVERY_CLASS, kind="sys.executable", known=True),
    **dict.fromkeys(DJANGO_USER_KEYS | FLASK_LOGIN_USER_KEYS, SAFE)}
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
             ast.Mod: operator.mod, ast.FloorDiv: operator.floordiv, ast.Div: operator.truediv,
             ast.BitOr: operator.or_, ast.BitAnd: operator.and_, ast.BitXor: operator.xor}
COMPARISONS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b, ast.Is: operator.is_, ast.IsNot: operator.is_not}
_MAX_CONST = 10_000
# One %-conversion of a format string: mapping key, flags, width, precision, length, type.
CONVERSION = deferred(r"%(\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)")
# Conversions that format a number, and refuse anything else (TypeError): digits, a sign, a point,
# an exponent, `inf` or `nan`, which break no command, path, query or markup.
_NUMERIC = frozenset("diouxXeEfFgG")
_NUMBER = Value(clean=EVERY_CLASS, known=True)
# What `repr()` writes (`%r`, `%a`, an f-string's `!r` / `!a`): a Python literal of the text, its
# quotes and line breaks escaped, so it forges no log line and, evaluated, is that text again
# (not SQL's: a quote inside is escaped with a backslash, which SQL does not read so)
REPR_CLEANS = frozenset({"log", "code"})
_REPRS = frozenset("ra")


def conversions(text: str) -> list[re.Match] | None:
    """The conversions of a %-format, None when its arguments do not line up with them one to
    one (a `*` width or precision takes one more)."""
    found = [m for m in CONVERSION().finditer(text) if m.group(4) != "%"]
    return None if any(m.group(2) == "*" or m.group(3) == "*" for m in found) else found


def formatted(text: str, right: ast.expr, value: Value) -> list[Value] | None:
    """The values `text % right` writes, a number for a numeric conversion; None when they
    cannot be told apart (a tuple held by a name, a mapping key missing)."""
    found = conversions(text)
    if found is None:
        return None
    if isinstance(right, ast.Tuple) and value.items is not None and len(right.elts) == len(found) \
            and not any(m.group(1) for m in found) and all(i in value.items for i in range(len(found))):
        parts = [value.items[i] for i in range(len(found))]
    elif isinstance(right, ast.Dict) and value.items is not None and found \
            and all(m.group(1) and m.group(1)[1:-1] in value.items for m in found):
        parts = [value.items[m.group(1)[1:-1]] for m in found]
    elif len(found) == 1 and not found[0].group(1) and value.items is None:
        parts = [value]
    else:
        return None
    return [_NUMBER if m.group(4) in _NUMERIC else part.evolve(clean=part.clean | REPR_CLEANS)
            if m.group(4) in _REPRS and part.taint else part for m, part in zip(found, parts, strict=True)]


def before_fields(template: Value, values: list[Value], braces: bool) -> Value:
    """`template` cut at its first placeholder when a tainted value goes into it: the text before
    it decides a URL's host (`"https://%s/x" % host` leaves it open, `"https://a.example/%s"`
    fixes it), the text after it decides nothing."""
    text = template.const
    if not isinstance(text, str) or not any(v.taint for v in values):
        return template
    if not braces:
        head = next((text[:m.start()] for m in CONVERSION().finditer(text) if m.group(4) != "%"), None)
        return template if head is None else constant(head)
    literal = []
    try:
        for text_before, field, _spec, _conversion in string.Formatter().parse(text):
            literal.append(text_before)
            if field is not None:
                return constant("".join(literal))
    except ValueError:  # a malformed template: `format` raises
        pass
    return template


def format_arguments(template: Value, args: list[Value],
                     keywords: dict[str | None, Value]) -> list[Value] | None:
    """The arguments a constant `template.format(...)` puts into its text, in field order:
    `"{0}".format(safe, data)` uses `safe` only (the others are never read), `"{0.host}"` the
    slot `host` of its argument where it holds one (`_accessed`); None when that is
    not known (not a constant, `**kwargs`, a nested field in a format spec, a malformed
    template, a field naming no argument: `format` raises)."""
    if not isinstance(template.const, str) or None in keywords:
        return None
    used, auto = [], 0
    try:
        for _text, field, spec, _conversion in string.Formatter().parse(template.const):
            if field is None:
                continue
            if spec and "{" in spec:
                return None
            head = _FIELD_HEAD().match(field).group()
            if not head:
                head, auto = str(auto), auto + 1
            value = (args[int(head)] if int(head) < len(args) else None) if head.isdecimal() \
                else keywords.get(head)
            if value is None:
                return None
            used.append(_accessed(value, field[len(head):]))
    except ValueError:
        return None
    return used


def _accessed(value: Value, accessors: str) -> Value:
    """The part of `value` a field's `.name` / `[key]` accessors read (`{0.host}`, `{0[1]}`),
    while each is a slot the value holds; the whole value past one it may not."""
    for name, key in _ACCESSOR().findall(accessors):
        slot = name or (int(key) if key.isdecimal() else key)
        if not value.items or slot not in value.items:
            return value
        value = value.items[slot]
    return value


def mapped_fields(template: Value, args: list[Value]) -> list[Value] | None:
    """The values a constant `template.format_map(mapping)` puts into its text, for a mapping
    held in slots by string keys (a dict display); None otherwise."""
    items = args[0].items if len(args) == 1 and not args[0].taint else None
    if not items or not all(type(key) is str for key in items):
        return None
    return format_arguments(template, [], dict(items))


_FIELD_HEAD = deferred(r"[^.\[]*")  # the argument a field names: `0` of `0.name`, `user` of `user[id]`
_ACCESSOR = deferred(r"\.([^.\[]+)|\[([^\]]+)\]")  # as string.Formatter reads a field's rest


def percent_parts(left: Value, right: ast.expr, value: Value) -> list[Value]:
    """The parts of `left % right` in order: the template (up to its first placeholder when a
    tainted value goes in, before_fields), then the values it writes."""
    values = (formatted(left.const, right, value) if isinstance(left.const, str) else None) \
        or (list(value.items.values()) if value.items else [value])
    return [before_fields(left, values, False), *values]


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


def not_empty(ev: Evaluator, node: ast.expr, iterated: Value) -> bool:
    """Whether a loop's iterable (`node`, evaluated to `iterated`) is known to hold something:
    a non-empty constant string or tuple, or a `range` of constant numbers that is not empty."""
    if isinstance(iterated.const, (str, bytes, tuple)):
        return bool(iterated.const)
    if isinstance(node, ast.Call) and ev.qualname(node.func) in ("range", "builtins.range") \
            and 1 <= len(node.args) <= 3 and not node.keywords:
        bounds = [ev.eval(arg).const for arg in node.args]
        if all(type(b) is int for b in bounds) and (len(bounds) < 3 or bounds[2] != 0):
            return bool(range(*bounds))
    return False


def bool_op(ev: Evaluator, node: ast.BoolOp) -> Value:
    values = [ev.eval(v) for v in node.values]
    truths = [truth_of(v) for v in values]
    want = isinstance(node.op, ast.Or)
    for value, truth in zip(values, truths, strict=True):
        if truth is None:
            break
        if truth == want:
            return value
    else:
        return values[-1]
    out = values[0]
    for value in values[1:]:
        out = join(out, value)
    if out.kind is None and out.const is UNKNOWN and (kind := alternative_programs(values)):
        return out.evolve(kind=kind)  # `shutil.which("python3") or sys.executable`
    return out


def unary_op(ev: Evaluator, node: ast.UnaryOp) -> Value:
    value = ev.eval(node.operand)
    if isinstance(node.op, ast.Not):
        truth = truth_of(value)
        return constant(not truth) if truth is not None else SAFE
    if value.const is not UNKNOWN and isinstance(value.const, (int, float)):
        try:
            return constant(-value.const if isinstance(node.op, ast.USub) else value.const)
        except TypeError:
            return CLEAN
    return CLEAN if not value.taint else value


def compare(ev: Evaluator, node: ast.Compare) -> Value:
    values = [ev.eval(node.left), *map(ev.eval, node.comparators)]  # no generator's frame
    if domain.constants_known(values):
        try:
            result = all(COMPARISONS[type(op)](a.const, b.const) for op, a, b in
                         zip(node.ops, values, values[1:], strict=False))
            return constant(bool(result))
        except Exception:  # noqa: BLE001 - an incomparable constant pair is unknown
            return SAFE
    return SAFE
