"""Bastion's own rules: `rules/bastion/BSTnnn.toml` files, their `[match]` compiled once.

`analyse_unit` walks the unit tree once, depth first in source order (so imports inside the unit
are folded into the aliases before the code after them, as bandit does), and hands each node to
the patterns indexed under its type: calls by the last part of their qualified name or by method
name, assignments, comparisons and decorated definitions.
"""

from __future__ import annotations

import ast
import importlib
import logging
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from pathlib import Path

from bastion import attrs_classes
from bastion.analyzers.base import UnitSource, node_lines
from bastion.analyzers.match_compile import compile_match, validate_match
from bastion.analyzers.matchers import (
    AssignPattern,
    CallPattern,
    ComparePattern,
    DecoratorPattern,
    Env,
    Pattern,
    target_path,
)
from bastion.analyzers.rule_tables import folder_tables
from bastion.analyzers.toml_file_checks import constant_calls, retractions
from bastion.analyzers.versions import TOML_RULES_EVALUATOR, catalog_version, toml_files
from bastion.analyzers.word_gate import WordGate
from bastion.digests import blake2b
from bastion.model import Finding, Level, NotAnalysed

__all__ = ["OwnRule", "RuleError", "TomlRulesAnalyzer", "compile_rule", "validate_match"]

log = logging.getLogger(__name__)

_RULE_ID = re.compile(r"^BST\d{3}$")
_RULE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Fields that never hold a node a rule looks at (contexts, operators, import aliases, names).
_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "names", "id", "attr", "arg", "name", "module",
                          "level", "kind", "type_comment", "conversion", "is_async", "simple"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}
# Nodes with neither a child a rule looks at nor a pattern of their own: the walk does not push
# them unless a python check asks for their type (most of a tree's leaves: 10% of its time).
_INERT = frozenset({ast.Name, ast.Constant})


@attrs_classes.frozen
class OwnRule:
    id: str
    name: str
    title: str
    severity: Level
    confidence: Level
    cwe: int | None
    patterns: tuple = ()  # compiled matchers.Pattern objects, or python checks


class RuleError(ValueError):
    pass


def compile_rule(table: dict, origin: str = "<rule>") -> OwnRule:
    """An OwnRule from one parsed rule file; raises RuleError naming every problem."""
    problems: list[str] = []
    rule_id, name = table.get("id"), table.get("name")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        problems.append("id: expected BST followed by three digits")
    if not isinstance(name, str) or not _RULE_NAME.match(name):
        problems.append("name: expected a snake_case string")
    levels = {}
    for key in ("severity", "confidence"):
        try:
            levels[key] = Level.parse(table.get(key, ""))
        except (ValueError, AttributeError):
            problems.append(f"{key}: expected low, medium or high")
    cwe = table.get("cwe", {})
    cwe_id = cwe.get("id") if isinstance(cwe, dict) else None
    if cwe_id is not None and (type(cwe_id) is not int or cwe_id <= 0):
        problems.append("cwe.id: expected a positive integer")
    patterns: list = []
    check = table.get("check")
    if "match" in table and check is not None:
        problems.append("a rule has either [match] or check, not both")
    elif "match" in table:
        compiled, errors = compile_match(table["match"])
        patterns.extend(compiled)
        problems.extend(errors)
    elif isinstance(check, str) and check.startswith("python:"):
        found = _python_check(check.removeprefix("python:"))
        if found is None:
            problems.append(f"check: no python check named {check!r}")
        else:
            patterns.append(found)
    else:
        problems.append("expected a [match] table or check = \"python:<name>\"")
    if problems:
        raise RuleError(f"{origin}: " + "; ".join(problems))
    return OwnRule(rule_id, name, str(table.get("title") or name), levels["severity"],
                   levels["confidence"], cwe_id, tuple(patterns))


def _python_check(name: str):
    try:
        module = importlib.import_module("bastion.analyzers.python_checks")
    except ImportError:
        return None
    return getattr(module, "CHECKS", {}).get(name)


