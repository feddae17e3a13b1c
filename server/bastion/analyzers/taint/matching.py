"""`match` statements: whether a case pattern can match a subject whose constant is known (the
cases the interpreter can prune), what a subject holds in a case of constants, and what each name
a pattern captures holds of the subject."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, UNKNOWN, Value, constant, join, join_all
from bastion.analyzers.taint.expressions import path_of

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def case_matches(pattern: ast.pattern, subject: Value) -> bool | None:
    """True: matches whatever the subject; False: cannot match this constant subject."""
    if isinstance(pattern, ast.MatchAs) and pattern.pattern is None:
        return True
    if isinstance(pattern, ast.MatchValue) and isinstance(pattern.value, ast.Constant):
        if subject.const is UNKNOWN:
            return None
        return subject.const == pattern.value.value
    if isinstance(pattern, ast.MatchSingleton):
        return None if subject.const is UNKNOWN else subject.const is pattern.value
    if isinstance(pattern, ast.MatchOr):
        results = [case_matches(p, subject) for p in pattern.patterns]
        if any(r is True for r in results):
            return True
        return False if all(r is False for r in results) else None
    return None


def matched_value(pattern: ast.pattern) -> Value | None:
    """What the subject is in a case of constants (`case "png" | "jpg":`): one of them."""
    options = pattern.patterns if isinstance(pattern, ast.MatchOr) else [pattern]
    if not all(isinstance(p, ast.MatchValue) and isinstance(p.value, ast.Constant)
               for p in options):
        return None
    return join_all([constant(p.value.value) for p in options])


def captures(ev: Evaluator, pattern: ast.pattern, subject: Value, node: ast.expr) -> dict[str, Value]:
    """The names `pattern` binds, each to what it holds of `subject` (the value of `node`): an
    element of a sequence pattern, a mapping pattern's value under its constant key, a class
    pattern's keyword attribute (read on `node` when it is a name or a path of attributes), a
    constant a value pattern captured (`case {"cmd": "ls" as cmd}`); else the whole subject."""
    out: dict[str, Value] = {}
    _capture(pattern, subject, out, ev if isinstance(node, ast.Name) or path_of(node) else None, node)
    return out


def _capture(pattern: ast.pattern, subject: Value, out: dict[str, Value], ev: Evaluator | None,
             node: ast.expr) -> None:
    """Add what `pattern`'s names hold to `out`; `ev` reads `node`'s attributes, None when the
    subject is an element whose attributes are not followed (its whole value then)."""
    if isinstance(pattern, ast.MatchAs):
        if pattern.pattern is not None:
            _capture(pattern.pattern, subject, out, ev, node)
        if pattern.name:
            held = matched_value(pattern.pattern) if pattern.pattern is not None else None
            out[pattern.name] = subject if held is None else held
    elif isinstance(pattern, ast.MatchOr):
        for option in pattern.patterns:  # each option binds the same names
            one: dict[str, Value] = {}
            _capture(option, subject, one, ev, node)
            for name, value in one.items():
                out[name] = join(out[name], value) if name in out else value
    elif isinstance(pattern, ast.MatchSequence):
        star = next((i for i, p in enumerate(pattern.patterns) if isinstance(p, ast.MatchStar)), None)
        for index, element in enumerate(pattern.patterns):
            if isinstance(element, ast.MatchStar):
                if element.name:
                    out[element.name] = Value(clean=EVERY_CLASS, items={ANY: subject.item(ANY)})
                continue
            # after a star, counted from the end: `case [*_, last]`
            key = index if star is None or index < star else index - len(pattern.patterns)
            _capture(element, subject.item(key), out, None, node)
    elif isinstance(pattern, ast.MatchMapping):
        for key, element in zip(pattern.keys, pattern.patterns, strict=True):
            slot = subject.item(key.value if isinstance(key, ast.Constant) else ANY)
            _capture(element, slot, out, None, node)
        if pattern.rest:
            out[pattern.rest] = subject
    elif isinstance(pattern, ast.MatchClass):
        for element in pattern.patterns:  # positional: the class's __match_args__ are not read
            _capture(element, subject, out, None, node)
        for attr, element in zip(pattern.kwd_attrs, pattern.kwd_patterns, strict=True):
            read = subject if ev is None else ev.eval(
                ast.copy_location(ast.Attribute(node, attr, ast.Load()), node))
            _capture(element, read, out, None, node)
