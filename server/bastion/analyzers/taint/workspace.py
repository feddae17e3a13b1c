"""Workspace summaries: what a function of another workspace module does with its parameters
(parameter → return with the classes it stays clean for, parameter → sink with the sink's rule
and its path in that file, returns a source), for the files that import it.

A module's summaries are computed from its text, keyed by (module path, text digest, analyzer
version): a function's summary uses the summaries of the modules it imports in turn, computed
first (callees before callers over the import graph). Between modules that import each other
(one cycle of the import graph) no summary is used: the default call model applies, so the
result does not depend on which of them was reached first.

Two ways to use it:
- `compute=True` (`bastion check`, the workspace scan): a summary is computed when an analysis
  first needs it; every input is a file of the scanned tree, so results are deterministic.
- `compute=False` (the editor): an analysis only reads summaries published by `prepare`, which
  the language server runs in the background; before then, the analysis goes without them, and
  a summary of a module edited since is used as stale (medium confidence).

Owner: the store owns its graph and entries (`ModuleEntry`, workspace_entries.py), and the
memos of what its modules' import closures name (`ClosureTexts`, workspace_closure.py) and of
their Flask hooks (`HookIndex`, scoped_hooks.py); a module's summaries are computed by
`summarise` (workspace_summarise.py), published by `publish` (workspace_publish.py), and
served to a file's analysis by `external_of` (workspace_external.py).
Computation (`function`, `prepare`) is serialised by `_lock`, which guards them all; the
analysis thread reads published entries, and what hooks store in `g` for a file
(`HookIndex.published`), without it (one dict read, swapped whole).
"""

from __future__ import annotations

import ast
import os
import threading
from collections.abc import Callable, Iterable

from bastion.analyzers.taint.context import ModuleContext, class_facts
from bastion.analyzers.taint.foreign_changes import ForeignChanges
from bastion.analyzers.taint.gate import registrar_gate
from bastion.analyzers.taint.modules import (
    ModuleGraph,
    ModuleResolver,
    dependency_key,
    import_table,
)
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.scoped_hooks import HookIndex
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.url_routes import RouteIndex
from bastion.analyzers.taint.workspace_closure import ClosureTexts, naming
from bastion.analyzers.taint.workspace_entries import (
    REEXPORT_HOPS,
    External,
    Imports,
    ModuleEntry,
    class_bases,
    imports_of,
    returns_source,
)
from bastion.analyzers.taint.workspace_external import external_of
from bastion.analyzers.taint.workspace_gate import imports_source
from bastion.analyzers.taint.workspace_names import names_used, split_name
from bastion.analyzers.taint.workspace_publish import publish
from bastion.analyzers.taint.workspace_records import record_summaries
from bastion.analyzers.taint.workspace_summarise import handed, summarise
from bastion.engine.cache import LRU
from bastion.model.text import split_lines
from bastion.parsing import parse_code, parse_shared

_PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)
# Summaries computed one inside another (a module's, while its importer's is computed) before
# the rest of the import chain is computed bottom-up instead (`_summarise_imports`).
_DEEP = 16

CONTEXTS_KEPT = 256  # module contexts a scan keeps for the other builder (`SummaryStore.context`)