class TomlRulesAnalyzer:
    """Runs every own rule over a unit in one walk of its tree."""

    id = "bastion"

    def __init__(self, rules: Iterable[OwnRule], version: str = "") -> None:
        self.rules = sorted(rules, key=lambda r: r.id)
        digest = blake2b(repr([(r.id, r.name) for r in self.rules]).encode(), digest_size=8)
        self.version = version or f"{TOML_RULES_EVALUATOR}+{digest.hexdigest()}"
        self._calls: dict[str, list[tuple[OwnRule, CallPattern]]] = defaultdict(list)
        self._methods: dict[str, list[tuple[OwnRule, CallPattern]]] = defaultdict(list)
        self._wild_calls: list[tuple[str, tuple[OwnRule, CallPattern]]] = []  # (prefix, entry)
        self._assigns: list[tuple[OwnRule, AssignPattern]] = []
        self._compares: list[tuple[OwnRule, ComparePattern]] = []
        self._decorators: list[tuple[OwnRule, DecoratorPattern]] = []
        self._custom: dict[type, list[tuple[OwnRule, object]]] = defaultdict(list)
        for rule in self.rules:
            for pattern in rule.patterns:
                self._index(rule, pattern)
        self._inert = _INERT - set(self._custom)
        # A file calls a pattern marked `constants` only if it holds one of their calls' names
        # before a `(`, or one of the keywords such a pattern names before a `=`: the whole-file
        # pass costs the other files one search of their text.
        marked = [p for rule in self.rules for p in rule.patterns
                  if isinstance(p, CallPattern) and p.constants]
        called = sorted({name.rsplit(".", 1)[-1] for p in marked if not p.keywords
                         for name in (*p.names.exact, *p.methods)})
        keywords = sorted({word for p in marked for word in p.keywords})
        self._constant_calls = WordGate([*((name, r"\s*\(") for name in called),
                                         *((word, r"\s*=(?!=)") for word in keywords)])

    def _index(self, rule: OwnRule, pattern: Pattern) -> None:
        entry = (rule, pattern)
        if isinstance(pattern, CallPattern):
            for last in {name.rsplit(".", 1)[-1] for name in pattern.names.exact}:
                self._calls[last].append(entry)
            for glob in pattern.names.globs:
                self._wild_calls.append((glob.split("*", 1)[0], entry))
            for method in pattern.methods:
                self._methods[method].append(entry)
        elif isinstance(pattern, AssignPattern):
            self._assigns.append(entry)
        elif isinstance(pattern, ComparePattern):
            self._compares.append(entry)
        elif isinstance(pattern, DecoratorPattern):
            self._decorators.append(entry)
        else:  # a python check: `node_types` and `__call__(node, env) -> bool`
            for node_type in pattern.node_types:
                self._custom[node_type].append(entry)

    # ---- construction ----

    @classmethod
    def from_tables(cls, tables: Iterable[dict], version: str = "") -> TomlRulesAnalyzer:
        """For tests: rules from already-parsed tables; a bad table raises RuleError."""
        return cls([compile_rule(t) for t in tables], version)

    @classmethod
    def from_catalog(cls, directory: Path | None = None,
                     files: list[tuple[Path, bytes | None]] | None = None,
                     tables: list[tuple[Path, dict | None, Exception | None]] | None = None,
                     ) -> TomlRulesAnalyzer:
        """Every `BST*.toml` under `<rules_dir>/bastion`; bad files are logged and skipped.
        `files` and `tables`: the folder's `toml_files` and their `folder_tables`, when the
        caller has read them (registry.py: the taint analyzer's rules are in the same files)."""
        if directory is None:
            try:
                from bastion.catalog.paths import rules_dir
                directory = rules_dir() / "bastion"
            except Exception:  # noqa: BLE001 - never fail the server on a missing catalog
                log.exception("cannot locate the rule catalog")
                return cls([], f"{TOML_RULES_EVALUATOR}+none")
        rules: list[OwnRule] = []
        seen: set[str] = set()
        # Read once: the version hashes the bytes the rules are compiled from.
        files = toml_files(directory) if files is None else files
        for path, table, error in folder_tables(directory, files) if tables is None else tables:
            if table is None:
                log.warning("skipping rule file %s: %s", path,
                            "cannot be read" if isinstance(error, OSError) else error)
                continue
            if "taint" in table or "analyzer" in table:
                continue  # reported by the taint analyzer, or the analyzer named
            try:
                rule = compile_rule(table, path.name)
            except RuleError as exc:
                log.warning("skipping rule file %s: %s", path, exc)
                continue
            except Exception:  # noqa: BLE001 - a broken rule must not take the others down
                log.exception("skipping rule file %s", path)
                continue
            if rule.id in seen or rule.name in seen:
                log.warning("skipping rule file %s: duplicate id or name %s", path, rule.id)
                continue
            seen.update((rule.id, rule.name))
            rules.append(rule)
        return cls(rules, catalog_version(directory, files))

    def rule_ids(self) -> dict[str, str]:
        return {r.id: r.name for r in self.rules}

    def dependency_key(self, text: str, path: str) -> str | None:
        return ""  # the text alone decides

    def nosec_ids(self) -> dict[str, str]:
        return {}

    def analyse_file(self, text: str, path: str, tree: ast.Module | None = None) -> list[Finding]:
        """The calls of patterns marked `constants` that match only once their arguments are
        read through the module's constant bindings (the statements' walk reports the others)."""
        if not self._constant_calls or not self._constant_calls.search(text):
            return []
        return constant_calls(self._candidates, self._report, self._constant_calls, text, path, tree)

    def left_out(self, text: str, path: str) -> tuple[NotAnalysed, ...]:
        return ()

    def read_open_texts(self, texts) -> None:
        pass  # it reads no other file

    def retract(self, text: str, path: str, findings: list[Finding]) -> dict[int, str]:
        """Bandit's findings in code a literal test never runs (dead_branches.py)."""
        return retractions(text, findings)

    def forget(self) -> None:
        pass  # it keeps nothing per document

    def document_closed(self, path: str) -> None:
        pass  # it keeps no text

    def disk_changed(self, paths: Collection[str]) -> None:
        pass  # it reads no file but the analysed one

    def watched_files(self) -> tuple:
        return ()  # it reads no file but the analysed one

    def summaries(self, roots, texts, previous=None) -> None:
        return None  # it reads no other module

    def reads_whole(self, function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
        return False  # a rule matches one node and the statement holding it

    # ---- analysis ----

    def analyse_unit(self, unit: UnitSource) -> list[Finding]:
        if not self.rules:
            return []
        env = Env(unit.context.alias_map(), unit.context.imports)
        found: dict[tuple[str, int], Finding] = {}
        # (node, inside a function, innermost enclosing statement)
        stack: list[tuple[ast.AST, bool, ast.AST | None]] = [(unit.tree, unit.in_function, None)]
        inert = self._inert
        while stack:
            node, in_function, statement = stack.pop()
            kind = type(node)
            if kind is ast.Call:
                self._call(node, statement, env, unit, found)
            elif kind is ast.Assign or kind is ast.AnnAssign:
                if self._assigns and node.value is not None:
                    targets = node.targets if kind is ast.Assign else [node.target]
                    for target in targets:
                        path = target_path(target, env)
                        for rule, pattern in self._assigns:
                            if pattern.matches(path, node.value, in_function, env):
                                self._report(rule, node, node, unit, found)
            elif kind is ast.Compare:
                for rule, pattern in self._compares:
                    if pattern.matches(node, env):
                        self._report(rule, node, statement, unit, found)
            elif kind is ast.Import or kind is ast.ImportFrom:
                env.add_import(node)
            if kind in _DEFINITIONS:
                for rule, pattern in self._decorators:
                    decorator = pattern.matching(node, env)
                    if decorator is not None:
                        self._report(rule, decorator, decorator, unit, found, header=node)
            for rule, check in self._custom.get(kind, ()):
                if check(node, env):
                    self._report(rule, node, statement, unit, found)
            if isinstance(node, ast.stmt):
                statement = node
            inner = in_function or kind in _FUNCTIONS
            fields = _CHILD_FIELDS.get(kind)
            if fields is None:
                fields = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
                _CHILD_FIELDS[kind] = fields
            for field in reversed(fields):
                value = getattr(node, field, None)
                if type(value) is list:
                    # a list, not a generator: one call, not one per child
                    stack.extend([(child, inner, statement) for child in reversed(value)
                                  if isinstance(child, ast.AST) and type(child) not in inert])
                elif isinstance(value, ast.AST) and type(value) not in inert:
                    stack.append((value, inner, statement))
        return list(found.values())

    def _call(self, node: ast.Call, statement: ast.AST | None, env: Env, unit: UnitSource,
              found: dict) -> None:
        for rule, pattern in self._candidates(node, env):
            if (rule.id, id(node)) not in found and pattern.accepts(node, env):
                self._report(rule, node, statement, unit, found)

    def _candidates(self, node: ast.Call, env: Env) -> list[tuple[OwnRule, CallPattern]]:
        """The call patterns indexed under the call's qualified name or method name."""
        qualname = env.qualname(node.func)
        candidates: list[tuple[OwnRule, CallPattern]] = []
        if qualname is not None:
            for entry in self._calls.get(qualname.rsplit(".", 1)[-1], ()):
                if qualname in entry[1].names.exact:
                    candidates.append(entry)
            for prefix, entry in self._wild_calls:
                if qualname.startswith(prefix) and entry[1].names.glob.fullmatch(qualname):
                    candidates.append(entry)
        if isinstance(node.func, ast.Attribute):
            candidates.extend(self._methods.get(node.func.attr, ()))
        return candidates

    def _report(self, rule: OwnRule, node: ast.AST, statement: ast.AST | None,
                unit: UnitSource, found: dict, header: ast.AST | None = None) -> None:
        key = (rule.id, id(node))
        if key in found:
            return
        if statement is not None and not hasattr(statement, "body"):
            lines = node_lines(statement)  # a simple statement: `# nosec` on any of its lines
        else:
            lines = node_lines(node)
        if header is not None:
            lines = tuple(sorted(set(lines) | {header.lineno - 1}))
        found[key] = Finding(
            rule_id=rule.id,
            name=rule.name,
            severity=rule.severity,
            confidence=rule.confidence,
            cwe=rule.cwe,
            message=rule.title,
            span=unit.span_of(node),
            source="bastion",
            lines=lines,
        )
