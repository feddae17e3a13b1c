"""`bastion.scanWorkspace` and `workspace/diagnostic`: every Python file of the workspace folders.

One refresh walks the folders (excludes of each file's own settings honoured), reuses the result
of every file whose size, mtime and settings generation are unchanged, and analyses the rest:
in the server's engine for a few files (through `Engine.lock`, like the live analyses), in worker
processes for many (bandit keeps global state per process; the server's GIL stays free for the
editor). Both go through the persistent result cache. The walk and the analysis run on a
single-thread executor of their own; results come back to the event loop in batches.

Push clients see the results of files that are not open in the Problems panel; open files keep
their live, per-version diagnostics. Pull clients get them from `workspace/diagnostic`.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import multiprocessing
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from itertools import repeat
from pathlib import Path

import attrs
from lsprotocol import types

from bastion.config import Config
from bastion.engine.engine import Analysis, apply_config
from bastion.files import UnreadableSource, iter_source_files, lies_within, read_source
from bastion.lsp.convert import skipped_diagnostic, to_diagnostic
from bastion.lsp.documents import Document, uri_to_path
from bastion.lsp.pygls_compat import forget_progress, progress_cancellation
from bastion.lsp.settings import ROOT_NAME
from bastion.scan import PARALLEL_MIN_FILES, ScanItem, analyse_item, default_jobs, set_roots

log = logging.getLogger(__name__)
COMMAND = "bastion.scanWorkspace"
TITLE = "Bastion: scanning workspace"
REPORT_INTERVAL_S = 0.1
_NONCE = uuid.uuid4().hex[:8]  # result ids of an earlier server process never match


def path_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def file_stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@attrs.frozen
class FileResult:
    """The diagnostics of one file's content on disk under one settings generation."""

    uri: str
    path: str
    stat: tuple[int, int] | None
    digest: str
    generation: int
    diagnostics: tuple[types.Diagnostic, ...]
    error: str | None = None

    @property
    def result_id(self) -> str:
        return f"{self.digest}:{self.generation}:{_NONCE}"


@attrs.frozen
class Target:
    path: str
    key: str
    uri: str
    config: Config


@attrs.define
class Summary:
    total: int = 0
    files: int = 0
    findings: int = 0
    cancelled: bool = False

    def as_dict(self) -> dict:
        return {"files": self.files, "findings": self.findings, "cancelled": self.cancelled}

    def message(self) -> str:
        found = f"{self.findings} finding{'s' if self.findings != 1 else ''}"
        if self.cancelled:
            return f"Cancelled after {self.files} of {self.total} files: {found}"
        return f"Scanned {self.files} file{'s' if self.files != 1 else ''}: {found}"


# ---- worker side (executor thread and worker processes) ----------------------------------------

def _worker_init(folders: tuple[str, ...] = ()) -> None:
    """Worker processes share the server's stdout, which carries the LSP stream: keep it clean.
    Their engines use the summaries of the workspace modules under `folders`."""
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    set_roots(folders, ROOT_NAME)


