"""TomlRulesAnalyzer's whole-file checks: the calls of patterns marked `constants` that match
once their arguments are read through the module's constant bindings (constant_bindings.py),
and bandit's findings in code a literal test never runs, which it retracts (dead_branches.py).
Functions of the text and of the analyzer's index; they keep nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.analyzers.base import UnitSource
from bastion.analyzers.constant_bindings import Bindings
from bastion.analyzers.dead_branches import LITERAL_TEST, dead_regions, inside
from bastion.analyzers.matchers import Env
from bastion.model import Finding
from bastion.parsing import parse_code

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_NEVER_RUN = "never run: in the branch a test of literals does not take"


def constant_calls(candidates: Callable, report: Callable, text: str, path: str,
                   tree: ast.Module | None) -> list[Finding]:
    """`candidates(call, env)`: the analyzer's call patterns indexed under the call's names;
    `report(rule, node, statement, unit, found)` records a finding in `found`."""
    if tree is None:
        try:
            tree = parse_code(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []  # the statements are analysed one by one, and say what does not parse
    bindings = Bindings(tree)
    env = Env({}, set())
    unit = UnitSource(tree, text.splitlines(), path, None)
    found: dict[tuple[str, int], Finding] = {}
    # (node, innermost function or class body, innermost enclosing statement)
    stack: list[tuple[ast.AST, ast.AST, ast.AST | None]] = [(tree, tree, None)]
    while stack:
        node, scope, statement = stack.pop()
        kind = type(node)
        if kind is ast.Import or kind is ast.ImportFrom:
            env.add_import(node)
        elif kind is ast.Call:
            for rule, pattern in candidates(node, env):
                if not pattern.constants or (rule.id, id(node)) in found \
                        or pattern.accepts(node, env):
                    continue
                bindings.scope = scope
                env.bindings = bindings
                try:
                    if pattern.accepts(node, env):
                        report(rule, node, statement, unit, found)
                finally:
                    env.bindings = None
        inner = node if kind in _SCOPES else scope
        if isinstance(node, ast.stmt):
            statement = node
        stack.extend([(child, inner, statement) for child in reversed(list(ast.iter_child_nodes(node)))])
    return list(found.values())


def retractions(text: str, findings: list[Finding]) -> dict[int, str]:
    """Index -> why, for bandit's findings in `findings` that `text` never runs."""
    if LITERAL_TEST.search(text) is None:
        return {}
    judged = [i for i, f in enumerate(findings) if f.source == "bandit" and f.retracted is None]
    if not judged:
        return {}
    try:
        tree = parse_code(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}  # judged statement by statement, it stands
    regions = dead_regions(tree, text.splitlines())
    return {i: _NEVER_RUN for i in judged if inside(findings[i], regions)} if regions else {}
