"""Regular expression tests, read as guards: which name a test matches (`re.fullmatch(P, name)`,
`NAME_RE.match(name)`: `regex_subject`), a comparison of a test's result with None
(`none_test`), the compiled pattern an object holds on a branch (`held_pattern`), and what a
match object's groups hold (`match_value`: text the pattern matched, made of its characters,
whether or not the pattern is anchored; of kind `MATCH`, whose `string`, the whole subject,
attribute_reads.py reads as proved of nothing). guards.py
decides what such a test proves (patterns.py: what the pattern lets through) and statements.py
records the names matches are kept in; kept apart from guards.py, as it reads expressions and
refines no state.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import UNKNOWN, Value
from bastion.analyzers.taint.patterns import Compiled, cleaned_by, compiled_pattern

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

Env = dict
REGEX_TESTS = {"re.fullmatch": "fullmatch", "re.match": "match", "re.search": "search"}
_REGEX_METHODS = frozenset(REGEX_TESTS.values())
MATCH = "re.Match"  # the kind of match_value's value


def regex_subject(ev: Evaluator, call: ast.Call) -> ast.Name | None:
    """The name a regular expression test matches (`re.fullmatch(P, name)`,
    `NAME_RE.match(name)`): its result is None exactly when the test fails."""
    func = call.func
    if type(func) is not ast.Attribute or func.attr not in _REGEX_METHODS or not call.args:
        return None  # (every call assignment asks: no isinstance nor values() call)
    if ev.qualname(func) in REGEX_TESTS:
        subject = call.args[1] if len(call.args) >= 2 else None
    else:  # a compiled pattern's method (`guards._call` checks that it is one)
        subject = call.args[0]
    return subject if isinstance(subject, ast.Name) else None


def none_test(ev: Evaluator, test: ast.Compare) -> ast.expr | None:
    """The regular expression test (or the name holding its result) that `test` compares with
    None by identity, if it is one."""
    if not isinstance(test.ops[0], (ast.Is, ast.IsNot)):
        return None
    left, right = test.left, test.comparators[0]
    other = left if isinstance(right, ast.Constant) and right.value is None else \
        right if isinstance(left, ast.Constant) and left.value is None else None
    if isinstance(other, ast.Call) and regex_subject(ev, other) is not None \
            or isinstance(other, ast.Name) and other.id in ev.matched_from:
        return other
    return None


def held_pattern(ev: Evaluator, node: ast.expr, env: Env) -> Compiled | None:
    """The compiled pattern `node` holds on this branch."""
    if isinstance(node, ast.Name) and node.id in ev.module.patterns and node.id not in env:
        return Compiled(*ev.module.patterns[node.id])
    if isinstance(node, ast.Call):  # re.compile(r"[a-z]+").fullmatch(name)
        with ev.evaluating_in(env):
            compiling = ev.qualname(node.func) == "re.compile"
        found = compiled_pattern(node, ev.names) if compiling else None
        return Compiled(*found) if found is not None else None
    if not isinstance(node, (ast.Name, ast.Attribute)):  # a lookup, evaluated without effects
        return None
    with ev.evaluating_in(env):
        held = ev.eval(node).const
    return held if isinstance(held, Compiled) else None


def match_value(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
                keywords: dict[str | None, Value]) -> Value | None:
    """`re.fullmatch(r"(\\d+)-(\\d+)", text)` (or `re.match`, `re.search`, a compiled pattern's
    method) of untrusted text: a match whose groups (`m.group(1)`, `m[1]`, `m.groups()`) are
    text the pattern matched, safe for the classes none of its characters breaks; None when
    the pattern or its flags are not constants."""
    if name in REGEX_TESTS and len(args) >= 2:
        pattern, subject, flags = args[0].const, args[1], args[2] if len(args) > 2 else keywords.get("flags")
        flags = 0 if flags is None else flags.const
    elif type(node.func) is ast.Attribute and node.func.attr in _REGEX_METHODS and args \
            and not keywords and (compiled := held_pattern(ev, node.func.value, ev.env)) is not None:
        pattern, subject, flags = compiled.pattern, args[0], compiled.flags
    else:
        return None
    if not subject.taint or not isinstance(pattern, (str, bytes)) or type(flags) is not int:
        return None
    cleans = cleaned_by(pattern, flags, "fullmatch")
    return subject.evolve(clean=subject.clean | cleans, const=UNKNOWN, kind=MATCH) if cleans else None
