"""Workspace summaries in the editor: the taint summaries of the workspace modules that open
documents import, computed in the background, never on the keystroke path.

An edit (or a file event for a module changed on disk) only records the document's new text
and marks the module's summaries stale (a set add, no lock); a quarter of a second after the
last edit, the background thread recomputes the summaries the open documents use (the engine's
`SummaryStore` in its editor mode: the analyses read only what this service published). A
document whose usable summaries changed is analysed again. Until a summary exists, documents
are analysed without it; while a module's edits are not yet summarised, its old summary is used
at medium confidence.

Threads: the event loop owns `_store` (replaced whole when the workspace folders change, with
the summaries of modules under the remaining folders carried over), `_texts` (open documents'
texts by real path; the background reads single entries of it), `_pending`, `_gone` and
`_created`; the one background thread (`_executor`) runs every computation and owns `_used`
(each document's summaries digest at its last analysis request).
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from bastion.analyzers.taint.workspace import SummaryStore
from bastion.analyzers.taint.workspace_attach import attach, detach
from bastion.filekinds import is_python
from bastion.lsp.documents import Document

if TYPE_CHECKING:
    from bastion.lsp.server import BastionServer

log = logging.getLogger(__name__)
SETTLE_S = float(os.environ.get("BASTION_SUMMARY_SETTLE_MS", "250")) / 1000


class SummaryService:
    def __init__(self, server: BastionServer) -> None:
        self._server = server
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-summaries")
        self._store: SummaryStore | None = None
        self._texts: dict[str, str] = {}
        self._pending: set[str] = set()
        self._gone: set[str] = set()  # real paths deleted on disk, files or folders
        self._created = False  # a module was created on disk since the last computation
        self._manifests = False  # a manifest changed on disk since the last computation
        self._timer: asyncio.TimerHandle | None = None
        self._used: dict[str, bytes | None] = {}

    def start(self, folders: list[str], previous: SummaryStore | None = None) -> None:
        """At `initialize`: imports resolve in the workspace folders (none: no summaries)."""
        engine = self._server.engine
        if folders:
            self._store = attach(engine, folders, compute=False, overlay=self._texts.get,
                                 previous=previous)
        else:
            detach(engine)
            self._store = None

    def folders_changed(self, folders: list[str]) -> None:
        """Workspace folders added or removed: where imports resolve changed, so the summaries
        the open documents use are computed again; meanwhile those of modules under the
        remaining folders are still used (`SummaryStore.carry`), the removed folder's are not."""
        self._texts = {os.path.realpath(doc.path): doc.text
                       for doc in self._server.session.documents.values()
                       if doc.path and is_python(doc.path)}
        self.start(folders, self._store)
        self._executor.submit(self._used.clear)  # after the computation under way, if any
        if self._store is not None and self._texts:
            self._settle()

    def opened(self, doc: Document) -> None:
        self.changed(doc)

    def changed(self, doc: Document) -> None:
        path = doc.path
        store = self._store
        if path is None or store is None or not is_python(path):
            return  # a manifest or config file is no module: no summary uses or reads it
        real = os.path.realpath(path)
        self._texts[real] = doc.text
        store.mark_stale(real)
        self._pending.add(real)
        self._settle()

    def closed(self, path: str | None) -> None:
        """The file on disk is its text again."""
        if path is None or self._store is None:
            return
        real = os.path.realpath(path)
        if self._texts.pop(real, None) is not None:
            self._store.mark_stale(real)
            self._pending.add(real)
            self._settle()

    def disk_changed(self, path: str, created: bool = False) -> None:
        """A file event: a module changed on disk. An open document's text stays what the
        editor says it is; any other module is read again. A module `created`: an import that
        named no file may name it now."""
        if self._store is None:
            return
        self._created = self._created or created
        real = os.path.realpath(path)
        if real in self._texts:
            return
        self._store.mark_stale(real)
        self._pending.add(real)
        self._settle()

    def deleted(self, paths: list[str]) -> None:
        """Files or folders deleted on disk: the modules they held go in the background (a
        folder's event names the folder alone, none of its modules)."""
        if self._store is not None and paths:
            self._gone.update(os.path.realpath(path) for path in paths)
            self._settle()

    def manifests_changed(self) -> None:
        """A requirements or lock file changed on disk: the summaries of the modules naming a
        package whose declared version decides a sink are computed again (a helper's, which
        no edit of its own would recompute); the documents using them are analysed again."""
        if self._store is not None:
            self._manifests = True
            self._settle()

    def _settle(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(SETTLE_S, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._store is None or self._server.lifecycle.shutting_down:
            return
        changed, self._pending = self._pending, set()
        gone, self._gone = self._gone, set()
        created, self._created = self._created, False
        manifests, self._manifests = self._manifests, False
        documents = [(uri, doc.path, doc.text) for uri, doc in self._server.session.documents.items()
                     if doc.path and is_python(doc.path)]
        future = asyncio.get_running_loop().run_in_executor(
            self._executor, self._compute, self._store, changed, documents, gone, created, manifests)
        future.add_done_callback(self._computed)

    def _compute(self, store: SummaryStore, changed: set[str],
                 documents: list[tuple[str, str, str]], gone: set[str], created: bool,
                 manifests: bool = False) -> list[str]:
        """On the background thread: the summaries every open document may use; the documents
        whose usable summaries are not those of their last analysis."""
        for path in gone:
            store.deleted(path)
        if created:
            store.resolve_again()
        if manifests:
            changed = changed | set(store.versioned())
        for path in changed:
            store.changed(path)
        again = []
        for uri, path, text in documents:
            store.prepare(text, path)
            external = store.external(text, path)
            digest = external.digest if external is not None else None
            if self._used.get(uri) != digest:
                self._used[uri] = digest
                again.append(uri)
        return again

    def _computed(self, done: asyncio.Future) -> None:
        """On the loop, when the background work ends."""
        try:
            uris = done.result()
        except asyncio.CancelledError:
            return
        except Exception:
            log.exception("computing workspace summaries failed")
            return
        self._reanalyse(uris)

    def _reanalyse(self, uris: list[str]) -> None:
        session = self._server.session
        uris = [uri for uri in uris if uri in session.documents]
        if not uris:
            return
        for uri in uris:
            self._server.scheduler.refresh(uri)
        if session.client.pull_diagnostics:
            self._server.workspace_diagnostic_refresh(None)

    def prepare(self, text: str, path: str) -> None:
        """The summaries `text` uses, computed and published (the workspace scan's thread calls
        this before analysing a file in the server)."""
        store = self._store
        if store is not None:
            store.prepare(text, path)

    def forget(self, uri: str) -> None:
        self._executor.submit(self._used.pop, uri, None)

    def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
