"""Runs analyses off the event loop, one document version at a time, without a backlog.

When nothing runs for a document, a change is analysed at once (no debounce delay). Changes
that arrive while an analysis runs only update the document; when the run ends, one new run
takes the newest version. A result whose version or settings generation is no longer current
is dropped, never published. Bandit keeps global state, so one worker thread runs all analyses.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import attrs
from lsprotocol import types

from bastion.baseline import editor_split, listed_in_baseline
from bastion.config import Config
from bastion.engine.deep import run_deep
from bastion.engine.engine import Analysis, Engine, Progress, RawAnalysis, apply_config
from bastion.engine.incremental import IncrementalSplitter
from bastion.lsp.convert import baselined_diagnostic, to_diagnostic, to_diagnostics
from bastion.lsp.session import Result
from bastion.lsp.settings import Message
from bastion.model import Finding

if TYPE_CHECKING:
    from bastion.lsp.server import BastionServer

log = logging.getLogger(__name__)
# How often a first analysis of a large file publishes what it has found so far.
PROGRESS_INTERVAL_S = float(os.environ.get("BASTION_PROGRESS_INTERVAL_MS", "50")) / 1000
# Smaller documents are analysed whole before anything is published: no flicker of partial sets.
PROGRESSIVE_MIN_LINES = 1500
IDLE_COLLECT_S = 1.0


@attrs.frozen
class Snapshot:
    """What a worker needs, copied on the event loop so the document can change meanwhile."""

    text: str
    lines: list[str]
    path: str
    config: Config
    prefix: int | None
    suffix: int | None


def analyse_snapshot(engine: Engine, splitter: IncrementalSplitter, snap: Snapshot,
                     progress: Progress | None = None,
                     ) -> tuple[Analysis, tuple[Finding, ...], str | None]:
    if snap.prefix is None or splitter.split is None:
        # A newly opened document: whole-file analysis, served from the disk cache when the
        # same text was analysed before; its split becomes the base for incremental edits.
        raw = engine.analyse_raw(snap.text, snap.path, lines=snap.lines,
                                 use_disk=snap.prefix is None,
                                 progress=progress if snap.prefix is None else None)
        if raw.split is not None:
            splitter.adopt(raw.split, len(snap.lines))
        else:
            splitter.reset()
    else:
        try:
            split = splitter.update(snap.lines, snap.prefix, snap.suffix)
        except Exception:
            splitter.reset()
            raise
        raw = engine.analyse_raw(snap.text, snap.path, split, snap.lines)
    # Findings listed in the project's baseline are shown apart (as hints) or not at all.
    return editor_split(apply_config(raw, snap.path, snap.config), snap.path, snap.lines,
                        snap.config)


def warm_up(engine: Engine, splitter: IncrementalSplitter, snap: Snapshot) -> None:
    """After a disk-cache hit, split the document and fill the unit caches while the user
    reads, so that the first keystroke re-analyses one unit, not the whole file."""
    if splitter.split is None:
        raw = engine.split_cached(snap.text, snap.path, snap.lines) or engine.analyse_raw(
            snap.text, snap.path, lines=snap.lines, use_disk=False)
        if raw.split is not None:
            splitter.adopt(raw.split, len(snap.lines))


class Scheduler:
    def __init__(self, server: BastionServer) -> None:
        self._server = server
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-analysis")
        self._running: dict[str, asyncio.Task] = {}
        self._waiters: dict[str, list[asyncio.Future]] = {}
        self._idle_collect: asyncio.TimerHandle | None = None

    def schedule(self, uri: str) -> None:
        if uri not in self._running:
            self._running[uri] = asyncio.ensure_future(self._run(uri))

    def current(self, uri: str) -> Result | None:
        """The stored result if it matches the document's version and the settings generation."""
        session = self._server.session
        doc, result = session.documents.get(uri), session.results.get(uri)
        if doc is None or result is None:
            return None
        if result.version != doc.version or result.generation != session.settings.generation:
            return None
        return result

    async def wait_for(self, uri: str) -> Result | None:
        """The result for the document's current version, analysing it if needed."""
        for _attempt in range(3):  # a run that crashed wakes its waiters with no result
            if uri not in self._server.session.documents:
                return None
            result = self.current(uri)
            if result is not None:
                return result
            future = asyncio.get_running_loop().create_future()
            self._waiters.setdefault(uri, []).append(future)
            self.schedule(uri)
            await future
        return None

    def _wake(self, uri: str) -> None:
        for future in self._waiters.pop(uri, []):
            if not future.done():
                future.set_result(None)

    async def _run(self, uri: str) -> None:
        server, session = self._server, self._server.session
        loop = asyncio.get_running_loop()
        try:
            while (doc := session.documents.get(uri)) is not None:
                config, messages = session.settings.config_for(doc.path)
                server.show_messages(messages)
                version, generation = doc.version, session.settings.generation
                if self.current(uri) is not None:
                    break
                snapshot = Snapshot(doc.text, list(doc.lines), doc.path or uri, config,
                                    *doc.take_changes())
                progress = None
                if not session.client.pull_diagnostics and len(doc.lines) >= PROGRESSIVE_MIN_LINES:
                    progress = Progress(
                        lambda raw, v=version, c=config: loop.call_soon_threadsafe(
                            self._publish_partial, uri, v, c, raw),
                        PROGRESS_INTERVAL_S, lambda: session.visible.get(uri, ()))
                # On the deep-stack worker: the incremental splitter parses deep statements too.
                analysis, baselined, baseline_problem = await loop.run_in_executor(
                    self._executor, run_deep, analyse_snapshot, server.engine, doc.splitter,
                    snapshot, progress)
                if baseline_problem:
                    server.show_messages([Message("error", baseline_problem)])
                doc = session.documents.get(uri)
                if doc is None or doc.version != version or session.settings.generation != generation:
                    continue  # stale: analyse the newest version instead
                codec = server.codec
                diagnostics = to_diagnostics(analysis, doc, codec, config, version)
                if config.baseline_mode == "hint":
                    diagnostics += tuple(baselined_diagnostic(f, doc, codec, config, version)
                                         for f in baselined)
                session.results[uri] = Result(version, generation, analysis, config, diagnostics)
                if not session.client.pull_diagnostics:
                    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                        uri=uri, version=version, diagnostics=list(diagnostics)))
                if doc.splitter.split is None:
                    loop.run_in_executor(self._executor, warm_up, server.engine, doc.splitter,
                                         snapshot)
                break
        except Exception:
            log.exception("analysis of %s failed", uri)
        finally:
            self._running.pop(uri, None)
            self._wake(uri)
            self._collect_when_idle()

    def _collect_when_idle(self) -> None:
        """Parsed trees are cyclic (bandit links children to parents), so only a full collection
        frees them; the server collects rarely while typing (see `bastion lsp`), and fully once
        the user pauses, so memory does not grow over a long session."""
        if self._idle_collect is not None:
            self._idle_collect.cancel()
        self._idle_collect = asyncio.get_running_loop().call_later(
            IDLE_COLLECT_S, lambda: None if self._running else gc.collect())

    def _publish_partial(self, uri: str, version: int, config: Config, raw: RawAnalysis) -> None:
        """First findings of a large file while the rest is still being analysed (push clients)."""
        doc = self._server.session.documents.get(uri)
        if doc is None or doc.version != version or self.current(uri) is not None:
            return
        if listed_in_baseline(config, doc.path):
            return  # the complete result, with baselined findings set apart, follows shortly
        analysis = apply_config(raw, doc.path or uri, config)
        if not analysis.findings:
            return
        codec = self._server.codec
        self._server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version,
            diagnostics=[to_diagnostic(f, doc, codec, config, version) for f in analysis.findings]))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
