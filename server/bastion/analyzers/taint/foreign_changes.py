"""Which module-level names of a workspace module other modules of a scan may change in place
(issue 12): `from .checks import ALLOWED` then `ALLOWED.append(url)`, `ALLOWED += [url]`,
`ALLOWED[k] = v` or `fill(ALLOWED)` anywhere in another module, or `checks.ALLOWED.add(url)`,
`checks.ALLOWED = [...]` through the module. Python shares the one list: a guard reading it in
`checks.py` (`url in ALLOWED`, `for prefix in ALLOWED`) proves nothing once any module of the
program changes it, so such a list, dict or set is no constant for `checks.py` (context.py),
its functions' summaries included (workspace.py). A module re-exporting the name
(`pkg/__init__.py` with `from .checks import ALLOWED`) passes on a change made through it.

Each importer's text is read as bindings.py reads a module's own (an occurrence in doubt, in a
string or a comment too, counts as a change), outside its import statements; a star import
counts every name its tree changes in place. Only the files under the scan's roots are seen:
past MAX_FILES of them, a change is looked for only in the first MAX_FILES found. `ForeignChanges`
belongs to the summary store (workspace.py) and takes its lock.
"""

from __future__ import annotations

import ast
import os
import re
import threading
from collections.abc import Iterator

from bastion.analyzers.taint.bindings import changed_at, changed_in_tree, name_occurrences
from bastion.analyzers.taint.modules import ModuleGraph, import_matches

MAX_FILES = 20000
_SKIPPED = frozenset({"__pycache__", "node_modules", "site-packages"})
_ITEM = re.compile(r"\s*([A-Za-z_][\w.]*)(?:\s+as\s+(\w+))?\s*$")
# `ALLOWED += [url]` on a list changes it in place (`list.__iadd__`), though it rebinds the name
_AUGMENTED = re.compile(r"\s*(?:[-+*/%&|^@]|//|\*\*|>>|<<)=")
Changes = dict[str, set[str]]  # defining file -> names of it changed
Exported = dict[str, dict[str, str]]  # defining file -> {name bound here -> name there}


class _At:
    """An occurrence's span, as `bindings.changed_at` reads a match."""

    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


class ForeignChanges:
    """A scan's (`compute`): the files are read as they are when first asked, and the editor's
    store, whose files change, asks nothing (it keeps reading a module alone, see workspace.py)."""

    def __init__(self, graph: ModuleGraph, lock: threading.RLock, compute: bool) -> None:
        self._graph = graph
        self._lock = lock
        self._compute = compute
        self._importers: dict[str, list[str]] | None = None  # defining file -> its importers
        self._read: dict[tuple[str, str], tuple[Changes, Exported]] = {}  # (file, digest) -> ...

    def changed(self, path: str | None) -> frozenset[str]:
        """The names of the module at `path` another module may change in place."""
        if not self._compute or path is None:
            return frozenset()
        with self._lock:
            return frozenset(self._changed(os.path.realpath(path), set()))

    def _changed(self, path: str, seen: set[str]) -> set[str]:
        seen.add(path)
        found: set[str] = set()
        for importer in self._importers_of(path):
            changes, exported = self._of(importer)
            found |= changes.get(path, set())
            bound = exported.get(path)
            if bound and importer not in seen:
                again = self._changed(importer, seen)  # through a re-export
                found.update(name for local, name in bound.items() if local in again)
        return found

    def _importers_of(self, path: str) -> list[str]:
        if self._importers is None:
            importers: dict[str, list[str]] = {}
            for importer in _files(self._graph.resolver.limits):
                for target in self._graph.deps(importer):
                    importers.setdefault(target, []).append(importer)
            self._importers = importers
        return self._importers.get(path, [])

    def _of(self, path: str) -> tuple[Changes, Exported]:
        entry = self._graph.text(path)
        if entry is None:
            return {}, {}
        key = (path, entry[1])
        if key not in self._read:
            self._read[key] = _changes(entry[0], path, self._graph)
        return self._read[key]


def _files(roots: tuple[str, ...]) -> Iterator[str]:
    count = 0
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED
                             and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg")))
            for name in sorted(files):
                if name.endswith(".py"):
                    count += 1
                    if count > MAX_FILES:
                        return
                    yield os.path.realpath(os.path.join(folder, name))


def _changes(text: str, path: str, graph: ModuleGraph) -> tuple[Changes, Exported]:
    """What the module's text changes of each workspace module it imports, and the names it
    binds to those modules' names (what a change made through it changes)."""
    resolve = graph.resolver.resolve
    spans: list[tuple[int, int]] = []
    names: Exported = {}
    modules: dict[str, str] = {}  # a module as the text writes it -> its file
    starred: list[str] = []
    for match in import_matches(text):
        spans.append((match.start(), match.end()))
        dots, module, items, plain = match.groups()
        level = len(dots or "")
        for name, alias in _items(plain if plain is not None else items):
            if plain is not None:  # `import a.b`: `a.b.NAME`, and `a.NAME` of a/__init__.py
                parts = name.split(".")
                for end in range(1, len(parts) + 1) if alias is None else (len(parts),):
                    found = resolve(".".join(parts[:end]), path, 0)
                    if found is not None:
                        modules[alias or ".".join(parts[:end])] = found
                continue
            owner = resolve(module or "", path, level)
            if name == "*":
                if owner is not None:
                    starred.append(owner)
                continue
            sub = resolve(f"{module}.{name}" if module else name, path, level)
            if sub is not None:
                modules[alias or name] = sub
            elif owner is not None:
                names.setdefault(owner, {})[alias or name] = name
    changes: Changes = {}
    for owner, bound in names.items():
        for local, name in bound.items():
            if _name_changed(local, text, spans):
                changes.setdefault(owner, set()).add(name)
    for written, owner in modules.items():
        changes.setdefault(owner, set()).update(_attributes_changed(written, text, spans))
    if starred:
        every = _star_changes(text)
        for owner in starred:
            changes.setdefault(owner, set()).update(every)
    changes.pop(os.path.realpath(path), None)
    return changes, names


def _star_changes(text: str) -> set[str]:
    """Every name the module changes in place, or augments (what a star import may have bound)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    augmented = {n.target.id for n in ast.walk(tree)
                 if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)}
    return augmented.union(*(changed_in_tree(s) for s in tree.body))


def _items(items: str) -> Iterator[tuple[str, str | None]]:
    for item in items.strip().strip("()").split(","):
        match = _ITEM.match(item)
        if match is not None:
            yield match.group(1), match.group(2)
        elif item.strip() == "*":
            yield "*", None


def _outside(position: int, spans: list[tuple[int, int]]) -> bool:
    return not any(start <= position < end for start, end in spans)


def _name_changed(local: str, text: str, spans: list[tuple[int, int]]) -> bool:
    for match in name_occurrences(local, text):
        if not _outside(match.start(), spans):
            continue
        if _AUGMENTED.match(text, match.end()) or changed_at(iter((match,)), text, attribute=False):
            return True
    return False


def _attributes_changed(written: str, text: str, spans: list[tuple[int, int]]) -> set[str]:
    """The names `checks.NAME` changes, for a module the text writes `checks`."""
    found: set[str] = set()
    pattern = re.compile(re.escape(written).replace(r"\.", r"\s*\.\s*") + r"\s*(\.\s*(\w+))")
    for match in pattern.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_.") \
                or not _outside(start, spans) or match.group(2) in found:
            continue
        if changed_at(iter((_At(match.start(1), match.end(1)),)), text, attribute=True):
            found.add(match.group(2))
    return found
