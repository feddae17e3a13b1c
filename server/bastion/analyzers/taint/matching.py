"""`match` statements: whether a case pattern can match a subject whose constant is known (the
cases the interpreter can prune), what a subject holds in a case of constants, and the names a
pattern captures."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.domain import UNKNOWN, Value, constant, join_all


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


def captures(pattern: ast.pattern) -> list[str]:
    return [n.name for n in ast.walk(pattern) if isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name] + [
        n.rest for n in ast.walk(pattern) if isinstance(n, ast.MatchMapping) and n.rest]
