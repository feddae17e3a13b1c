"""Workspace summaries in the editor: the summaries of the workspace modules that open documents
import, for the analyzers that have some (`Analyzer.summaries`), computed when the front end
asks (`compute`, on a thread of its own, never on the keystroke path). An edit or a file event
only records the module's new text and marks its summaries stale; until `compute` runs, the
analyses use a stale module's old summaries, and a document goes without those not yet
computed. `compute` says which documents' usable summaries changed: they are to be analysed
again.

Threads: the front end's thread (the language server's event loop) calls `open`,
`folders_changed`, `module_changed`, `disk_changed`, `deleted`, `manifests_changed` and `stale`,
and owns `_stores` (replaced whole by `open`), `_texts` (the open documents' texts by real path;
the computing thread reads single entries of it), `_changed`, `_gone`, `_created` and
`_manifests`. One computing thread calls `compute`, `forget` and `reset`, and owns `_used`.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Sequence

from bastion import attrs_classes
from bastion.analyzers.base import Analyzer, Summaries
from bastion.filekinds import is_python


@attrs_classes.frozen
class Stale:
    """What changed since the last `stale`, for one `compute`."""

    stores: tuple[Summaries, ...]
    changed: frozenset[str]  # modules whose text changed (real paths)
    gone: frozenset[str]  # files or folders deleted on disk (real paths)
    created: bool  # a module was created on disk: an import may name it now
    manifests: bool  # a manifest declaring versions changed on disk


class WorkspaceSummaries:
    def __init__(self, analyzers: Sequence[Analyzer]) -> None:
        self._analyzers = analyzers
        self._stores: dict[str, Summaries] = {}  # by analyzer id
        self._texts: dict[str, str] = {}
        self._changed: set[str] = set()
        self._gone: set[str] = set()
        self._created = False
        self._manifests = False
        self._used: dict[Hashable, tuple[bytes | None, ...] | None] = {}

    @property
    def active(self) -> bool:
        """Whether any analyzer uses workspace summaries (there are workspace folders)."""
        return bool(self._stores)

    def open(self, folders: Sequence[str]) -> None:
        """Imports resolve in the workspace `folders` (none: the analyzers use no summaries)."""
        self._use(folders, {})

    def folders_changed(self, folders: Sequence[str], texts: Iterable[tuple[str, str]]) -> bool:
        """Workspace folders added or removed; `texts`: the open documents' (path, text). Where
        imports resolve changed, so the summaries the open documents use are to be computed
        again (True: some are); meanwhile those of modules under the remaining folders are
        still used, the removed folders' are not. The caller then calls `reset` on the
        computing thread."""
        self._texts = {os.path.realpath(path): text for path, text in texts if is_python(path)}
        self._use(folders, self._stores)
        return self.active and bool(self._texts)

    def _use(self, folders: Sequence[str], previous: dict[str, Summaries]) -> None:
        stores = {}
        for analyzer in self._analyzers:
            store = analyzer.summaries(folders, self._texts.get, previous.get(analyzer.id))
            if store is not None:
                stores[analyzer.id] = store
        self._stores = stores

    def module_changed(self, path: str, text: str | None) -> bool:
        """A document opened or edited (`text`: the editor's), or closed (None: the file on
        disk is its text again). True: the summaries are to be computed."""
        if not self._stores or not is_python(path):
            return False  # a manifest or config file is no module: no summary uses or reads it
        real = os.path.realpath(path)
        if text is not None:
            self._texts[real] = text
        elif self._texts.pop(real, None) is None:
            return False
        self._stale(real)
        return True

    def disk_changed(self, path: str, created: bool = False) -> bool:
        """A file event: a module changed on disk (`created`: an import that named no file may
        name it now). An open document's text stays what the editor says it is."""
        if not self._stores:
            return False
        self._created = self._created or created
        real = os.path.realpath(path)
        if real in self._texts:
            return False
        self._stale(real)
        return True

    def deleted(self, paths: Sequence[str]) -> bool:
        """Files or folders deleted on disk: the modules they held go at the next `compute` (a
        folder's event names the folder alone, none of its modules)."""
        if not self._stores or not paths:
            return False
        self._gone.update(os.path.realpath(path) for path in paths)
        return True

    def manifests_changed(self) -> bool:
        """A manifest declaring versions changed on disk: the summaries of the modules naming a
        package whose declared version decides a sink are computed again (a helper's, which no
        edit of its own would recompute)."""
        if self._stores:
            self._manifests = True
        return self.active

    def _stale(self, real: str) -> None:
        for store in self._stores.values():
            store.mark_stale(real)
        self._changed.add(real)

    def stale(self) -> Stale | None:
        """What changed since the last call, handed to `compute` (None: no summaries)."""
        if not self._stores:
            return None
        stale = Stale(tuple(self._stores.values()), frozenset(self._changed), frozenset(self._gone),
                      self._created, self._manifests)
        self._changed, self._gone, self._created, self._manifests = set(), set(), False, False
        return stale

    def compute(self, stale: Stale, documents: Iterable[tuple[Hashable, str, str]]) -> list[Hashable]:
        """On the computing thread: the summaries every document (key, path, text) may use;
        the keys of the documents whose usable summaries are not those of their last
        analysis (or of the last `compute` that named them)."""
        for store in stale.stores:
            for path in stale.gone:
                store.deleted(path)
            if stale.created:
                store.resolve_again()
            changed = stale.changed | set(store.versioned()) if stale.manifests else stale.changed
            for path in changed:
                store.changed(path)
        again = []
        for key, path, text in documents:
            for store in stale.stores:
                store.prepare(text, path)
            used = tuple(store.used(text, path) for store in stale.stores)
            digest = used if any(part is not None for part in used) else None
            if self._used.get(key) != digest:
                self._used[key] = digest
                again.append(key)
        return again

    def prepare(self, text: str, path: str) -> None:
        """The summaries `text` uses, computed and published (any thread: the language server's
        workspace scan calls this before analysing a file)."""
        for store in tuple(self._stores.values()):
            store.prepare(text, path)

    def forget(self, key: Hashable) -> None:
        """On the computing thread: the document was closed."""
        self._used.pop(key, None)

    def reset(self) -> None:
        """On the computing thread, after `folders_changed`: every document's summaries are
        new."""
        self._used.clear()
