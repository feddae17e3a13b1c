"""TomlRulesAnalyzer's whole-file checks: the calls of patterns marked `constants` that match
once their arguments are read through the module's constant bindings (constant_bindings.py),
and bandit's findings in code a literal test never runs (dead_branches.py) or at a `yaml.load`
given a loader bound to a safe one, which it retracts.
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
from bastion.model.text import byte_to_char_col, line_at
from bastion.parsing import parse_code

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_NEVER_RUN = "never run: in the branch a test of literals does not take"
_SAFE_LOADER = "the loader it is given is bound to one of PyYAML's safe loaders"
_SAFE_YAML_LOADERS = frozenset({"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader",
                                "yaml.CBaseLoader"})


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
    """Index -> why, for bandit's findings in `findings` that `text` never runs, and its
    `yaml.load` findings whose loader is bound to a safe one."""
    dead_code, loaders = LITERAL_TEST.search(text) is not None, "Loader" in text
    if not dead_code and not loaders:
        return {}
    judged = [i for i, f in enumerate(findings) if f.source == "bandit" and f.retracted is None]
    if not judged:
        return {}
    try:
        tree = parse_code(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}  # judged statement by statement, it stands
    lines = text.splitlines()
    regions = dead_regions(tree, lines) if dead_code else []
    why = {i: _NEVER_RUN for i in judged if inside(findings[i], regions)} if regions else {}
    loads = [i for i in judged if findings[i].rule_id == "B506" and i not in why] if loaders else []
    if loads:
        why.update(dict.fromkeys(safe_loads(tree, lines, [findings[i] for i in loads], loads),
                                 _SAFE_LOADER))
    return why


def safe_loads(tree: ast.Module, lines: list[str], found: list[Finding], indexes: list[int]) -> list[int]:
    """The `indexes` of the `yaml.load` findings `found` whose `Loader` (keyword or second
    argument) is bound to one of PyYAML's safe loaders: `loader = yaml.SafeLoader`, a module
    constant, a dict entry, a ternary on a literal test."""
    at = {(f.span.start_line, f.span.start_col): index for f, index in zip(found, indexes, strict=True)}
    bindings = Bindings(tree)
    env = Env({}, set())
    safe = []
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
    while stack:
        node, scope = stack.pop()
        kind = type(node)
        if kind is ast.Import or kind is ast.ImportFrom:
            env.add_import(node)
        elif kind is ast.Call:
            line = node.lineno - 1
            index = at.get((line, byte_to_char_col(line_at(lines, line), node.col_offset)))
            loader = next((k.value for k in node.keywords if k.arg == "Loader"),
                          node.args[1] if len(node.args) > 1 else None)
            if index is not None and loader is not None:
                bindings.scope = scope
                if env.qualname(bindings.resolve(loader)) in _SAFE_YAML_LOADERS:
                    safe.append(index)
        inner = node if kind in _SCOPES else scope
        stack.extend([(child, inner) for child in reversed(list(ast.iter_child_nodes(node)))])
    return safe