class SummaryStore:
    def __init__(self, roots: Iterable[str], models: Models, version: str, compute: bool = True,
                 overlay: Callable[[str], str | None] | None = None) -> None:
        self.graph = ModuleGraph(ModuleResolver(roots), overlay)
        self.models = models
        self.version = version
        self.compute = compute
        self._lock = threading.RLock()
        self._modules: dict[str, ModuleEntry] = {}  # working entries, current digest
        self._published: dict[str, ModuleEntry] = {}  # what analyses read (compute=False)
        self._dirty: set[str] = set()  # edited since their summaries were published
        self._active: set[str] = set()  # modules being summarised
        self._closures = ClosureTexts(self.graph, models)  # under `_lock`
        self._hooks = HookIndex(self.graph, self._module, models)  # under `_lock` (see `published`)
        self._routes = RouteIndex(self.graph, self._module)  # Django's urls.py, as `_hooks`
        self.foreign = ForeignChanges(self.graph, self._lock, compute)  # foreign_changes.py
        # compute=True: the last answer of `external`, for its `Imports` and path (a scan asks
        # three times per file: its findings, what it left out, its verdicts)
        self._last_external: tuple[Imports, str | None, External | None] | None = None
        # compute=True: the last answer of `imports_source`, for its text and path (asked as often)
        self._last_sourced: tuple[str, str | None, bool] | None = None
        # compute=True: the module contexts built, by path, until the scan or `summarise` takes
        # the other's (`context`); whether a text names a registrar as the taint analyzer asks
        self._contexts: LRU[str, tuple] = LRU(CONTEXTS_KEPT)
        self.registrars = registrar_gate(models, edits=False)

    # ---- for the analyzer (any thread) ----

    @property
    def roots(self) -> tuple[str, ...]:
        """The folders (real paths) whose modules the store summarises."""
        return self.graph.resolver.limits

    def external(self, source: str | Imports, path: str | None) -> External | None:
        """From a parsed module's `Imports`, or a text's import lines (a superset). A scan's
        answer for the same `Imports` and path is the last one while no file changed: it is
        made of the texts of the modules imported, read once."""
        last = self._last_external
        if last is not None and last[0] is source and last[1] == path:
            return last[2]
        external = external_of(self, source, path)
        if self.compute and isinstance(source, Imports):
            self._last_external = (source, path, external)
        return external

    def context(self, path: str, tree: ast.Module, table: dict[str, str], foreign: frozenset[str],
                names_registrar: bool) -> ModuleContext | None:
        """In a scan, a copy (the caller's to change) of the context the scan of `path` or
        `summarise` built (`keep_context`) of this very tree with the caller's import table,
        foreign names and answer to whether the text names a registrar: what the caller would
        build. Handed once, to the other."""
        kept = self._contexts.get(path) if self.compute else None
        if kept is None or kept[0] is not tree or kept[1:4] != (table, foreign, names_registrar):
            return None
        self._contexts.pop(path)
        return handed(kept[4])

    def keep_context(self, path: str, tree: ast.Module, table: dict[str, str], foreign: frozenset[str],
                     names_registrar: bool, context: ModuleContext) -> ModuleContext:
        """`context` as built, kept in a scan for `context`; a copy for the caller to change."""
        if not self.compute:
            return context
        self._contexts.put(path, (tree, dict(table), foreign, names_registrar, context))
        return handed(context)

    def imports_source(self, text: str, path: str | None) -> bool:
        """Whether `text` imports a function of a workspace module returning untrusted data
        (`from .web import arg`): a module naming no source reads one through it (relevance.py,
        workspace_gate.py). The editor's published summaries alone."""
        last = self._last_sourced
        if last is not None and last[1] == path and last[0] == text:
            return last[2]
        found = imports_source(text, path, self.graph.resolver, self._returns_source)
        if self.compute:
            self._last_sourced = (text, path, found)
        return found

    def _returns_source(self, target: str, function: str) -> bool:
        if self.compute:
            found = self.function(target, function, False)
        else:
            entry = self._published.get(target)
            found = entry.summaries.get(function) if entry is not None else None
        return found is not None and returns_source(found, self.models)

    def dependency_key(self, text: str, path: str | None) -> str | None:
        """Part of a file's result-cache key: the identity of every workspace module it may
        import (None: do not cache, an editor result that may use stale or missing summaries)."""
        with self._lock:
            if self.compute:
                return dependency_key(self.graph, text, path)
            return None if import_table(text, path, self.graph.resolver) else ""

    def imported(self, path: str) -> frozenset[str]:
        """The workspace modules the file at `path` imports: a scan hands files importing the
        same ones to one worker (fork_pool.py's `near`), which then computes their summaries once."""
        with self._lock:
            return frozenset(self.graph.deps(os.path.realpath(path)))

    def urls_key(self, text: str, path: str | None) -> str:
        """Part of a Django module's result-cache key: the `urls.py` files near it (url_routes.py)."""
        with self._lock:
            return self._routes.files.key(text, path)

    def declarations(self, text: str, path: str | None, packages: frozenset[str]) -> bytes:
        """What the summaries of the modules `text` imports owe to the package versions their
        project declares (declared_versions.py): each module of the closure that names one of
        `packages`, looked up from its own folder (b"": none names one). A scan's result-cache
        key part; the editor's results are not cached (`dependency_key`)."""
        if not packages or not self.compute:
            return b""
        with self._lock:
            return self._closures.declarations(text, path, packages)

    # ---- computing (the background, or a scan's analysis) ----

    def function(self, path: str, name: str, tainted: bool = True, hops: int = 0) -> Summary | None:
        """The summary of `name` in the module at `path`, or in the module it imports `name`
        from (a re-export, followed `REEXPORT_HOPS` times at most: imports may go round). Called with
        no tainted argument, only a summary that returns a source matters: none is computed
        for a module that reads no source, even through its imports (most calls of a scan)."""
        with self._lock:
            if not tainted and not self._closures.may_source(path):
                return None
            module = self._module(path)
            if module is None:
                return None
            wanted = self._wanted(module, name)
            if wanted != set() and not module.summarised and path not in self._active:
                if len(self._active) >= _DEEP:
                    self._summarise_imports(path)
                self._active.add(path)
                try:
                    summarise(self, module, wanted)
                finally:
                    self._active.discard(path)
            found = module.summaries.get(name)
            if found is None and name.endswith(".__init__"):
                found = self._records(module).get(name)
            target, function = module.reexport(name) if found is None else (None, name)
            if target is not None and hops < REEXPORT_HOPS:
                return self.function(target, function, tainted, hops + 1)
            return found if found is None or tainted or returns_source(found, self.models) else None

    def prepare(self, text: str, path: str | None) -> None:
        """Computes every summary the file's calls may use (those of the functions it calls
        and of those it hands a thread or an executor, callbacks.py) and publishes the modules
        they are in (the editor's background work)."""
        with self._lock:
            try:
                tree = parse_code(text)
            except _PARSE_ERRORS:
                return
            imports = imports_of(tree, text)
            table = import_table(imports.statements, path, self.graph.resolver)
            self._hooks.publish(path, imports, table)
            self._routes.publish(path, imports.django)
            if not table:
                return
            visited: set[str] = set()
            for name, base in names_used(tree, text, self.models):
                if base:
                    class_bases(name, table, self._loaded, visited=visited)
                    continue
                target, function = split_name(name, table)
                if target is not None:
                    self.function(target, function)
            for target in visited:  # the methods a class of the file inherits from there
                self.function(target, "")
            # what they store in Flask's `g` and their form classes (`item: ItemIn`), whether
            # the file calls them or not
            for target in table.values():
                loaded = self._loaded(target)
                if loaded is not None and loaded.aliases:  # `from .deps import CommonsDep`
                    self.function(target, "")  # the dependencies its aliases name
            for target in set(table.values()) | visited:
                publish(self, target)

    def changed(self, path: str) -> None:
        """A module's text changed (an edit, a save, a file event): its summaries are stale
        until computed again."""
        with self._lock:
            self._last_external = self._last_sourced = None
            real = os.path.realpath(path)
            self.graph.forget(real)
            self._modules.pop(real, None)
            self._closures.forget()
            if real in self._published:
                self._dirty.add(real)

    def deleted(self, path: str) -> None:
        """A file or folder (a real path) was deleted: the modules under it are gone, with
        their published summaries, and imports are resolved again (one may now name another
        file). A folder's file event names the folder alone."""
        prefix = path.rstrip(os.sep) + os.sep
        with self._lock:
            for module in set(self._published) | set(self._modules):
                if module == path or module.startswith(prefix):
                    self._published.pop(module, None)
                    self._dirty.discard(module)
                    self._modules.pop(module, None)
                    self.graph.forget(module)
        self.resolve_again()

    def resolve_again(self) -> None:
        """Files appeared or went: every import is resolved again."""
        with self._lock:
            self._last_external = self._last_sourced = None
            self._closures.forget()
            self._routes.files.forget()
            self.graph.resolver.forget()

    def carry(self, previous: SummaryStore) -> None:
        """The editor's workspace folders changed, this store is for the new ones: until the
        background computes them under the new roots, analyses use what `previous` published
        for modules still under them (dropping them all would hide their findings meanwhile),
        and what hooks of other modules store in `g` for a file. One computed from a file no
        longer under them is used as stale. Computing them again is what brings an added
        folder's modules in, and corrects one whose imports resolve elsewhere without leaving
        the folders (a nested folder removed)."""
        resolver = self.graph.resolver
        dirty = set(previous._dirty)
        for path, module in dict(previous._published).items():  # copied whole: no lock needed
            if resolver.holds(path):
                self._published[path] = module
                if path in dirty or not all(resolver.holds(p) for p in module.closure):
                    self._dirty.add(path)
        self._hooks.published = dict(previous._hooks.published)
        self._routes.published = dict(previous._routes.published)

    def versioned(self) -> list[str]:
        """The modules held whose summaries depend on the manifests (workspace_closure.py)."""
        with self._lock:
            return naming({**self._published, **self._modules}, self.models.versioned)

    def mark_stale(self, path: str) -> None:
        """At an edit, on the editor's loop (no lock: one set add): analyses use the module's
        published summaries as stale until `changed` and `prepare` run in the background."""
        if path in self._published:
            self._dirty.add(path)

    def _loaded(self, path: str) -> ModuleEntry | None:
        """The module at `path`, parsed, with its classes (under the lock)."""
        module = self._module(path)
        if module is not None:
            self._classes(module)
        return module

    def _classes(self, module: ModuleEntry) -> dict[str, tuple[str | None, ...]]:
        if module.classes is None:
            facts = class_facts(module.tree, self.models, text=module.text,
                                path=module.path, workspace=lambda name: split_name(name, module.table))
            module.classes = facts.class_bases
            module.records = record_summaries(facts)
            module.scoped, module.forms, module.aliases = facts.scoped, facts.forms, facts.aliases
        return module.classes

    def _records(self, module: ModuleEntry) -> dict[str, Summary]:
        """The summaries of its record classes' generated `__init__` (workspace_records.py)."""
        if module.records is None:
            self._classes(module)
        return module.records or {}

    def _module(self, path: str) -> ModuleEntry | None:
        entry = self.graph.text(path)
        if entry is None:
            return None
        text, digest = entry
        module = self._modules.get(path)
        if module is None or module.digest != digest:
            try:
                tree = parse_shared(text)  # the tree a one-off scan's engine holds (parsing.py)
            except _PARSE_ERRORS:
                return None
            module = ModuleEntry(path, digest, tree, text, split_lines(text),
                             import_table(tree, path, self.graph.resolver, text))
            self._modules[path] = module
        return module

    def _summarise_imports(self, path: str) -> None:
        """The modules `path` imports, transitively, summarised deepest first, one after the
        other: a chain of thousands of imports (a hostile repository) would otherwise nest one
        summary's computation in the next until Python's recursion limit stops the analysis.
        A summary does not depend on the order it is computed in (see `summarise`), so the
        result is the one computed on demand."""
        for target in self.graph.bottom_up(path)[:-1]:  # `path` itself: the caller's
            module = self._module(target)
            if module is not None and not module.summarised and target not in self._active:
                self._active.add(target)
                try:
                    summarise(self, module)
                finally:
                    self._active.discard(target)

    def _wanted(self, module: ModuleEntry, name: str) -> set[str] | None:
        """What to summarise for `name`: None, the whole module (the editor publishes modules
        whole; a class's methods are asked for by ""); in a scan (`compute`), only the function,
        what it calls is added by `analyse_module`, and nothing (an empty set) when it is done
        or is no function another module can call."""
        if not self.compute or not name:
            return None
        top, instances = module.exported()
        owner, _, method = name.rpartition(".")  # `db.query`, `Product.objects.search`
        function = f"{instances[owner]}.{method}" if owner in instances else name
        if function not in top or function in module.done:
            return set()
        return {function}
