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
import stat
from collections.abc import Callable, Iterable, Mapping

Pred = Callable[[ast.AST, "Env"], bool]

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
_CONSTANT_NAME = re.compile(r"_*[A-Z][A-Z0-9_]*")


# Submodules that importing their package binds (`import os` then `os.path.join`).
_BOUND_BY_PACKAGE = frozenset({"os.path"})


class Env:
    """What a unit's walk knows: import aliases and imported modules, updated as imports are met."""

    __slots__ = ("aliases", "imports", "_modules")

    def __init__(self, aliases: dict[str, str], imports: frozenset[str] | set[str]) -> None:
        self.aliases = aliases  # owned: imports in the unit update it
        self.imports = imports  # copied on the first import met in the unit
        self._modules: dict[str, bool] = {}  # names_module's answers, forgotten on an import

    def names_module(self, name: str) -> bool:
        """Whether `name` is an imported module, or the package of one (`os` for `os.path`), or
        `os.path`, which `import os` binds too."""
        found = self._modules.get(name)
        if found is None:
            prefix = name + "."
            found = self._modules[name] = any(i == name or i.startswith(prefix) for i in self.imports) \
                or name in _BOUND_BY_PACKAGE and name.partition(".")[0] in self.imports
        return found

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Fold an import in exactly as bandit (and `engine.context.ContextBuilder`) does."""
        if not isinstance(self.imports, set):
            self.imports = set(self.imports)
        self._modules.clear()
        module = node.module if isinstance(node, ast.ImportFrom) else None
        for alias in node.names:
            if module is None:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                self.imports.add(alias.name)
            else:
                self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
                self.imports.add(f"{module}.{alias.name}")

    def imported(self, modules: tuple[str, ...]) -> bool:
        return any(i == m or i.startswith(m + ".") for m in modules for i in self.imports)

    def qualname(self, node: ast.AST, roots: Mapping[str, str | None] | None = None) -> str | None:
        """`j.decode` -> `jwt.decode` after `import jwt as j`; `f().x` -> `f().x`; else None.
        `roots` names what some plain names stand for instead (the taint analyzer's locals:
        their kinds, None when unknown)."""
        if isinstance(node, ast.Name):
            if roots is not None and node.id in roots:
                return roots[node.id]
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value, roots)
            if base is None:
                return None
            name = f"{base}.{node.attr}"
            return self.aliases.get(name, name)
        if isinstance(node, ast.Call):
            base = self.qualname(node.func, roots)
            return None if base is None else base + "()"
        return None


class NameSet:
    """Dotted names, exact or with `*` wildcards (which match any characters, dots included)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = list(patterns)
        self.exact = frozenset(p for p in patterns if "*" not in p)
        self.globs = tuple(p for p in patterns if "*" in p)
        self.glob = re.compile("|".join(map(glob_regex, self.globs))) if self.globs else None

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return name in self.exact or (self.glob is not None
                                      and self.glob.fullmatch(name) is not None)


def glob_regex(pattern: str) -> str:
    return "(?:" + ".*".join(re.escape(part) for part in pattern.split("*")) + ")"


# ---- patterns -------------------------------------------------------------------------------

class Pattern:
    __slots__ = ("imported",)
    imported: tuple[str, ...]

    def gate(self, env: Env) -> bool:
        return not self.imported or env.imported(self.imported)


class CallPattern(Pattern):
    __slots__ = ("names", "methods", "cond")

    def __init__(self, names: NameSet, methods: frozenset[str], cond: Pred | None,
                 imported: tuple[str, ...]) -> None:
        self.names, self.methods, self.cond, self.imported = names, methods, cond, imported

    def accepts(self, call: ast.Call, env: Env) -> bool:
        """The conditions, once the analyzer's index has matched the call's name or method."""
        return self.gate(env) and (self.cond is None or self.cond(call, env))


class AssignPattern(Pattern):
    __slots__ = ("targets", "value", "module_level")

    def __init__(self, targets: NameSet, value: Pred | None, module_level: bool,
                 imported: tuple[str, ...]) -> None:
        self.targets, self.value, self.module_level = targets, value, module_level
        self.imported = imported

    def matches(self, target: ast.AST, value: ast.AST, in_function: bool, env: Env) -> bool:
        if self.module_level and in_function:
            return False
        if target_path(target, env) not in self.targets:
            return False
        return self.gate(env) and (self.value is None or self.value(value, env))


