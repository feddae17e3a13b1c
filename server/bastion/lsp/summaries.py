"""Workspace summaries in the editor: when the engine's workspace summaries
(engine/workspace_summaries.py) are computed, and what follows. An edit (or a file event for a
module changed on disk) is recorded by the engine, with no computation; a quarter of a second
after the last one, the background thread computes the summaries the open documents use, and a
document whose usable summaries changed is analysed again.

Threads: the event loop owns `_timer` and calls the engine's recording methods; the one
background thread (`_executor`) runs every computation (`compute`, `forget`, `reset`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from bastion.filekinds import is_python
from bastion.lsp.documents import Document

if TYPE_CHECKING:
    from bastion.lsp.server import BastionServer

log = logging.getLogger(__name__)
SETTLE_S = float(os.environ.get("BASTION_SUMMARY_SETTLE_MS", "250")) / 1000


class SummaryService:
    def __init__(self, server: BastionServer) -> None:
        self._server = server
        self._summaries = server.engine.summaries
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-summaries")
        self._timer: asyncio.TimerHandle | None = None

    def start(self, folders: list[str]) -> None:
        """At `initialize`: imports resolve in the workspace folders (none: no summaries)."""
        self._summaries.open(folders)

    def folders_changed(self, folders: list[str]) -> None:
        """Workspace folders added or removed: the summaries the open documents use are
        computed again (`WorkspaceSummaries.folders_changed`)."""
        texts = [(doc.path, doc.text) for doc in self._server.session.documents.values() if doc.path]
        again = self._summaries.folders_changed(folders, texts)
        self._executor.submit(self._summaries.reset)  # after the computation under way, if any
        if again:
            self._settle()

    def opened(self, doc: Document) -> None:
        self.changed(doc)

    def changed(self, doc: Document) -> None:
        if doc.path is not None and self._summaries.module_changed(doc.path, doc.text):
            self._settle()

    def closed(self, path: str | None) -> None:
        """The file on disk is its text again."""
        if path is not None and self._summaries.module_changed(path, None):
            self._settle()

    def disk_changed(self, path: str, created: bool = False) -> None:
        if self._summaries.disk_changed(path, created):
            self._settle()

    def deleted(self, paths: list[str]) -> None:
        if self._summaries.deleted(paths):
            self._settle()

    def manifests_changed(self) -> None:
        """A manifest declaring versions changed on disk: the documents using summaries that
        depend on it are analysed again."""
        if self._summaries.manifests_changed():
            self._settle()

    def _settle(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(SETTLE_S, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._server.lifecycle.shutting_down:
            return
        stale = self._summaries.stale()
        if stale is None:
            return
        documents = [(uri, doc.path, doc.text) for uri, doc in self._server.session.documents.items()
                     if doc.path and is_python(doc.path)]
        future = asyncio.get_running_loop().run_in_executor(
            self._executor, self._summaries.compute, stale, documents)
        future.add_done_callback(self._computed)

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
        self._summaries.prepare(text, path)

    def forget(self, uri: str) -> None:
        self._executor.submit(self._summaries.forget, uri)

    def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
