"""`bastion.scanWorkspace` and `workspace/diagnostic`: every Python file of the workspace folders.

One refresh walks the folders (excludes of each file's own settings honoured), reuses the result
of every file whose size, mtime and settings generation are unchanged, and analyses the rest:
in the server's engine for a few files (through `Engine.lock`, like the live analyses), in worker
processes for many (bandit keeps global state per process; the server's GIL stays free for the
editor). Both go through the persistent result cache. The walk and the analysis run on a
single-thread executor of their own (workspace_refresh.py); results come back to the event loop
in batches.

Push clients see the results of files that are not open in the Problems panel; open files keep
their live, per-version diagnostics. Pull clients get them from `workspace/diagnostic`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
from lsprotocol import types

from bastion.config import Config
from bastion.files import lies_within
from bastion.lsp.documents import uri_to_path
from bastion.lsp.features.workspace_refresh import (
    FileResult,
    RefreshWork,
    Summary,
    Target,
    file_stat,
    path_key,
    walk_folders,
)
from bastion.lsp.pygls_compat import forget_progress, progress_cancellation
from bastion.lsp.settings import Message

log = logging.getLogger(__name__)
COMMAND = "bastion.scanWorkspace"
TITLE = "Bastion: scanning workspace"


class WorkspaceScan:
    """Workspace results by file (normalised path); only the event loop thread mutates them."""

    def __init__(self, server) -> None:
        self._server = server
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-workspace")
        self._lock: asyncio.Lock | None = None
        self._background: set[asyncio.Task] = set()
        self._pull: asyncio.Task | None = None
        self.results: dict[str, FileResult] = {}

    # helpers ----------------------------------------------------------------------------------

    def _in_background(self, paths: list[str]) -> None:
        task = asyncio.ensure_future(self.refresh(paths=paths))
        self._background.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._background.discard)

    def _shutting_down(self) -> bool:
        return self._server.lifecycle.shutting_down

    def _open_keys(self) -> set[str]:
        return {path_key(doc.path) for doc in self._server.session.documents.values() if doc.path}

    def _publish(self, uri: str, diagnostics) -> None:
        self._server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=list(diagnostics)))

    def _forget(self, key: str, open_keys: set[str]) -> None:
        old = self.results.pop(key, None)
        if old is not None and not self._server.session.client.pull_diagnostics \
                and key not in open_keys and old.diagnostics:
            self._publish(old.uri, [])

    def _targets(self, paths: list[str]) -> tuple[list[Target], list[str]]:
        """Targets with their own config; also the keys of files their config now excludes."""
        ls, settings = self._server, self._server.session.settings
        configs: dict[str, Config] = {}
        targets, excluded = [], []
        for path in paths:
            folder = os.path.dirname(path)
            if folder not in configs:
                configs[folder], messages = settings.config_for(path)
                ls.show_messages(messages)
            config = configs[folder]
            if not config.enabled or config.excludes(path):
                excluded.append(path_key(path))
            else:
                targets.append(Target(path, path_key(path), Path(path).as_uri(), config))
        return targets, excluded

    def _commit(self, batch: list[FileResult], done: int, summary: Summary,
                progress: Callable[[Summary], None] | None) -> None:
        push = not self._server.session.client.pull_diagnostics
        open_keys = self._open_keys() if push else set()
        for result in batch:
            key = path_key(result.path)
            self.results[key] = result
            summary.findings += len(result.diagnostics) if result.error is None else 0
            if push and key not in open_keys and result.uri not in self._server.session.documents:
                self._publish(result.uri, result.diagnostics)
        summary.files = done
        if progress is not None and batch:
            progress(summary)

    # refresh ----------------------------------------------------------------------------------

    async def refresh(self, should_stop: Callable[[], bool] = lambda: False,
                      progress: Callable[[Summary], None] | None = None,
                      paths: list[str] | None = None) -> Summary:
        """Bring the results up to date: the whole workspace, or only `paths`."""
        if self._server.rules_missing is not None:
            # A broken install analyses nothing: the request fails (and the user is told), so
            # that no file's empty result reads as clean.
            self._server.show_messages([Message("error", self._server.rules_missing)])
            raise RuntimeError(self._server.rules_missing)
        if self._lock is None:
            self._lock = asyncio.Lock()
        stop = lambda: should_stop() or self._shutting_down()  # noqa: E731
        async with self._lock:
            ls, settings = self._server, self._server.session.settings
            loop = asyncio.get_running_loop()
            if paths is None:
                roots = []
                for folder in settings.folders:
                    if os.path.isdir(folder):
                        config, messages = settings.config_for(os.path.join(folder, "__init__.py"))
                        ls.show_messages(messages)
                        roots.append((folder, config))
                paths = await loop.run_in_executor(self._executor, walk_folders, roots)
                full = True
            else:
                full = False
            targets, excluded = self._targets(paths)
            generation = settings.generation
            open_keys = self._open_keys()
            for key in excluded:
                self._forget(key, open_keys)
            summary = Summary(total=len(targets))
            work = RefreshWork(ls.engine, targets, dict(self.results), generation, ls.codec,
                               stop, lambda batch, done: loop.call_soon_threadsafe(
                                   self._commit, batch, done, summary, progress),
                               tuple(settings.folders), ls.summaries.prepare)
            await loop.run_in_executor(self._executor, work.run)
            # Every batch was queued on the loop before the executor's result: all committed.
            summary.cancelled = summary.files < len(targets)
            if full and not summary.cancelled:
                seen = {t.key for t in targets}
                for key in [k for k in self.results if k not in seen]:
                    self._forget(key, self._open_keys())
            return summary

    # entry points -----------------------------------------------------------------------------

    async def scan_command(self) -> dict:
        ls = self._server
        token = None
        window = ls.client_capabilities.window
        if window is not None and window.work_done_progress:
            token = f"bastion-scan-{uuid.uuid4().hex}"
            try:
                await ls.work_done_progress.create_async(token)
            except Exception as exc:
                log.info("window/workDoneProgress/create failed: %s", exc)
                token = None
        progress = _Reporter(ls, token)
        stop = threading.Event()
        try:
            summary = await self.refresh(lambda: stop.is_set() or progress.cancelled(),
                                         progress.report)
        except BaseException as exc:  # CancelledError: $/cancelRequest of the command itself
            stop.set()
            progress.end("Cancelled" if isinstance(exc, asyncio.CancelledError)
                         else "Failed (see the output log)")
            raise
        progress.end(summary.message())
        ls.window_log_message(types.LogMessageParams(
            type=types.MessageType.Info, message=f"Bastion: {summary.message()}"))
        workspace = ls.client_capabilities.workspace
        if (ls.session.client.pull_diagnostics and workspace and workspace.diagnostics
                and workspace.diagnostics.refresh_support):
            ls.workspace_diagnostic_refresh(None)
        return summary.as_dict()

    async def workspace_report(self, params: types.WorkspaceDiagnosticParams
                               ) -> types.WorkspaceDiagnosticReport:
        # A cancelled request (the client asks again soon) leaves the refresh running: its
        # results are kept, and the next request joins it instead of starting over.
        if self._pull is None or self._pull.done():
            self._pull = asyncio.ensure_future(self.refresh())
        summary = await asyncio.shield(self._pull)
        if summary.cancelled:
            log.info("workspace/diagnostic: %s", summary.message())
        previous = {p.uri: p.value for p in params.previous_result_ids or []}
        documents, open_keys = self._server.session.documents, self._open_keys()
        items: list = []
        for key, result in sorted(self.results.items()):
            if key in open_keys or result.uri in documents:
                continue  # served by textDocument/diagnostic
            if previous.pop(result.uri, None) == result.result_id:
                items.append(types.WorkspaceUnchangedDocumentDiagnosticReport(
                    uri=result.uri, version=None, result_id=result.result_id))
            else:
                items.append(types.WorkspaceFullDocumentDiagnosticReport(
                    uri=result.uri, version=None, items=list(result.diagnostics),
                    result_id=result.result_id))
        for uri in previous:  # deleted or now excluded: clear what the client still shows
            path = uri_to_path(uri)
            if uri not in documents and not (path and path_key(path) in open_keys):
                items.append(types.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, version=None, items=[]))
        return types.WorkspaceDiagnosticReport(items=items)

    def after_close(self, uri: str) -> list[types.Diagnostic]:
        """What a push client should show for a file just closed: its workspace result when it
        is still current, else nothing for now (a re-analysis publishes the result)."""
        path = uri_to_path(uri)
        result = self.results.get(path_key(path)) if path else None
        if result is None:
            return []
        if not os.path.exists(path):
            self.results.pop(path_key(path), None)
            return []
        if (file_stat(path) == result.stat
                and result.generation == self._server.session.settings.generation):
            return list(result.diagnostics)
        self._in_background([path])
        return []

    def folders_changed(self) -> None:
        """The workspace folders changed: the results of files in none of them go (a push client
        stops showing them)."""
        folders = tuple(self._server.session.settings.folders)
        open_keys = self._open_keys()
        for key, result in list(self.results.items()):
            if not lies_within(result.path, folders):
                self._forget(key, open_keys)

    def deleted(self, paths: list[str]) -> list[str]:
        """Files or folders deleted on disk: the results of the files they held go now (a push
        client stops showing them), not at the next whole scan; a folder deleted is one event,
        none for the files in it. Returns the paths of the results dropped."""
        keys = tuple(path_key(path) for path in paths)
        prefixes = tuple(key.rstrip(os.sep) + os.sep for key in keys)
        gone = [key for key in self.results if key in keys or key.startswith(prefixes)]
        dropped = [self.results[key].path for key in gone]
        open_keys = self._open_keys()
        for key in gone:
            self._forget(key, open_keys)
        return dropped

    def files_changed(self) -> bool:
        """A file changed on disk of a kind the engine says the scan follows (a template file):
        the scanned files that may read one (`renders`) are analysed again,
        though their text has not changed (push clients see them in the Problems panel; pull
        clients at their next request). Whether there were any."""
        stale = [key for key, result in self.results.items() if result.renders]
        for key in stale:  # no longer reused by stat or by text
            self.results[key] = attrs.evolve(self.results[key], stat=None, digest="")
        if stale and not self._server.session.client.pull_diagnostics:
            self._in_background([self.results[key].path for key in stale])
        return bool(stale)

    def settings_changed(self) -> None:
        """Re-analyse the files already scanned (push clients see them in the Problems panel)."""
        if self.results and not self._server.session.client.pull_diagnostics:
            self._in_background([r.path for r in self.results.values()])

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class _Reporter:
    """Work-done progress on one token (nothing without one) and its cancellation."""

    def __init__(self, ls, token) -> None:
        self._ls, self._token, self._cancel = ls, token, None
        if token is not None:
            ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title=TITLE, cancellable=True, message="finding Python files", percentage=0))
            self._cancel = progress_cancellation(ls, token)

    def cancelled(self) -> bool:  # called on the executor thread: a concurrent Future is safe
        return self._cancel is not None and self._cancel.cancelled()

    def report(self, summary: Summary) -> None:
        if self._token is not None:
            percentage = summary.files * 100 // summary.total if summary.total else 100
            self._ls.work_done_progress.report(self._token, types.WorkDoneProgressReport(
                message=f"{summary.files}/{summary.total} files", percentage=percentage))

    def end(self, message: str | None = None) -> None:
        if self._token is not None:
            self._ls.work_done_progress.end(self._token, types.WorkDoneProgressEnd(message=message))
            forget_progress(self._ls, self._token)
            self._token = None


def diagnostics_after_close(ls, uri: str) -> list[types.Diagnostic]:
    """For `did_close` (push clients): the file's workspace result instead of an empty list."""
    return ls.workspace_scan.after_close(uri)


def register(server) -> None:
    @server.command(COMMAND)
    async def scan_workspace(ls, *args) -> dict:
        return await ls.workspace_scan.scan_command()

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(ls, params: types.WorkspaceDiagnosticParams):
        return await ls.workspace_scan.workspace_report(params)