class ComparePattern(Pattern):
    __slots__ = ("ops", "any_operand", "all_operands")

    def __init__(self, ops: tuple[type, ...], any_operand: Pred | None,
                 all_operands: Pred | None, imported: tuple[str, ...]) -> None:
        self.ops, self.any_operand, self.all_operands = ops, any_operand, all_operands
        self.imported = imported

    def matches(self, node: ast.Compare, env: Env) -> bool:
        if self.ops and not any(isinstance(op, self.ops) for op in node.ops):
            return False
        operands = [node.left, *node.comparators]
        if self.any_operand and not any(self.any_operand(o, env) for o in operands):
            return False
        if self.all_operands and not all(self.all_operands(o, env) for o in operands):
            return False
        return self.gate(env)


class DecoratorPattern(Pattern):
    __slots__ = ("names",)

    def __init__(self, names: NameSet, imported: tuple[str, ...]) -> None:
        self.names, self.imported = names, imported

    def matching(self, node: ast.AST, env: Env) -> ast.expr | None:
        for decorator in getattr(node, "decorator_list", ()):
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if env.qualname(target) in self.names and self.gate(env):
                return decorator
        return None


def target_path(target: ast.AST, env: Env) -> str | None:
    """`DEBUG`, `app.secret_key`, `django.conf.settings.DEBUG`, `app.config[SECRET_KEY]`."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return env.qualname(target) or f"?.{target.attr}"
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return f"{env.qualname(target.value) or '?'}[{key.value}]"
    return None


# ---- compilation ----------------------------------------------------------------------------

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
            self.unknown(table, where, (*CALL_CONDITIONS, "calls", "methods", "imported"))
            names = NameSet(self.strings(table.get("calls", []), f"{where}.calls"))
            methods = frozenset(self.strings(table.get("methods", []), f"{where}.methods"))
            if not names.exact and not names.globs and not methods:
                self.error(where, "calls/methods: expected at least one name")
            conds = {k: v for k, v in table.items() if k in CALL_CONDITIONS}
            return CallPattern(names, methods, self.call_cond(conds, where) if conds else None,
                               imported)
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
        return lambda n, env: _is_constant(n, value)

    def e_one_of(self, value: object, at: str) -> Pred:
        values = value if isinstance(value, list) else []
        if not values or not all(isinstance(v, (bool, int, float, str)) for v in values):
            self.error(at, "expected a non-empty array of booleans, numbers or strings")
        return lambda n, env: any(_is_constant(n, v) for v in values)

    def e_kind(self, value: object, at: str) -> Pred:
        if value not in EXPR_KINDS:
            self.error(at, f"unknown kind {value!r}; expected one of {', '.join(EXPR_KINDS)}")
            return _never
        return _KIND_TESTS[value]

    def e_qualname(self, value: object, at: str) -> Pred:
        names = NameSet(self.strings(value, at))
        return lambda n, env: env.qualname(n) in names

    def e_call_to(self, value: object, at: str) -> Pred:
        names = NameSet(self.strings(value, at))
        return lambda n, env: isinstance(n, ast.Call) and env.qualname(n.func) in names

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
        return lambda n, env: (number := int_value(n, env)) is not None and number < value

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


def is_literal(node: ast.AST, loose: bool = False) -> bool:
    """A constant or a container of constants; `loose` also accepts UPPER_CASE constant names."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(is_literal(e, loose) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_literal(k, loose) for k in node.keys) and all(
            is_literal(v, loose) for v in node.values)
    if isinstance(node, ast.BinOp):
        return is_literal(node.left, loose) and is_literal(node.right, loose)
    if isinstance(node, ast.UnaryOp):
        return is_literal(node.operand, loose)
    if loose and isinstance(node, ast.Name):
        return _CONSTANT_NAME.fullmatch(node.id) is not None
    if loose and isinstance(node, ast.Attribute):
        return _CONSTANT_NAME.fullmatch(node.attr) is not None
    if loose and isinstance(node, ast.JoinedStr):
        return not is_formatted(node)
    return False


