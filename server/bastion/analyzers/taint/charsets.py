"""Strings known character by character: every character a string keeps passes a test, so the
string is safe for the sink classes a pattern of those characters proves (patterns.py):
- `all(c.isalnum() for c in name)` holds (guards.py);
- `set(name) - set(ALLOWED)` is empty, `set(name) <= set(ALLOWED)`, `set(name).issubset(ALLOWED)`
  holds (guards.py);
- `"".join(c for c in name if c.isalnum() or c in "-_")` (string_transforms.py);
- `re.sub(r"[^a-z0-9_-]", "", name)`, or with a constant replacement (`substitution`);
- `re.sub(r"[\\r\\n]+", " ", line)`: a line without line breaks is safe for a log.

A test of one character is a method of str that guards.toml models (`isalnum`, `isdigit`, ...:
each passes only characters `\\w` matches), membership in a constant string or collection of
one-character strings, equality with one, and `and` / `or` of such tests. Whole strings made of
allowed constants (`"/".join(parts)` of allowlisted parts) are not characters: they are left to
the allowlist guard.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import UNKNOWN, Value
from bastion.analyzers.taint.patterns import Compiled, cleaned_by
from bastion.deferred_patterns import deferred

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_EMPTY: frozenset[str] = frozenset()
_LOG = frozenset({"log"})
# What makes a match depend on the text around it: lookaround, anchors, back references.
_CONTEXTUAL = deferred(r"\(\?|[\^$]|\\[AZbB1-9]")
# A negated class and its repetition: `[^a-z0-9]`, `[^\w.-]+` (a `]` first in the class, or
# escaped, is part of it).
_NEGATED = deferred(r"\[\^(\]?(?:\\.|[^\]\\])*)\][+*]?")
_MAX_CHARS = 256
SUBSTITUTIONS = frozenset({"re.sub", "regex.sub"})


def kept_cleans(ev: Evaluator, test: ast.expr, var: str) -> frozenset[str]:
    """The sink classes a string proves whose every character `var` passes `test`."""
    if isinstance(test, ast.Call) and not test.args and not test.keywords \
            and isinstance(test.func, ast.Attribute) and _is(test.func.value, var):
        for model in ev.models.guards.methods.get(test.func.attr, ()):
            return model.cleans  # what `name.isdigit()` proves of the whole string
    alternatives = _classes(ev, test, var)
    if alternatives is None:
        return _EMPTY
    return cleaned_by(f"(?:{'|'.join(alternatives)})*", 0, "fullmatch")


def removed(node: ast.expr) -> tuple[ast.expr, frozenset[str]] | None:
    """`name.replace("-", "").replace("_", "")`: `name`, and what it proves to be made of word
    characters and the removed ones, as a str character test of the rest (`isalnum()`) shows
    (None: no such chain of constants removed)."""
    chars = ""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "replace" and len(node.args) == 2 and not node.keywords \
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args) \
            and node.args[0].value and node.args[1].value == "":
        chars += node.args[0].value
        node = node.func.value
    return (node, cleaned_by(rf"[\w{re.escape(chars)}]*", 0, "fullmatch")) if chars else None


def allowed_cleans(allowed: object) -> frozenset[str]:
    """What a string made of the characters of `allowed` (a constant string, or a collection
    of one-character strings) proves."""
    chars = _chars(allowed)
    return _EMPTY if chars is None else cleaned_by(f"[{chars}]*", 0, "fullmatch")


def substitution(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
                 keywords: dict[str | None, Value], receiver: Value | None
                 ) -> tuple[Value, frozenset[str]] | None:
    """`re.sub(PATTERN, REPLACEMENT, text)`, or `COMPILED.sub(REPLACEMENT, text)` of a pattern
    compiled without flags: the text and what the substitution proves of it (the sink classes
    its result is safe for); None when it proves nothing."""
    func = node.func
    if keywords:
        return None
    if name in SUBSTITUTIONS and len(args) == 3:
        pattern, (replacement, text) = args[0].const, args[1:]
    elif isinstance(func, ast.Attribute) and func.attr == "sub" and len(args) == 2:
        compiled = receiver.const if receiver is not None else None
        if isinstance(func.value, ast.Name) and func.value.id in ev.module.patterns \
                and func.value.id not in ev.env:
            compiled = Compiled(*ev.module.patterns[func.value.id])
        if not isinstance(compiled, Compiled) or compiled.flags:
            return None
        pattern, (replacement, text) = compiled.pattern, args
    else:
        return None
    cleans = substituted_cleans(pattern, replacement.const)
    if not cleans:  # `re.sub(r"[^a-z0-9]", "", name)`: only the class's characters are left
        return None
    return text, cleans


def substituted_cleans(pattern: object, replacement: object) -> frozenset[str]:
    """`re.sub(pattern, replacement, name)` with every character outside a class replaced by a
    constant: what the result proves (the class's characters and the replacement's)."""
    if not isinstance(pattern, str) or not isinstance(replacement, str):
        return _EMPTY
    negated = _NEGATED().fullmatch(pattern)
    if negated is None and _replaces_line_breaks(pattern, replacement):
        return _LOG
    if negated is None or len(replacement) > _MAX_CHARS:
        return _EMPTY
    kept = f"[{negated.group(1)}]"
    extra = _chars(replacement) if replacement else ""
    if extra is None:
        return _EMPTY
    try:
        re.compile(kept)
    except re.error:
        return _EMPTY
    return cleaned_by(f"(?:{kept}{f'|[{extra}]' if extra else ''})*", 0, "fullmatch")


def _replaces_line_breaks(pattern: str, replacement: str) -> bool:
    """`re.sub(r"[\\r\\n]+", " ", line)`, `re.sub(r"\\s+", " ", line)`: the pattern matches a
    lone CR and a lone LF wherever they are, and so replaces each (no lookaround or anchor, which
    could skip one, no empty match, which could be taken there instead) and the replacement
    writes neither (nor a group, which could put one back)."""
    if _CONTEXTUAL().search(pattern) or "\r" in replacement or "\n" in replacement \
            or "\\" in replacement:
        return False
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return compiled.fullmatch("") is None and all(compiled.fullmatch(c) for c in "\r\n")


def _classes(ev: Evaluator, test: ast.expr, var: str) -> list[str] | None:
    """Regular expressions, one of which each character passing `test` matches (None: not
    known)."""
    if isinstance(test, ast.BoolOp):
        parts = [_classes(ev, value, var) for value in test.values]
        if isinstance(test.op, ast.And):  # it passes every part: any known one bounds it
            return next((p for p in parts if p is not None), None)
        if any(p is None for p in parts):
            return None
        return [alternative for part in parts for alternative in part]
    if isinstance(test, ast.Call) and not test.args and isinstance(test.func, ast.Attribute) \
            and _is(test.func.value, var) and ev.models.guards.methods.get(test.func.attr):
        return [r"\w"]  # str's character tests pass only what `\w` matches
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and _is(test.left, var):
        other = ev.eval(test.comparators[0]).const
        if isinstance(test.ops[0], ast.In):
            chars = _chars(other)
        elif isinstance(test.ops[0], ast.Eq) and isinstance(other, str) and len(other) == 1:
            chars = _chars(other)
        else:
            return None
        return None if chars is None else [f"[{chars}]"]
    return None


def _chars(allowed: object) -> str | None:
    """The characters of `allowed`, escaped for a class (None: not a constant of characters)."""
    if allowed is UNKNOWN or isinstance(allowed, bool):
        return None
    if isinstance(allowed, str):
        chars = set(allowed)
    elif isinstance(allowed, (tuple, frozenset)) and all(
            isinstance(c, str) and len(c) == 1 for c in allowed):
        chars = set(allowed)
    else:
        return None
    if not chars or len(chars) > _MAX_CHARS:
        return None
    return "".join(re.escape(c) for c in sorted(chars))


def _is(node: ast.expr, var: str) -> bool:
    return isinstance(node, ast.Name) and node.id == var
