"""The work of a workspace refresh off the event loop: the walk, and the analyses on the
refresh's executor thread (a few files, in the server's engine) or in worker processes (many).

`RefreshWork` belongs to one refresh: its executor thread fills its batch, which `flush` hands to
the event loop (`WorkspaceScan` in workspace.py, which owns the results: `FileResult` by
`path_key`).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

import attrs
from lsprotocol import types

from bastion.config import Config
from bastion.digests import blake2b
from bastion.engine.engine import Analysis, apply_config
from bastion.files import UnreadableSource, iter_source_files, read_source
from bastion.lsp.convert import not_analysed_diagnostic, skipped_diagnostic, to_diagnostic
from bastion.lsp.documents import Document
from bastion.lsp.settings import ROOT_NAME
from bastion.scan import PARALLEL_MIN_FILES, ScanItem, analyse_item, default_jobs, set_roots, unread

log = logging.getLogger(__name__)
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
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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
    # the text may read files whose change the scan follows (it names a template file): its
    # findings may change while it does not (its diagnostics are then in the result id,
    # which the text's digest alone no longer tells)
    renders: bool = False

    @property
    def result_id(self) -> str:
        if self.renders:
            shown = _digest(repr([(d.code, d.message, d.range) for d in self.diagnostics]))
            return f"{self.digest}:{shown}:{self.generation}:{_NONCE}"
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
            codec, files, error: str | None = None) -> FileResult:
    """`files`: the engine's `WorkspaceFiles`, which says whether the text may read files whose
    change the scan follows."""
    diagnostics: tuple[types.Diagnostic, ...] = ()
    if error is not None:  # skipped (a FIFO, a link out of the tree...) or failed: said, not clean
        diagnostics = (skipped_diagnostic(error, 0),)
    elif analysis is not None:
        doc = Document.from_text(target.uri, 0, text)
        # What was not analysed is said, never left to read as clean (a file over the size cap).
        diagnostics = (*(not_analysed_diagnostic(e, doc, codec, 0) for e in analysis.errors),
                       *(to_diagnostic(f, doc, codec, target.config, None) for f in analysis.findings))
    return FileResult(target.uri, target.path, stat, _digest(text) if text else "", generation,
                      diagnostics, error, bool(text) and files.rescanned_by(text))


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
            outcome = unread(ScanItem(target.path, target.path, target.config), exc)
            return _result(target, stat, "", outcome.analysis, self.generation, self.codec,
                           self.engine.files, outcome.error)
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
                           self.engine.files, f"analysis failed: {exc}")
        return _result(target, stat, source.text, analysis, self.generation, self.codec,
                       self.engine.files)

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
                                  self.generation, self.codec, self.engine.files, outcome.error))
                done += 1
                if self.should_stop():
                    break
        except Exception:
            log.exception("workspace scan: worker processes failed; analysing in the server")
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        return done