def is_formatted(node: ast.AST) -> bool:
    """A string built from non-literal parts: f-string, `.format()`, `%` or `+` concatenation."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) and not is_literal(v.value, True)
                   for v in node.values)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return any(isinstance(a, ast.Starred) or not is_literal(a, True)
                       for a in node.args) or any(
                k.arg is None or not is_literal(k.value, True) for k in node.keywords)
        return False
    if not isinstance(node, ast.BinOp):
        return False
    if isinstance(node.op, ast.Mod):
        left = node.left
        stringish = (isinstance(left, (ast.Name, ast.Attribute, ast.JoinedStr))
                     or (isinstance(left, ast.Constant) and isinstance(left.value, str))
                     or is_formatted(left))
        return stringish and not is_literal(node.right, True)
    if isinstance(node.op, ast.Add):
        parts = _add_chain(node)
        has_string = any((isinstance(p, ast.Constant) and isinstance(p.value, str))
                         or isinstance(p, ast.JoinedStr) or is_formatted(p) for p in parts)
        return has_string and any(not is_literal(p, True) for p in parts)
    return False


def _add_chain(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _add_chain(node.left) + _add_chain(node.right)
    return [node]


def literal_text(node: ast.AST) -> str | None:
    """The literal text of a string expression, as bandit's B608 sees it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr in ("format", "replace"):
        return literal_text(node.func.value)
    if isinstance(node, ast.BinOp):
        bits: list[str] = []
        stack: list[ast.AST] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.BinOp):
                stack.extend((item.right, item.left))
            elif isinstance(item, ast.Constant) and isinstance(item.value, str):
                bits.append(item.value)
        return " ".join(bits)
    return None


def contains_string(node: ast.AST, wanted: frozenset[str]) -> bool:
    items = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else [node]
    return any(isinstance(i, ast.Constant) and isinstance(i.value, str)
               and i.value.casefold() in wanted for i in items)


_TRANSPARENT_CALLS = frozenset({"str", "bytes", "bytearray", "repr", "format", "encode", "decode",
                                "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "join"})


def identifiers(node: ast.AST) -> Iterable[str]:
    """The names a value is made of: a variable, the last attribute of a chain (`user.password`,
    not `token.expires_at`), a string key (`form["password"]`); not the arguments of a call
    (`len(token)`, `mask(password)`), except conversions and string methods (`str(x)`,
    `x.strip().encode()`)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Name):
            yield item.id
        elif isinstance(item, ast.Attribute):
            yield item.attr
        elif isinstance(item, ast.Subscript):
            key = item.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value
            else:
                stack.append(item.value)
        elif isinstance(item, ast.Call):
            func = item.func
            if isinstance(func, ast.Attribute) and func.attr in _TRANSPARENT_CALLS:
                stack.append(func.value)
                stack.extend(item.args)
            elif isinstance(func, ast.Name) and func.id in _TRANSPARENT_CALLS:
                stack.extend(item.args)
        elif isinstance(item, (ast.expr, ast.FormattedValue)):
            stack.extend(ast.iter_child_nodes(item))


def references(node: ast.AST, env: Env, prefixes: tuple[str, ...]) -> bool:
    for item in ast.walk(node):
        if isinstance(item, (ast.Name, ast.Attribute)):
            name = env.qualname(item)
            if name and any(name == p or name.startswith(p + ".") for p in prefixes):
                return True
    return False


def dict_item(node: ast.AST, key: str) -> ast.expr | None:
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=True):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for keyword in node.keywords:
            if keyword.arg == key:
                return keyword.value
    return None


def int_value(node: ast.AST, env: Env | None = None) -> int | None:
    """An integer the expression always has: constants, `stat.S_I*` flags, `|`, `+`, `*`, `**`."""
    if isinstance(node, ast.Constant):
        value = node.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = env.qualname(node) if env is not None else None
        if name and name.startswith("stat.S_I") and name.count(".") == 1:
            value = getattr(stat, name[5:], None)
            return value if isinstance(value, int) else None
        return None
    if isinstance(node, ast.BinOp):
        left, right = int_value(node.left, env), int_value(node.right, env)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.BitOr):
            return left | right
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Pow) and 0 <= right <= 64 and abs(left) <= 1 << 16:
            return left ** right
    return None


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
