"""The `[match]` language of Bastion's own rules: compiled once into predicates over `ast` nodes.

A `[match]` table is one *pattern* (a node kind plus conditions) or `any = [pattern, ...]`.
Patterns compile to `CallPattern`, `AssignPattern`, `ComparePattern` or `DecoratorPattern`;
their conditions compile to closures `pred(node, env) -> bool`, so evaluating a rule is a few
dictionary look-ups and function calls per candidate node. `rules/README.md` documents the
language; `validate_match()` reports every problem in a table without raising.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from bastion.analyzers.expr_values import (
    contains_string,
    dict_item,
    identifiers,
    int_value,
    is_formatted,
    is_literal,
    literal_text,
    references,
)
from bastion.analyzers.matchers import (
    AssignPattern,
    CallPattern,
    ComparePattern,
    DecoratorPattern,
    Env,
    NameSet,
    Pattern,
    Pred,
)

KINDS = ("calls", "methods", "assign", "compare", "decorators")
CALL_CONDITIONS = ("keyword", "arg", "missing_keyword", "any_arg", "receiver", "any", "all", "not")
EXPR_CONDITIONS = ("equals", "one_of", "kind", "qualname", "call_to", "contains_string",
                   "string_matches", "names_match", "references", "dict_item", "bits_set",
                   "less_than", "any", "all", "not")
EXPR_KINDS = ("constant", "literal", "string", "bytes", "number", "bool", "none", "container",
              "dict", "name", "reference", "call", "formatted_string")
COMPARE_OPS = {"==": ast.Eq, "!=": ast.NotEq, "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt,
               ">=": ast.GtE, "is": ast.Is, "is not": ast.IsNot, "in": ast.In,
               "not in": ast.NotIn}


def validate_match(table: object) -> list[str]:
    """Human-readable problems in a `[match]` table; empty when it compiles."""
    return compile_match(table)[1]


def compile_match(table: object) -> tuple[list[Pattern], list[str]]:
    compiler = _Compiler()
    patterns = compiler.match(table)
    return patterns, compiler.errors


class _Compiler:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def match(self, table: object) -> list[Pattern]:
        if not self.is_table(table, "match"):
            return []
        imported = self.strings(table.get("imported", []), "match.imported")
        if any(k in table for k in KINDS):
            pattern = self.pattern(table, "match", ())
            return [pattern] if pattern else []
        extra = sorted(set(table) - {"any", "imported"})
        if extra or "any" not in table:
            self.error("match", "expected one of " + ", ".join(KINDS) + " (or any = [patterns])"
                       + (f"; unknown key(s) {', '.join(extra)}" if extra else ""))
            return []
        items = table["any"]
        if not isinstance(items, list) or not items:
            self.error("match.any", "expected a non-empty array of patterns")
            return []
        found = [self.pattern(p, f"match.any[{i}]", tuple(imported)) for i, p in enumerate(items)]
        return [p for p in found if p is not None]

    def pattern(self, table: object, where: str, imported: tuple[str, ...]) -> Pattern | None:
        if not self.is_table(table, where):
            return None
        kinds = [k for k in KINDS if k in table]
        imported = imported + tuple(self.strings(table.get("imported", []), f"{where}.imported"))
        if kinds in (["calls"], ["methods"], ["calls", "methods"]):
            self.unknown(table, where, (*CALL_CONDITIONS, "calls", "methods", "imported", "constants"))
            names = NameSet(self.strings(table.get("calls", []), f"{where}.calls"))
            methods = frozenset(self.strings(table.get("methods", []), f"{where}.methods"))
            if not names.exact and not names.globs and not methods:
                self.error(where, "calls/methods: expected at least one name")
            conds = {k: v for k, v in table.items() if k in CALL_CONDITIONS}
            constants = table.get("constants", False)
            listed = isinstance(constants, list)
            words = tuple(self.strings(constants, f"{where}.constants")) if listed else ()
            if not isinstance(constants, bool) and not words:
                self.error(f"{where}.constants", "expected true, false or the keyword names it reads")
            return CallPattern(names, methods, self.call_cond(conds, where) if conds else None,
                               imported, constants is True or bool(words), words)
        if len(kinds) != 1:
            self.error(where, "a pattern has exactly one of assign, compare, decorators, "
                              "or calls/methods")
            return None
        kind = kinds[0]
        self.unknown(table, where, (kind, "imported"))
        spec = table[kind]
        if kind == "decorators":
            return DecoratorPattern(NameSet(self.strings(spec, f"{where}.decorators")), imported)
        sub = f"{where}.{kind}"
        if not self.is_table(spec, sub):
            return None
        if kind == "assign":
            self.unknown(spec, sub, ("targets", "value", "module_level"))
            targets = self.strings(spec.get("targets"), f"{sub}.targets")
            if not targets:
                self.error(f"{sub}.targets", "expected at least one target")
            module_level = spec.get("module_level", False)
            if not isinstance(module_level, bool):
                self.error(f"{sub}.module_level", "expected true or false")
            value = self.expr(spec["value"], f"{sub}.value") if "value" in spec else None
            return AssignPattern(NameSet(targets), value, module_level is True, imported)
        self.unknown(spec, sub, ("ops", "any_operand", "all_operands"))
        ops = []
        for op in self.strings(spec.get("ops", []), f"{sub}.ops"):
            if op in COMPARE_OPS:
                ops.append(COMPARE_OPS[op])
            else:
                self.error(f"{sub}.ops", f"unknown operator {op!r}")
        some, every = (self.expr(spec[k], f"{sub}.{k}") if k in spec else None
                       for k in ("any_operand", "all_operands"))
        return ComparePattern(tuple(ops), some, every, imported)

    # -- conditions on a call --

    def call_cond(self, table: object, where: str) -> Pred:
        if not self.is_table(table, where):
            return _never
        self.unknown(table, where, CALL_CONDITIONS)
        preds: list[Pred] = []
        for key, value in table.items():
            at = f"{where}.{key}"
            if key in ("any", "all", "not"):
                preds.append(self.combine(key, value, at, self.call_cond))
            elif key in ("keyword", "arg"):
                preds.append(self.argument(key, value, at))
            elif key == "missing_keyword":
                names = tuple(self.strings(value, at))
                preds.append(lambda call, env, n=names: _keywords_missing(call, n))
            elif key == "any_arg":
                inner = self.expr(value, at)
                preds.append(lambda call, env, p=inner: any(p(a, env) for a in _arg_values(call)))
            elif key == "receiver":
                inner = self.expr(value, at)
                preds.append(lambda call, env, p=inner: isinstance(call.func, ast.Attribute)
                             and p(call.func.value, env))
        return _all(preds)

    def argument(self, key: str, table: object, where: str) -> Pred:
        if not self.is_table(table, where):
            return _never
        index = table.get("index")
        names = tuple(self.strings(table["name"], f"{where}.name")) if "name" in table else ()
        if index is not None and not _natural(index):
            self.error(f"{where}.index", "expected a non-negative integer")
        if key == "keyword" and (not names or "index" in table):
            self.error(where, "keyword needs `name` (use `arg` for positions)")
        if key == "arg" and not names and index is None:
            self.error(where, "arg needs `index`, `name` or both")
        has_conds = any(k not in ("name", "index") for k in table)
        inner = self.expr(table, where, extra=("name", "index")) if has_conds else None

        def pred(call: ast.AST, env: Env) -> bool:
            value = _argument(call, index, names)
            return value is not None and (inner is None or inner(value, env))
        return pred

    # -- conditions on an expression --

    def expr(self, table: object, where: str, extra: tuple[str, ...] = ()) -> Pred:
        """Conditions on one expression; keys in `extra` belong to the caller (`name`, `key`)."""
        if not self.is_table(table, where):
            return _never
        self.unknown(table, where, EXPR_CONDITIONS + extra)
        preds: list[Pred] = []
        for key, value in table.items():
            if key in extra:
                continue
            at = f"{where}.{key}"
            builder = getattr(self, f"e_{key}", None)
            if key in ("any", "all", "not"):
                preds.append(self.combine(key, value, at, self.expr))
            elif builder is not None:
                preds.append(builder(value, at))
        return _all(preds)

    def e_equals(self, value: object, at: str) -> Pred:
        if not isinstance(value, (bool, int, float, str)):
            self.error(at, "expected a boolean, number or string")
        return lambda n, env: _is_constant(_bound(n, env), value)

    def e_one_of(self, value: object, at: str) -> Pred:
        values = value if isinstance(value, list) else []
        if not values or not all(isinstance(v, (bool, int, float, str)) for v in values):
            self.error(at, "expected a non-empty array of booleans, numbers or strings")

        def pred(n: ast.AST, env: Env) -> bool:
            bound = _bound(n, env)
            return any(_is_constant(bound, v) for v in values)
        return pred

    def e_kind(self, value: object, at: str) -> Pred:
        if value not in EXPR_KINDS:
            self.error(at, f"unknown kind {value!r}; expected one of {', '.join(EXPR_KINDS)}")
            return _never
        return _KIND_TESTS[value]

    def e_qualname(self, value: object, at: str) -> Pred:
        names = NameSet(self.strings(value, at))
        return lambda n, env: env.qualname(_bound(n, env)) in names

    def e_call_to(self, value: object, at: str) -> Pred:
        names = NameSet(self.strings(value, at))
        return lambda n, env: isinstance(r := _bound(n, env), ast.Call) and env.qualname(r.func) in names

    def e_contains_string(self, value: object, at: str) -> Pred:
        wanted = frozenset(s.casefold() for s in self.strings(value, at))
        return lambda n, env: contains_string(n, wanted)

    def e_string_matches(self, value: object, at: str) -> Pred:
        regex = self.regex(value, at)
        def pred(n: ast.AST, env: Env) -> bool:
            text = literal_text(n)
            return text is not None and regex.search(text) is not None
        return pred

    def e_names_match(self, value: object, at: str) -> Pred:
        regex = self.regex(value, at)
        return lambda n, env: any(regex.search(name) for name in identifiers(n))

    def e_references(self, value: object, at: str) -> Pred:
        prefixes = tuple(self.strings(value, at))
        return lambda n, env: references(n, env, prefixes)

    def e_dict_item(self, value: object, at: str) -> Pred:
        if not self.is_table(value, at):
            return _never
        key = value.get("key")
        if not isinstance(key, str):
            self.error(f"{at}.key", "expected a string")
        inner = self.expr(value, at, extra=("key",)) if len(value) > 1 else None
        return lambda n, env: (item := dict_item(n, key)) is not None and (
            inner is None or inner(item, env))

    def e_bits_set(self, value: object, at: str) -> Pred:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.error(at, "expected a positive integer mask (e.g. 0o002)")
            return _never
        return lambda n, env: (mode := int_value(n, env)) is not None and bool(mode & value)

    def e_less_than(self, value: object, at: str) -> Pred:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self.error(at, "expected a number")
            return _never
        return lambda n, env: (number := int_value(_bound(n, env), env)) is not None and number < value

    # -- helpers --

    def combine(self, key: str, value: object, at: str, compile_one: Callable) -> Pred:
        if key == "not":
            inner = compile_one(value, at)
            return lambda n, env: not inner(n, env)
        if not isinstance(value, list) or not value:
            self.error(at, "expected a non-empty array of tables")
            return _never
        parts = [compile_one(v, f"{at}[{i}]") for i, v in enumerate(value)]
        if key == "any":
            return lambda n, env: any(p(n, env) for p in parts)
        return _all(parts)

    def is_table(self, value: object, where: str) -> bool:
        if isinstance(value, dict):
            return True
        self.error(where, f"expected a table, got {type(value).__name__}")
        return False

    def unknown(self, table: dict, where: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.error(where, f"unknown key {key!r} (allowed: {', '.join(allowed)})")

    def strings(self, value: object, where: str) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        self.error(where, "expected a string or an array of strings")
        return []

    def regex(self, value: object, where: str) -> re.Pattern:
        try:
            if isinstance(value, str):
                return re.compile(value)
            self.error(where, "expected a regular expression string")
        except re.error as exc:
            self.error(where, f"invalid regular expression: {exc}")
        return re.compile(r"(?!)")


# ---- evaluation helpers ---------------------------------------------------------------------

def _natural(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _never(node: ast.AST, env: Env) -> bool:
    return False


def _all(preds: list[Pred]) -> Pred:
    if not preds:
        return lambda n, env: True
    if len(preds) == 1:
        return preds[0]
    parts = tuple(preds)
    return lambda n, env: all(p(n, env) for p in parts)


def _bound(node: ast.AST, env: Env) -> ast.AST:
    """`node`, or in a whole-file pass (`Env.bindings`) the constant expression it is bound to."""
    bindings = env.bindings
    return node if bindings is None else bindings.resolve(node)


def _is_constant(node: ast.AST, value: object) -> bool:
    return (isinstance(node, ast.Constant) and type(node.value) is type(value)
            and node.value == value)


def _argument(call: ast.AST, index: int | None, names: tuple[str, ...]) -> ast.expr | None:
    """The argument at `index`, else a keyword in `names`; None when absent or hidden by `*`."""
    if not isinstance(call, ast.Call):
        return None
    if index is not None:
        for position, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                break
            if position == index:
                return arg
    for keyword in call.keywords:
        if keyword.arg is not None and keyword.arg in names:
            return keyword.value
    return None


def _arg_values(call: ast.AST) -> list[ast.expr]:
    if not isinstance(call, ast.Call):
        return []
    return [a for a in call.args if not isinstance(a, ast.Starred)] + [
        k.value for k in call.keywords if k.arg is not None]


def _keywords_missing(call: ast.AST, names: tuple[str, ...]) -> bool:
    """None of `names` is passed; a `**kwargs` might pass them, so it never counts as missing."""
    if not isinstance(call, ast.Call):
        return False
    passed = {k.arg for k in call.keywords}
    return None not in passed and not passed.intersection(names)


def _kind(test: Callable[[ast.AST], bool]) -> Pred:
    return lambda n, env: test(n)


_KIND_TESTS: dict[str, Pred] = {
    "constant": _kind(lambda n: isinstance(n, ast.Constant)),
    "literal": _kind(is_literal),
    "string": _kind(lambda n: isinstance(n, ast.Constant) and isinstance(n.value, str)),
    "bytes": _kind(lambda n: isinstance(n, ast.Constant) and isinstance(n.value, bytes)),
    "number": _kind(lambda n: isinstance(n, ast.Constant) and not isinstance(n.value, bool)
                    and isinstance(n.value, (int, float, complex))),
    "bool": _kind(lambda n: isinstance(n, ast.Constant) and isinstance(n.value, bool)),
    "none": _kind(lambda n: isinstance(n, ast.Constant) and n.value is None),
    "container": _kind(lambda n: isinstance(n, (ast.List, ast.Tuple, ast.Set))),
    "dict": _kind(lambda n: isinstance(n, ast.Dict)),
    "name": _kind(lambda n: isinstance(n, ast.Name)),
    "reference": _kind(lambda n: isinstance(n, (ast.Name, ast.Attribute, ast.Subscript))),
    "call": _kind(lambda n: isinstance(n, ast.Call)),
    "formatted_string": _kind(is_formatted),
}
