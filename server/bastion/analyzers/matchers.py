"""The runtime of the `[match]` language: what a unit's walk knows (`Env`), name sets, patterns.

`match_compile.py` compiles a `[match]` table into the patterns defined here (`CallPattern`,
`AssignPattern`, `ComparePattern`, `DecoratorPattern`); their conditions are closures
`Pred = pred(node, env) -> bool`. `Env` and `NameSet` are shared with the taint analyzer, which
resolves names the way the own rules do.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterable, Mapping

Pred = Callable[[ast.AST, "Env"], bool]

# Submodules that importing their package binds (`import os` then `os.path.join`).
_BOUND_BY_PACKAGE = frozenset({"os.path"})


class Env:
    """What a unit's walk knows: import aliases and imported modules, updated as imports are met."""

    __slots__ = ("aliases", "imports", "_modules", "_packages", "bindings")

    def __init__(self, aliases: dict[str, str], imports: frozenset[str] | set[str]) -> None:
        self.aliases = aliases  # owned: imports in the unit update it
        self.imports = imports  # copied on the first import met in the unit
        self._modules: dict[str, bool] = {}  # names_module's answers, forgotten on an import
        # each import and the packages above it (`imported`), made when first asked, forgotten
        # on an import
        self._packages: frozenset[str] | None = None
        # the constant bindings a whole-file pass reads the value conditions through
        # (constant_bindings.Bindings; its own to set), None in the statement-by-statement walk
        self.bindings = None

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
        self._packages = None
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
        """Whether one of `modules` is imported, or is the package of an imported module: one
        set look-up a name (the taint context asks it of each entry model at each keystroke)."""
        packages = self._packages
        if packages is None:
            packages = self._packages = _packages(self.imports)
        return not packages.isdisjoint(modules)

    def qualname(self, node: ast.AST, roots: Mapping[str, str | None] | None = None) -> str | None:
        """`j.decode` -> `jwt.decode` after `import jwt as j`; `f().x` -> `f().x`; else None.
        `roots` names what some plain names stand for instead (the taint analyzer's locals:
        their kinds, None when unknown)."""
        kind = type(node)  # no subclass of these node types is made: one read, no isinstance call
        if kind is ast.Name:
            if roots is not None and node.id in roots:
                return roots[node.id]
            return self.aliases.get(node.id, node.id)
        if kind is ast.Attribute:
            base = self.qualname(node.value, roots)
            if base is None:
                return None
            name = f"{base}.{node.attr}"
            return self.aliases.get(name, name)
        if kind is ast.Call:
            base = self.qualname(node.func, roots)
            return None if base is None else base + "()"
        return None


def _packages(imports: Iterable[str]) -> frozenset[str]:
    """Each of `imports` and its text before each of its dots (`a`, `a.b` of `a.b.c`)."""
    found = set(imports)
    for name in imports:
        dot = name.find(".")
        while dot != -1:
            found.add(name[:dot])
            dot = name.find(".", dot + 1)
    return frozenset(found)


class NameSet:
    """Dotted names, exact or with `*` wildcards (which match any characters, dots included).

    The wildcards' pattern is compiled the first time a name starts as one of them does (the
    text before its first `*`): a name that starts as none of them cannot match, and most sets
    never meet one that does. Compiled when built, the 62 sets with wildcards of the rules and
    taint models cost every start some 3.5 ms; a scan of the 20 `email` modules compiles 7."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = list(patterns)
        if "*" not in "".join(patterns):  # most sets: tested in C, no Python test a pattern
            self.exact, self.globs, self._starts = frozenset(patterns), (), ()
            return
        self.exact = frozenset(p for p in patterns if "*" not in p)
        self.globs = tuple(p for p in patterns if "*" in p)
        self._starts = tuple(glob.split("*", 1)[0] for glob in self.globs)

    @functools.cached_property
    def glob(self) -> re.Pattern[str] | None:
        return re.compile("|".join(map(glob_regex, self.globs))) if self.globs else None

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        # startswith(()) is False: a set without wildcards never compiles anything
        return name in self.exact or (name.startswith(self._starts)
                                      and self.glob.fullmatch(name) is not None)

    def meets(self, names: set[str] | frozenset[str]) -> bool:
        """Whether any of `names` is in the set: the exact ones in one set test, no call a name
        (a module's class bases against the form models' at each keystroke)."""
        return not self.exact.isdisjoint(names) or (
            bool(self._starts) and any(name in self for name in names))


def glob_regex(pattern: str) -> str:
    return "(?:" + ".*".join(re.escape(part) for part in pattern.split("*")) + ")"


# ---- patterns -------------------------------------------------------------------------------

class Pattern:
    __slots__ = ("imported",)
    imported: tuple[str, ...]

    def gate(self, env: Env) -> bool:
        return not self.imported or env.imported(self.imported)


class CallPattern(Pattern):
    __slots__ = ("names", "methods", "cond", "constants", "keywords")

    def __init__(self, names: NameSet, methods: frozenset[str], cond: Pred | None,
                 imported: tuple[str, ...], constants: bool = False, keywords: tuple[str, ...] = ()) -> None:
        self.names, self.methods, self.cond, self.imported = names, methods, cond, imported
        # also matched with its arguments read through their constant bindings in the file
        self.constants = constants
        # the keywords (`NAME=`) a file must hold for that whole-file pass to read it; none: its
        # names before a `(` (a method as common as `update` would send most files through it)
        self.keywords = keywords

    def accepts(self, call: ast.Call, env: Env) -> bool:
        """The conditions, once the analyzer's index has matched the call's name or method."""
        return self.gate(env) and (self.cond is None or self.cond(call, env))


class AssignPattern(Pattern):
    __slots__ = ("targets", "value", "module_level")

    def __init__(self, targets: NameSet, value: Pred | None, module_level: bool,
                 imported: tuple[str, ...]) -> None:
        self.targets, self.value, self.module_level = targets, value, module_level
        self.imported = imported

    def matches(self, path: str | None, value: ast.AST, in_function: bool, env: Env) -> bool:
        """`path`: the target's `target_path`, found once for all the patterns."""
        if self.module_level and in_function:
            return False
        if path not in self.targets:
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