@functools.cache
def _mp_context():
    """forkserver (a fork of a clean, single-threaded process with bastion imported), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "bastion.scan", "bastion.engine.registry",
                                    "bastion.analyzers.bandit_adapter"])
    return context


def walk_folders(roots: list[tuple[str, Config]]) -> list[str]:
    seen: set[str] = set()
    paths: list[str] = []
    for folder, config in roots:
        for path in iter_source_files(Path(folder), config):
            key = path_key(str(path))
            if key not in seen:
                seen.add(key)
                paths.append(str(path))
    return paths


def _result(target: Target, stat, text: str, analysis: Analysis | None, generation: int,
            codec, error: str | None = None) -> FileResult:
    diagnostics: tuple[types.Diagnostic, ...] = ()
    if error is not None:  # skipped (a FIFO, a link out of the tree...) or failed: said, not clean
        diagnostics = (skipped_diagnostic(error, 0),)
    elif analysis is not None:
        doc = Document.from_text(target.uri, 0, text)
        diagnostics = tuple(to_diagnostic(f, doc, codec, target.config, None)
                            for f in analysis.findings)
    return FileResult(target.uri, target.path, stat, _digest(text) if text else "", generation,
                      diagnostics, error)


class RefreshWork:
    """One refresh's work on the executor thread. `flush(batch, done)` runs on the event loop."""

    def __init__(self, engine, targets: list[Target], previous: dict[str, FileResult],
                 generation: int, codec, should_stop: Callable[[], bool],
                 flush: Callable[[list[FileResult], int], None],
                 folders: tuple[str, ...] = (),
                 prepare: Callable[[str, str], None] | None = None) -> None:
        # `prepare(text, path)`: the workspace summaries the file uses, computed before its
        # analysis in the server (lsp/summaries.py); worker processes compute their own.
        self.folders, self.prepare = folders, prepare
        self.engine, self.targets, self.previous = engine, targets, previous
        self.generation, self.codec, self.should_stop = generation, codec, should_stop
        self._flush = flush
        self._batch: list[FileResult] = []
        self._done = 0
        self._last = time.monotonic()

    def emit(self, result: FileResult) -> None:
        self._batch.append(result)
        self._done += 1
        if time.monotonic() - self._last >= REPORT_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        self._flush(self._batch, self._done)
        self._batch = []
        self._last = time.monotonic()

    def run(self) -> None:
        todo: list[tuple[Target, tuple[int, int] | None]] = []
        for target in self.targets:
            if self.should_stop():
                break
            stat, old = file_stat(target.path), self.previous.get(target.key)
            if (old is not None and stat is not None and old.stat == stat
                    and old.generation == self.generation and old.uri == target.uri):
                self.emit(old)
            else:
                todo.append((target, stat))
        done = 0
        if len(todo) >= PARALLEL_MIN_FILES and not self.should_stop():
            done = self._in_processes(todo)
        for target, stat in todo[done:]:
            if self.should_stop():
                break
            self.emit(self._in_process(target, stat))
        self.flush()

    def _in_process(self, target: Target, stat) -> FileResult:
        try:
            source = read_source(target.path, self.folders)
        except UnreadableSource as exc:
            return _result(target, stat, "", None, self.generation, self.codec, f"skipped: {exc}")
        stat = (source.mtime_ns, source.size)
        old = self.previous.get(target.key)
        if (old is not None and old.generation == self.generation and old.uri == target.uri
                and old.digest == _digest(source.text)):
            return attrs.evolve(old, stat=stat)  # touched, not changed
        try:
            if self.prepare is not None:
                self.prepare(source.text, target.path)
            raw = self.engine.analyse_raw(source.text, target.path)  # takes engine.lock
            analysis = apply_config(raw, target.path, target.config)
        except Exception as exc:
            log.exception("workspace scan: analysis of %s failed", target.path)
            return _result(target, stat, source.text, None, self.generation, self.codec,
                           f"analysis failed: {exc}")
        return _result(target, stat, source.text, analysis, self.generation, self.codec)

    def _in_processes(self, todo: list[tuple[Target, tuple[int, int] | None]]) -> int:
        """Analyse in worker processes; returns how many of `todo` were done (in order)."""
        jobs = max(1, default_jobs() - 1)  # leave a core to the editor's live analyses
        chunk = max(1, min(16, len(todo) // (jobs * 8)))
        items = [ScanItem(t.path, t.path, t.config, self.folders) for t, _ in todo]
        done = 0
        pool = None
        try:
            pool = ProcessPoolExecutor(jobs, mp_context=_mp_context(), initializer=_worker_init,
                                       initargs=(self.folders,))
            outcomes = pool.map(analyse_item, items, repeat(True), repeat(True), chunksize=chunk)
            for (target, stat), outcome in zip(todo, outcomes, strict=False):
                self.emit(_result(target, stat, outcome.text or "", outcome.analysis,
                                  self.generation, self.codec, outcome.error))
                done += 1
                if self.should_stop():
                    break
        except Exception:
            log.exception("workspace scan: worker processes failed; analysing in the server")
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        return done


# ---- event loop side ----------------------------------------------------------------------------

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
