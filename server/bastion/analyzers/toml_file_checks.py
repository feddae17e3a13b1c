"""TomlRulesAnalyzer's whole-file checks: the calls of patterns marked `constants` that match
once their arguments are read through the module's constant bindings (constant_bindings.py),
and bandit's findings in code a literal test never runs (dead_branches.py), at a `yaml.load`
given a loader bound to a safe one, at a `pickle.loads` of bytes the module wrote itself and at
the stdlib XML parsers after `defusedxml.defuse_stdlib()`, which it retracts.
Functions of the text and of the analyzer's index; they keep nothing.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Callable

from bastion.analyzers.base import UnitSource
from bastion.analyzers.constant_bindings import Bindings
from bastion.analyzers.dead_branches import LITERAL_TEST, dead_regions, inside
from bastion.analyzers.matchers import Env
from bastion.analyzers.word_gate import WordGate
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
_DEFUSED = "after defusedxml.defuse_stdlib(), which replaced the stdlib XML parsers with defused ones"
# bandit's XML parsing calls whose modules defuse_stdlib patches (not lxml's B320)
_DEFUSED_CALLS = frozenset({"B313", "B314", "B315", "B316", "B317", "B318", "B319"})
_PICKLE_LOADS = frozenset({"pickle.loads", "_pickle.loads", "cPickle.loads"})
_PICKLE_DUMPS = frozenset({"pickle.dumps", "_pickle.dumps", "cPickle.dumps"})
# bandit rule -> (a word its judged calls need in the text, why a safe one is retracted)
_OWN_PICKLE = "it loads bytes the module itself wrote (a literal or pickle.dumps of one)"
_JUDGED_CALLS = {"B506": ("Loader", _SAFE_LOADER), "B301": ("loads", _OWN_PICKLE)}
_SAFE_YAML_LOADERS = frozenset({"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader",
                                "yaml.CBaseLoader"})


def constant_calls(candidates: Callable, report: Callable, calls: WordGate, text: str, path: str,
                   tree: ast.Module | None) -> list[Finding]:
    """`candidates(call, env)`: the analyzer's call patterns indexed under the call's names;
    `report(rule, node, statement, unit, found)` records a finding in `found`; `calls`: their
    names before a `(` or their keywords before a `=`. Only the statements holding one of those
    are walked."""
    lines = sorted({text.count("\n", 0, start) + 1 for start in calls.starts(text)})
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
    """Index -> why, for bandit's findings in `findings` that `text` never runs, its `yaml.load`
    findings whose loader is bound to a safe one, its `pickle.loads` of the module's own bytes and
    its stdlib XML parsing after `defusedxml.defuse_stdlib()`."""
    judged = [i for i, f in enumerate(findings) if f.source == "bandit" and f.retracted is None]
    if not judged:
        return {}  # most texts at most keystrokes: no text search at all
    found_ids = {findings[i].rule_id for i in judged}
    dead_code, defused = LITERAL_TEST.search(text), "defuse_stdlib" in text
    rules = {rule: why for rule, (word, why) in _JUDGED_CALLS.items() if rule in found_ids and word in text}
    if not dead_code and not defused and not rules:
        return {}
    calls = [i for i in judged if findings[i].rule_id in rules]
    xml = [i for i in judged if findings[i].rule_id in _DEFUSED_CALLS] if defused else []
    if not dead_code and not calls and not xml:
        return {}
    try:
        tree = parse_code(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}  # judged statement by statement, it stands
    lines = text.splitlines()
    regions = dead_regions(tree, lines) if dead_code else []
    why = {i: _NEVER_RUN for i in judged if inside(findings[i], regions)} if regions else {}
    calls = [i for i in calls if i not in why]
    if calls:
        why.update((i, rules[findings[i].rule_id])
                   for i in safe_calls(tree, text, lines, [findings[i] for i in calls], calls))
    after = _defused_from(tree) if xml else None
    if after is not None:
        why.update((i, _DEFUSED) for i in xml if i not in why and findings[i].span.start_line > after)
    return why


def safe_calls(tree: ast.Module, text: str, lines: list[str], found: list[Finding],
               indexes: list[int]) -> list[int]:
    """The `indexes` of the findings `found` whose call is safe as its arguments are bound: a
    `yaml.load` whose `Loader` (keyword or second argument) is one of PyYAML's safe loaders
    (`loader = yaml.SafeLoader`, a module constant, a dict entry, a ternary on a literal test), a
    `pickle.loads` of bytes the module wrote (a bytes literal, `pickle.dumps` of a literal)."""
    at = {(f.span.start_line, f.span.start_col): (f.rule_id, index)
          for f, index in zip(found, indexes, strict=True)}
    bindings = Bindings(tree, text, parameters=False)  # a retraction: the module's own calls alone
    env = Env({}, set())
    for statement in tree.body:
        if type(statement) is ast.Import or type(statement) is ast.ImportFrom:
            env.add_import(statement)
    safe = []
    for call, chain, _statement in _calls_on(tree, sorted({f.span.start_line + 1 for f in found}), env):
        line = call.lineno - 1
        rule, index = at.get((line, byte_to_char_col(line_at(lines, line), call.col_offset)), (None, 0))
        bindings.chain = chain
        if rule == "B506":
            loader = next((k.value for k in call.keywords if k.arg == "Loader"),
                          call.args[1] if len(call.args) > 1 else None)
            if loader is not None and env.qualname(bindings.resolve(loader)) in _SAFE_YAML_LOADERS:
                safe.append(index)
        elif rule == "B301" and env.qualname(call.func) in _PICKLE_LOADS and len(call.args) == 1:
            data = bindings.resolve(call.args[0])
            if type(data) is ast.Constant and type(data.value) is bytes or type(data) is ast.Call \
                    and env.qualname(data.func) in _PICKLE_DUMPS and not data.keywords \
                    and len(data.args) == 1 and _literal(data.args[0]):
                safe.append(index)
    return safe


def _defused_from(tree: ast.Module) -> int | None:
    """The 0-based line after which the module's top level has called
    `defusedxml.defuse_stdlib()`, which replaces the parsing functions of the stdlib XML modules
    in place: a module's attribute read later is the defused one. None when no such call, or a
    `from xml... import` before it bound an original function to a name of this module."""
    env = Env({}, set())
    for statement in tree.body:
        kind = type(statement)
        if kind is ast.ImportFrom and (statement.module or "").split(".")[0] == "xml":
            return None
        if kind is ast.Import or kind is ast.ImportFrom:
            env.add_import(statement)
        elif kind is ast.Expr and type(statement.value) is ast.Call \
                and env.qualname(statement.value.func) == "defusedxml.defuse_stdlib":
            return statement.end_lineno - 1
    return None


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True
