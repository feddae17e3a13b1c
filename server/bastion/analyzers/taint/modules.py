"""Which workspace file an import names, and what each workspace module imports: found by path
alone under the workspace (scan) roots. Workspace code is never imported nor executed; its
files are read only through `files.read_limited`.

`ModuleGraph` owns its memos (resolutions, texts and their digests, direct imports, closures);
its owner (the summary store, see workspace.py) serialises access to it.
"""

from __future__ import annotations

import ast
import bisect
import os
import re
from collections.abc import Callable, Iterable

from bastion.digests import blake2b
from bastion.files import UnreadableSource, decode_source, read_limited

# `import a.b as c, d` and `from .a import (b, c)`: the names only (a superset is harmless: a
# module named by mistake only widens a cache key).
_IMPORT = re.compile(r"[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^()]*\)|[^\n#;]*)"
                     r"|import[ \t]+([^\n#;]*))")
_NAME = re.compile(r"[A-Za-z_][\w.]*")


def digest_of(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ModuleResolver:
    """Module names to files under the roots (each root and its `src/` folder, for src layouts,
    and for a root that is a package, `bastion check shop/`, the folder its outermost package
    is in, where `shop.db` is found); relative imports from the importer's package. A name
    resolves only to a regular `.py` file (a module, or a package's `__init__.py`) inside a root."""

    def __init__(self, roots: Iterable[str]) -> None:
        bases: list[str] = []
        limits: list[str] = []
        for root in roots:
            root = os.path.realpath(root)
            if os.path.isfile(root):
                root = os.path.dirname(root)
            if os.path.isdir(root) and root not in limits:
                limits.append(root)
            for base in (root, os.path.join(root, "src"), _above_packages(root)):
                if os.path.isdir(base) and base not in bases:
                    bases.append(base)
        self.bases = tuple(bases)
        self.limits = tuple(limits)
        self._memo: dict[tuple[str, str, int], str | None] = {}
        # a path -> its real path (`real`: a warm scan asks for each file's many times)
        self._reals: dict[str, str] = {}

    def resolve(self, name: str, importer: str | None, level: int = 0) -> str | None:
        if not self.bases:
            return None
        if level:
            if importer is None:
                return None
            base = os.path.dirname(self.real(importer))
            for _ in range(level - 1):
                base = os.path.dirname(base)
            key = (base, name, level)
            bases: tuple[str, ...] = (base,)
        else:
            key = ("", name, 0)
            bases = self.bases
        memo = self._memo  # read once: `forget` replaces it from another thread
        if key not in memo:
            memo[key] = self._find(name, bases)
        return memo[key]

    def forget(self) -> None:
        """Files were deleted (or added): every name is resolved again."""
        self._memo = {}
        self._reals = {}

    def real(self, path: str) -> str:
        """`os.path.realpath(path)`, remembered until `forget`."""
        reals = self._reals  # read once, as `_memo`
        return reals.get(path) or reals.setdefault(path, os.path.realpath(path))

    def _find(self, name: str, bases: tuple[str, ...]) -> str | None:
        parts = [p for p in name.split(".") if p]
        if not all(p.isidentifier() for p in parts):
            return None
        for base in bases:
            stem = os.path.join(base, *parts)
            for candidate in (stem + ".py", os.path.join(stem, "__init__.py")) if parts else (
                    os.path.join(base, "__init__.py"),):
                if os.path.isfile(candidate) and not os.path.islink(candidate) and self.inside(candidate):
                    return os.path.realpath(candidate)
        return None

    def inside(self, path: str) -> bool:
        return self.holds(os.path.realpath(path))

    def holds(self, real: str) -> bool:
        """`inside` for a path already real (no file system call: the editor's loop asks)."""
        return any(real.startswith(root + os.sep) for root in self.limits)


def _above_packages(folder: str) -> str:
    """The first folder above `folder` that is no package (`folder` itself when it is none)."""
    while os.path.isfile(os.path.join(folder, "__init__.py")) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return folder


def package_inits(paths: Iterable[str], resolver: ModuleResolver) -> set[str]:
    """The `__init__.py` files (real paths, inside the roots) of the packages the modules at
    `paths` are in, outermost included: Python runs them before the module."""
    found: set[str] = set()
    for path in paths:
        folder = os.path.dirname(os.path.realpath(path))
        while (init := os.path.join(folder, "__init__.py")) not in found and os.path.isfile(init) \
                and resolver.holds(init):
            found.add(init)
            folder = os.path.dirname(folder)
    return found - {os.path.realpath(p) for p in paths}


# (level, module or None, imported names) of each import statement
ImportStatements = tuple[tuple[int, str | None, tuple[str, ...]], ...]


def import_table(source: str | ast.Module | ImportStatements, path: str | None,
                 resolver: ModuleResolver, text: str = "") -> dict[str, str]:
    """Dotted prefixes, spelled as the taint analyzer's qualified names spell them (see
    `matchers.Env.add_import`), mapped to the workspace file they name: `run_query` imported
    from `myapp.db` is called as `myapp.db.run_query`, so `myapp.db` maps to myapp/db.py.
    From a parsed module and its `text` (its imports, a function's too: the evaluator binds
    those where they run), those read of one (`import_statements`), or from a text's import
    lines without parsing (a superset: an import in a string adds a harmless entry)."""
    if isinstance(source, str):
        if "import" not in source:
            return {}
        statements = text_statements(source)
    elif isinstance(source, tuple):
        statements = source
    else:
        statements = _tree_statements(source, text)
    table: dict[str, str] = {}
    for level, module, names in statements:
        if module is None:
            # `import a.b` (or `from . import b`): `a.b.f()` and `a.f()` may both be called.
            for name in names:
                parts = name.split(".")
                for end in range(1, len(parts) + 1):
                    prefix = ".".join(parts[:end])
                    found = resolver.resolve(prefix, path, level)
                    if found is not None:
                        table[prefix] = found
            continue
        found = resolver.resolve(module, path, level)
        if found is not None:
            table[module] = found
        for name in names:
            sub = resolver.resolve(f"{module}.{name}", path, level)
            if sub is not None:
                table[f"{module}.{name}"] = sub
    if path is not None:
        real = resolver.real(path)
        table = {k: v for k, v in table.items() if v != real}
    return table


def import_statements(tree: ast.Module, text: str) -> ImportStatements:
    """A parsed module's imports (of `text`) as `import_table` reads them, kept without the
    tree."""
    return tuple((level, module, tuple(names)) for level, module, names in _tree_statements(tree, text))


def _tree_statements(tree: ast.Module, text: str):
    for node in import_nodes(tree, text):
        if isinstance(node, ast.Import):
            yield 0, None, [alias.name for alias in node.names]
        else:
            yield node.level or 0, node.module, [a.name for a in node.names if a.name != "*"]


def import_nodes(tree: ast.Module, text: str):
    """The import statements of `tree` (of `text`): those at module level (in its `if` / `try`,
    as `module_level.module_statements` reads them) and those of its functions, classes and compound
    statements on an indented import line of `text`, found by entering only the statements
    whose lines hold one (most of a module's statements hold none)."""
    lines = _indented_import_lines(text)
    stack: list[tuple[ast.AST, bool]] = [(node, True) for node in tree.body]
    while stack:
        node, top = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.stmt) and not (top and isinstance(node, (ast.If, ast.Try))):
            if not _spans(node, lines):
                continue
            top = False
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                stack.extend((child, top) for child in inner)


