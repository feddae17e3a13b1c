"""TomlRulesAnalyzer's whole-file checks: the calls of patterns marked `constants` that match
once their arguments are read through the module's constant bindings (constant_bindings.py),
and bandit's findings in code a literal test never runs (dead_branches.py) or at a `yaml.load`
given a loader bound to a safe one, which it retracts.
Functions of the text and of the analyzer's index; they keep nothing.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Callable

from bastion.analyzers.base import UnitSource
from bastion.analyzers.constant_bindings import Bindings
from bastion.analyzers.dead_branches import LITERAL_TEST, dead_regions, inside
from bastion.analyzers.matchers import Env
from bastion.model import Finding
from bastion.model.text import byte_to_char_col, line_at
from bastion.parsing import parse_code

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# the arguments constant bindings can stand for (constant_bindings.Bindings.resolve)
_RESOLVABLE = frozenset({ast.Name, ast.Attribute, ast.Subscript, ast.IfExp})
# the nodes that hold no call: contexts and operators
_LEAVES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
_NEVER_RUN = "never run: in the branch a test of literals does not take"
_SAFE_LOADER = "the loader it is given is bound to one of PyYAML's safe loaders"
_SAFE_YAML_LOADERS = frozenset({"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader",
                                "yaml.CBaseLoader"})


def constant_calls(candidates: Callable, report: Callable, calls: re.Pattern, text: str, path: str,
                   tree: ast.Module | None) -> list[Finding]:
    """`candidates(call, env)`: the analyzer's call patterns indexed under the call's names;
    `report(rule, node, statement, unit, found)` records a finding in `found`; `calls`: their
    names before a `(`. Only the statements holding one of those are walked."""
    lines = sorted({text.count("\n", 0, match.start()) + 1 for match in calls.finditer(text)})
    if not lines:
        return []
    if tree is None:
        try:
            tree = parse_code(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []  # the statements are analysed one by one, and say what does not parse
    bindings = None  # made for the first call that needs it: most calls match as written or not at all
    env = Env({}, set())
    for statement in tree.body:  # the module's imports, wherever the calls are
        if type(statement) is ast.Import or type(statement) is ast.ImportFrom:
            env.add_import(statement)
    unit = UnitSource(tree, text.splitlines(), path, None)
    found: dict[tuple[str, int], Finding] = {}
    for call, chain, statement in _calls_on(tree, lines, env):
        if not (any(type(a) in _RESOLVABLE for a in call.args)
                or any(type(k.value) in _RESOLVABLE for k in call.keywords)):
            continue  # every argument is written out: the statements' walk judged the call
        for rule, pattern in candidates(call, env):
            if not pattern.constants or (rule.id, id(call)) in found or pattern.accepts(call, env):
                continue
            if bindings is None:
                bindings = Bindings(tree, text)
            bindings.chain = chain
            env.bindings = bindings
            try:
                if pattern.accepts(call, env):
                    report(rule, call, statement, unit, found)
            finally:
                env.bindings = None
    return list(found.values())


def _calls_on(tree: ast.Module, lines: list[int], env: Env):
    """Each call in the statements spanning one of `lines` (1-based, sorted), with its chain of
    scopes (innermost first) and its innermost statement; imports met on the way are folded
    into `env`. A block's statements holding those lines are found by bisection: a file's other
    statements cost nothing (one keystroke's pass reads one call of a long module)."""
    stack: list[tuple[ast.AST, tuple, ast.AST | None]] = [(tree, (tree,), None)]
    while stack:
        node, chain, statement = stack.pop()
        kind = type(node)
        if kind is ast.Call:
            yield node, chain, statement
        elif (kind is ast.Import or kind is ast.ImportFrom) and statement is not None:
            env.add_import(node)
        inner = (node, *chain) if kind in _SCOPES else chain
        if type(node).__mro__[1] is ast.stmt:
            statement = node
        # The fields read from the node's dict and told apart by their types' bases: no call per
        # field or node (iter_fields and isinstance made 60 of a keystroke's ~200 calls here).
        fields, children = node.__dict__, []
        for field in node._fields:
            value = fields[field] if field in fields else None
            if type(value) is list:
                if value and type(value[0]).__mro__[1] is ast.stmt:
                    children += _holding(value, lines)
                else:
                    children += [v for v in value if type(v).__mro__[-2] is ast.AST
                                 and type(v).__mro__[1] not in _LEAVES]
            elif type(value).__mro__[-2] is ast.AST and type(value).__mro__[1] not in _LEAVES:
                children += (value,)
        stack += [(child, inner, statement) for child in reversed(children)]


def _holding(block: list[ast.stmt], lines: list[int]) -> list[ast.stmt]:
    """The statements of `block` (in order, each after the last, `;` putting several on a line)
    spanning one of `lines`."""
    first = bisect.bisect_left(lines, block[0].lineno)
    last = bisect.bisect_right(lines, block[-1].end_lineno)
    if first == last:
        return []
    starts = [s.lineno for s in block]
    held: set[int] = set()
    for line in lines[first:last]:
        begun = bisect.bisect_right(starts, line)  # the statements starting at or before it
        for index in range(bisect.bisect_left(starts, line) - 1, begun):
            if index >= 0 and block[index].end_lineno >= line:
                held.add(index)
    return [block[i] for i in sorted(held)]


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
        why.update(dict.fromkeys(safe_loads(tree, text, lines, [findings[i] for i in loads], loads),
                                 _SAFE_LOADER))
    return why


def safe_loads(tree: ast.Module, text: str, lines: list[str], found: list[Finding],
               indexes: list[int]) -> list[int]:
    """The `indexes` of the `yaml.load` findings `found` whose `Loader` (keyword or second
    argument) is bound to one of PyYAML's safe loaders: `loader = yaml.SafeLoader`, a module
    constant, a dict entry, a ternary on a literal test."""
    at = {(f.span.start_line, f.span.start_col): index for f, index in zip(found, indexes, strict=True)}
    bindings = Bindings(tree, text)
    env = Env({}, set())
    for statement in tree.body:
        if type(statement) is ast.Import or type(statement) is ast.ImportFrom:
            env.add_import(statement)
    safe = []
    for call, chain, _statement in _calls_on(tree, sorted({f.span.start_line + 1 for f in found}), env):
        line = call.lineno - 1
        index = at.get((line, byte_to_char_col(line_at(lines, line), call.col_offset)))
        loader = next((k.value for k in call.keywords if k.arg == "Loader"),
                      call.args[1] if len(call.args) > 1 else None)
        if index is not None and loader is not None:
            bindings.chain = chain
            if env.qualname(bindings.resolve(loader)) in _SAFE_YAML_LOADERS:
                safe.append(index)
    return safe