def _indented_import_lines(text: str) -> list[int]:
    """The (1-based, ascending) numbers of the lines of `text` that start an indented import, or
    one after a colon or semicolon (`def f(): import m`)."""
    found: list[int] = []
    line, last = 1, 0
    for match in import_matches(text):
        start = match.start()
        # `import_matches` found by `str.find`: 12x faster
        if text.startswith((" ", "\t"), start) or start and text[start - 1] != "\n":
            line += text.count("\n", last, start)
            last = start
            found.append(line)
    return found


def _spans(node: ast.AST, lines: list[int]) -> bool:
    """Whether one of `lines` (ascending) is within the lines of `node`."""
    at = bisect.bisect_left(lines, node.lineno)
    end = node.end_lineno
    return at < len(lines) and (end is None or lines[at] <= end)


def text_statements(text: str):
    """(level, module or None, imported names) of each import statement in `text`."""
    for dots, module, names, plain in (match.groups() for match in import_matches(text)):
        if plain:
            yield 0, None, _names(plain)
        elif dots and not module:
            yield len(dots), None, _names(names)
        else:
            yield len(dots), module, _names(names)


def import_matches(text: str):
    """The matches of `_IMPORT` (groups: dots, module, names of a `from`; names of a plain
    import) on each line holding `import` (found by `str.find`: a regular expression tried at
    every line start is some thirty times slower on a large file), from the line's start or
    after its last colon or semicolon before the word (`if not re: import re`, `a; import b`)."""
    position = text.find("import")
    start = read = 0  # where the statement holding `position` starts; the text read up to
    while position != -1:
        # only the text since the last word is read back: a long line holding the word many
        # times is read once, not once a word
        line = text.rfind("\n", read, position) + 1
        start = max(start, line, text.rfind(":", max(start, read), position) + 1,
                    text.rfind(";", max(start, read), position) + 1)
        read = position
        match = _IMPORT.match(text, start)
        end = position + 6
        if match is not None:
            yield match
            end = max(end, match.end())
        position = text.find("import", end)


def _names(items: str) -> list[str]:
    found = []
    for item in items.strip("()").split(","):
        match = _NAME.match(item.strip())
        if match is not None and match.group() != "*":
            found.append(match.group())
    return found


def imported_files(text: str, path: str | None, resolver: ModuleResolver) -> tuple[str, ...]:
    """The workspace files `text` may import."""
    return tuple(sorted(set(import_table(text, path, resolver).values())))


class ModuleGraph:
    """The workspace's modules as files: their texts (`overlay`: an editor's unsaved buffers,
    by real path; else the file on disk), digests, direct imports and import closures."""

    def __init__(self, resolver: ModuleResolver,
                 overlay: Callable[[str], str | None] | None = None) -> None:
        self.resolver = resolver
        # With an overlay (the editor), files on disk may change while the graph lives: their
        # texts are checked against their stat before use.
        self.overlay = overlay
        self._texts: dict[str, tuple[str, str] | None] = {}  # path -> (text, digest)
        self._stats: dict[str, tuple[int, int]] = {}  # path -> (mtime_ns, size) of its read
        self._deps: dict[tuple[str, str], tuple[str, ...]] = {}  # (path, digest) -> imports
        self._closures: dict[str, frozenset[str]] = {}

    def forget(self, path: str | None = None) -> None:
        """A file changed: its text (every text, when `path` is None) is read again."""
        if path is None:
            self._texts.clear()
            self._stats.clear()
        else:
            self._texts.pop(os.path.realpath(path), None)
            self._stats.pop(os.path.realpath(path), None)
        self._closures.clear()

    def text(self, path: str) -> tuple[str, str] | None:
        if path in self._stats and self.overlay is not None and not self._same_file(path):
            self.forget(path)
        if path not in self._texts:
            text = self.overlay(path) if self.overlay is not None else None
            if text is None:
                try:
                    data, stat = read_limited(path)
                    text = decode_source(data)
                    self._stats[path] = (stat.st_mtime_ns, stat.st_size)
                except (UnreadableSource, OSError):
                    text = None
            self._texts[path] = None if text is None else (text, digest_of(text))
        return self._texts[path]

    def _same_file(self, path: str) -> bool:
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return self._stats[path] == (stat.st_mtime_ns, stat.st_size) and self.overlay(path) is None

    def deps(self, path: str) -> tuple[str, ...]:
        entry = self.text(path)
        if entry is None:
            return ()
        key = (path, entry[1])
        if key not in self._deps:
            self._deps[key] = imported_files(entry[0], path, self.resolver)
        return self._deps[key]

    def closure(self, path: str) -> frozenset[str]:
        """`path` and every workspace module it imports, transitively."""
        found = self._closures.get(path)
        if found is None:
            seen = {path}
            stack = [path]
            while stack:
                for dep in self.deps(stack.pop()):
                    if dep not in seen:
                        known = self._closures.get(dep)  # all it reaches: not walked again
                        seen.update(known or (dep,))
                        stack.extend(() if known else (dep,))
            found = self._closures[path] = frozenset(seen)
        return found

    def bottom_up(self, path: str) -> list[str]:
        """`path` and the modules it imports, transitively, deepest first (`path` last), without
        the imports within one cycle (`same_cycle`); walked without recursion, for a chain of
        thousands of imports (the summary store's `_summarise_imports`)."""
        order: list[str] = []
        seen = {path}
        stack = [(path, iter(self.deps(path)))]
        while stack:
            current, deps = stack[-1]
            target = next(deps, None)
            if target is None:
                stack.pop()
                order.append(current)
            elif target not in seen and not self.same_cycle(current, target):
                seen.add(target)
                stack.append((target, iter(self.deps(target))))
        return order

    def same_cycle(self, a: str, b: str) -> bool:
        """Whether `a` and `b` import each other, directly or not (one strongly connected
        component of the import graph)."""
        return a == b or (b in self.closure(a) and a in self.closure(b))

    def identity(self, paths: Iterable[str], version: str) -> str:
        """What summaries computed from `paths` depend on: every file of their closures, by
        path and digest, and the analyzer's version."""
        files: set[str] = set()
        for path in paths:
            files |= self.closure(path)
        parts = [version]
        for path in sorted(files):
            entry = self.text(path)
            parts.append(f"{path}\0{entry[1] if entry else '-'}")
        return blake2b("\n".join(parts).encode("utf-8", "surrogatepass"),
                               digest_size=16).hexdigest()


def dependency_key(graph: ModuleGraph, text: str, path: str | None,
                   imported: tuple[str, ...] | None = None) -> str:
    """The identity of the workspace modules `text` imports ("" when none): part of its
    result-cache key, computed alike with or without the analyzers loaded (scan.py).
    `imported`: `imported_files` of `text`, when the caller knows them (`ModuleGraph.deps`)."""
    targets = imported_files(text, path, graph.resolver) if imported is None else imported
    if targets and path is not None and "flask" in text:
        # Imported here: with it the whole taint analysis (~50 ms), which a warm scan needs not.
        from bastion.analyzers.taint.workspace_entries import reads_scoped

        if reads_scoped(text):
            # a hook of a module its packages load may fill Flask's `g` for it (scoped_hooks.py)
            targets = (*targets, *sorted(package_inits([path, *targets], graph.resolver)))
    return graph.identity(targets, "") if targets else ""
