"""Runs analyses off the event loop, one document version at a time, without a backlog, and
without letting one document hold up the others.

When nothing runs for a document, a change is analysed at once (no debounce delay). Changes
that arrive while an analysis runs only update the document; when the run ends, one new run
takes the newest version. A result is tied to the exact text it was computed from: the
document's `opened` serial (a new one at every didOpen) and its version, under one settings
generation; any other result is dropped, never published nor used by hover or code actions.

Threads: who owns what
- The event loop owns the session (documents, results) and the documents' diagnostic memos
  (`_memos`, by document serial: lsp/encoded.py), takes snapshots (immutable copies of a
  document's text and lines), publishes, and decides what runs next.
- The one analysis worker thread (`_executor`) owns the incremental splitters, by document
  serial (only code submitted to the worker touches `_splitters`), and runs every analysis the
  scheduler asks of the engine. Bandit keeps global state, so analyses never run in parallel.
  Each step itself runs on the engine's deep-stack thread (`engine/deep.py`: deeply nested
  valid code is analysed, not lost) while the worker waits for it, so the worker's order holds.
- The engine's caches are shared with the fix service's and the workspace scan's workers; every
  engine entry point takes `Engine.lock` for the work it does (never across a pause).
- An analysis is a generator (`Engine.analysis_steps`) that the loop advances on the worker
  for at most `STEP_S` at a time: between steps the worker runs whatever else was queued, so a
  large document's first analysis proceeds in slices while other documents are served. A large
  text document's whole analysis (a 5 MB manifest: seconds) runs on the engine's second deep
  worker meanwhile, its steps only waiting for it (engine/text_documents.py `analysed_apart`).
Objects that cross threads are immutable (snapshots, splits, analyses, results).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import attrs
from lsprotocol import types

from bastion.baseline import editor_split, listed_in_baseline
from bastion.config import Config
from bastion.engine.deep import run_deep
from bastion.engine.engine import Analysis, Engine, RawAnalysis, apply_config
from bastion.engine.incremental import IncrementalSplitter, analyse_edit
from bastion.engine.progressive import Progress
from bastion.engine.units import Split
from bastion.filekinds import discovered_kind, is_python
from bastion.limits import MAX_FILE_BYTES, over_the_size_cap
from bastion.lsp import pygls_compat as compat
from bastion.lsp.convert import shown_findings, skipped_diagnostic, to_diagnostic
from bastion.lsp.documents import Document
from bastion.lsp.encoded import DiagnosticMemo, EncodedDiagnostics, encode, publish_message
from bastion.lsp.session import Result
from bastion.lsp.settings import Message
from bastion.model import Finding
from bastion.model.text import BINARY

if TYPE_CHECKING:
    from bastion.lsp.server import BastionServer

log = logging.getLogger(__name__)
# How often a first analysis of a large file publishes what it has found so far (at least).
PROGRESS_INTERVAL_S = float(os.environ.get("BASTION_PROGRESS_INTERVAL_MS", "50")) / 1000
# Smaller documents are analysed whole, in one step, before anything is published: no flicker
# of partial sets.
PROGRESSIVE_MIN_LINES = 1500
# The longest an analysis keeps the worker before it lets queued work of other documents run.
STEP_S = 0.05
IDLE_COLLECT_S = 1.0


@attrs.frozen
class Snapshot:
    """What a worker needs, copied on the event loop so the document can change meanwhile."""

    opened: int
    text: str
    lines: list[str]
    path: str
    config: Config
    prefix: int | None
    suffix: int | None


@attrs.frozen
class Outcome:
    analysis: Analysis
    baselined: tuple[Finding, ...]
    split: Split | None
    baseline_problem: str | None = None  # why the project's baseline could not be used
    # Ranges that do not parse because they use a newer Python: (first line, last line, why).
    newer_syntax: tuple[tuple[int, int, str], ...] = ()
    from_disk: bool = False  # read from the disk cache


def _newer_syntax(lines: list[str], broken: tuple[tuple[int, int], ...]
                  ) -> tuple[tuple[int, int, str], ...]:
    if not broken:
        return ()
    # Imported here: its parser (libcst) is needed only once a document has lines that do not parse.
    from bastion.engine.syntax_version import newer_syntax_in, newer_syntax_message

    return tuple((start, end, newer_syntax_message(needed))
                 for start, end, needed in newer_syntax_in(lines, broken))


def not_analysable(doc: Document, rules_missing: str | None = None) -> str | None:
    """Why a document is not analysed at all, as `bastion check` says it of the file ("not
    analysed" or "skipped"); `rules_missing`: the installation has no rule files."""
    text = doc.text
    if rules_missing is not None:
        return f"not analysed: {rules_missing}"
    if len(text) > MAX_FILE_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return f"not analysed: {over_the_size_cap(len(text.encode('utf-8', 'surrogatepass')))}"
    if "\x00" in text:
        return f"skipped: {BINARY}"
    if doc.language_id not in ("python", "") and is_python(doc.path) \
            and discovered_kind(doc.path or "") is None:
        # The client says it is not Python, and its name is of no kind the engine reads: it
        # would be parsed as Python (an extension-less shell script in a `sh` buffer).
        return f"skipped: not Python ({doc.language_id}) and not a file kind Bastion reads"
    return None


def _advance(steps: Generator, budget_s: float) -> tuple[bool, object]:
    """Runs `steps` on the worker for about `budget_s`: (finished, its result)."""
    deadline = time.perf_counter() + budget_s
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return True, done.value
        if time.perf_counter() >= deadline:
            return False, None


class Scheduler:
    def __init__(self, server: BastionServer) -> None:
        self._server = server
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-analysis")
        self._splitters: dict[int, IncrementalSplitter] = {}  # worker thread only
        self._running: dict[str, asyncio.Task] = {}
        self._memos: dict[int, DiagnosticMemo] = {}  # by document serial
        self._waiters: dict[str, list[asyncio.Future]] = {}
        self._idle_collect: asyncio.TimerHandle | None = None
        # Documents to analyse again though their text did not change (what they depend on
        # did: workspace summaries); a run in progress for one of them is not kept.
        self._refresh: set[str] = set()

    @property
    def _engine(self) -> Engine:
        return self._server.engine

    def schedule(self, uri: str) -> None:
        if uri not in self._running:
            self._running[uri] = asyncio.ensure_future(self._run(uri))

    def refresh(self, uri: str) -> None:
        """Analyse the document again: something its analysis reads besides its text changed."""
        self._refresh.add(uri)
        self._server.session.results.pop(uri, None)
        self.schedule(uri)

    def disk_changed(self, paths: list[str], uris: list[str]) -> None:
        """Files the analyses of the documents `uris` may read changed on disk: the analyzers
        drop what they read of them (on the worker, before the analyses this schedules there),
        and those documents are analysed again."""
        self._executor.submit(self._engine.disk_changed, paths)
        for uri in uris:
            self.refresh(uri)

    def closed(self, doc: Document) -> None:
        """The document is gone: its diagnostic memo and its splitter go too (the splitter on the
        worker, which owns it), and the texts the engine keeps for it (on the worker, after an
        analysis of it under way); with the last one, the engine's unit caches go too."""
        self._executor.submit(self._splitters.pop, doc.opened, None)
        self._executor.submit(self._engine.document_closed, doc.path or doc.uri)
        self._memos.pop(doc.opened, None)
        if not self._server.session.documents:
            self._executor.submit(self._engine.clear_cache)
        self._collect_when_idle()

    def current(self, uri: str) -> Result | None:
        """The stored result if it was computed from the document's current text (same open,
        same version) under the current settings generation."""
        session = self._server.session
        doc, result = session.documents.get(uri), session.results.get(uri)
        if doc is None or result is None:
            return None
        if (result.opened, result.version) != (doc.opened, doc.version) \
                or result.generation != session.settings.generation:
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
        try:
            while (doc := session.documents.get(uri)) is not None:
                if self.current(uri) is not None:
                    break
                self._refresh.discard(uri)
                config, messages = await session.settings.config_for_async(doc.path, self._off_loop)
                server.show_messages(messages)
                if session.documents.get(uri) is not doc:
                    continue  # closed or opened again while its settings were read
                version, generation = doc.version, session.settings.generation
                reason = not_analysable(doc, server.rules_missing)
                if reason is not None:
                    doc.take_changes()
                    self._store(uri, doc, generation, config, None, reason)
                    continue
                progress = self._progress(uri, doc, config, generation)
                snapshot = Snapshot(doc.opened, doc.text, list(doc.lines), doc.path or uri, config,
                                    *doc.take_changes())
                try:
                    outcome = await self._drive(uri, doc, self._analysis(snapshot, progress))
                except Exception as exc:  # never a clean result for a text that was not analysed
                    log.exception("analysis of %s failed", uri)
                    self._executor.submit(self._splitters.pop, doc.opened, None)
                    if session.documents.get(uri) is doc and doc.version == version:
                        self._store(uri, doc, generation, config, None,
                                    f"not analysed: the analysis failed ({exc})")
                    continue
                if outcome is not None and outcome.baseline_problem:
                    server.show_messages([Message("error", outcome.baseline_problem)])
                if outcome is None or not self._still(uri, doc, version, generation):
                    continue  # stale: analyse the newest text instead
                self._store(uri, doc, generation, config, outcome)
                if outcome.from_disk or (outcome.split is None and is_python(snapshot.path)):
                    # Read from the disk cache: prepare for edits (a text document's analyzers
                    # read it, keeping what an edit's analysis reuses: a pyproject.toml's
                    # dependencies; the first keystroke read 1 MB of them whole, 1.4 s).
                    self._wake(uri)
                    await self._warm_up(uri, doc, snapshot, generation, outcome)
        except Exception:
            log.exception("analysis of %s failed", uri)
        finally:
            self._running.pop(uri, None)
            self._wake(uri)
            self._collect_when_idle()

    async def _off_loop(self, function, *args):
        """A settings file parsed on the fix service's threads, not the loop nor the analysis
        worker (a 5 MB pyproject.toml: 0.8 s of CPU)."""
        return await asyncio.get_running_loop().run_in_executor(self._server.fix_service.executor,
                                                                function, *args)

    def _still(self, uri: str, doc: Document, version: int, generation: int) -> bool:
        session = self._server.session
        return session.documents.get(uri) is doc and doc.version == version \
            and session.settings.generation == generation and uri not in self._refresh

    async def _drive(self, uri: str, doc: Document, steps: Generator):
        """Advances `steps` on the worker, a slice at a time, until it ends (its result) or the
        document is closed or opened again (None: the rest is not worth doing)."""
        loop = asyncio.get_running_loop()
        while True:
            finished, value = await loop.run_in_executor(self._executor, run_deep, _advance, steps,
                                                         STEP_S)
            if finished:
                return value
            if self._server.session.documents.get(uri) is not doc:
                return None

    def _progress(self, uri: str, doc: Document, config: Config, generation: int) -> Progress | None:
        """For an analysis of a whole large document: slices, with the lines the user sees first,
        and for the first one, partial results published on the loop (push clients; a text
        document's first analysis reads the lines in view first: engine/text_preview.py).
        Made on the loop; called on the worker."""
        if len(doc.lines) < PROGRESSIVE_MIN_LINES:
            return None
        loop, session = asyncio.get_running_loop(), self._server.session
        version, partial = doc.version, not doc.analysed_before and not session.client.pull_diagnostics
        if not partial and not is_python(doc.path or uri):
            return None  # a text document's progress is its preview, worth only published

        def report(raw: RawAnalysis) -> None:
            if partial:
                loop.call_soon_threadsafe(self._publish_partial, uri, doc, version, generation,
                                          config, raw)

        # `visible` is the loop's dict: one `get` of an immutable value is safe from the worker.
        return Progress(report, PROGRESS_INTERVAL_S, lambda: session.visible.get(uri, ()))

    def _analysis(self, snap: Snapshot, progress: Progress | None) -> Generator[None, None, Outcome]:
        """On the worker: the snapshot's analysis, through the document's splitter."""
        splitter = self._splitters.setdefault(snap.opened, IncrementalSplitter())
        raw = yield from analyse_edit(self._engine, splitter, snap.text, snap.path, snap.lines,
                                      snap.prefix, snap.suffix, progress)
        # Findings listed in the project's baseline are shown apart (as hints) or not at all.
        analysis, baselined, problem = editor_split(apply_config(raw, snap.path, snap.config),
                                                    snap.path, snap.lines, snap.config)
        return Outcome(analysis, baselined, raw.split, problem, _newer_syntax(snap.lines, raw.broken),
                       raw.from_disk)

    async def _warm_up(self, uri: str, doc: Document, snap: Snapshot, generation: int,
                       outcome: Outcome) -> None:
        """After a disk-cache hit, split the document and fill the unit caches while the user
        reads, so that the first keystroke re-analyses one unit, not the whole file (a text
        document: its analyzers read it, not from the cache). A failure
        marks the document not analysed (its findings from the cache stay)."""
        try:
            await self._drive(uri, doc, self._warm_up_steps(snap))
        except Exception as exc:
            log.exception("preparing %s for edits failed", uri)
            self._executor.submit(self._splitters.pop, doc.opened, None)
            if self._still(uri, doc, doc.version, generation) and self.current(uri) is not None:
                self._store(uri, doc, generation, snap.config, outcome,
                            f"not analysed: preparing for edits failed ({exc})")

    def _warm_up_steps(self, snap: Snapshot) -> Generator[None, None, None]:
        splitter = self._splitters.setdefault(snap.opened, IncrementalSplitter())
        if splitter.split is not None:
            return
        engine = self._engine
        raw = engine.split_cached(snap.text, snap.path, snap.lines)
        if raw is None:
            raw = yield from engine.analysis_steps(snap.text, snap.path, lines=snap.lines,
                                                   use_disk=False)
        if raw.split is not None:
            splitter.adopt(raw.split, len(snap.lines), raw.records)
            splitter.prepare(snap.lines)  # while the user reads, not on the first broken key

    def _store(self, uri: str, doc: Document, generation: int, config: Config,
               outcome: Outcome | None, not_analysed: str | None = None) -> None:
        """Keep and publish the result of the document's current text; `not_analysed`: that
        the text (or part of it) was not analysed and why, said in a diagnostic of its own."""
        server, session = self._server, self._server.session
        version, converter = doc.version, compat.converter(server.protocol)
        analysis, split, entries = Analysis((), (), ()), None, []
        if outcome is not None:
            analysis, split = outcome.analysis, outcome.split
            memo = self._memos.setdefault(doc.opened, DiagnosticMemo(converter))
            entries = memo.result(analysis, outcome.baselined if config.baseline_mode == "hint" else (),
                                  outcome.newer_syntax, doc, server.codec, config, version)
        if not_analysed is not None:
            entries.append(encode(skipped_diagnostic(not_analysed, version), converter))
            server.window_log_message(types.LogMessageParams(
                type=types.MessageType.Warning, message=f"Bastion: {uri}: {not_analysed}"))
        diagnostics = EncodedDiagnostics(version, tuple(entries))
        session.results[uri] = Result(doc.opened, version, generation, analysis, config,
                                      diagnostics, split)
        if not session.client.pull_diagnostics:
            server.protocol.send_json(publish_message(uri, diagnostics, converter))

    def _collect_when_idle(self) -> None:
        """Parsed trees are cyclic (bandit links children to parents), so only a full collection
        frees them; the server collects rarely while typing (see `bastion lsp`), and fully once
        the user pauses, so memory does not grow over a long session."""
        if self._idle_collect is not None:
            self._idle_collect.cancel()
        self._idle_collect = asyncio.get_running_loop().call_later(
            IDLE_COLLECT_S, lambda: None if self._running else gc.collect())

    def _publish_partial(self, uri: str, doc: Document, version: int, generation: int,
                         config: Config, raw: RawAnalysis) -> None:
        """First findings of a large file while the rest is still being analysed (push clients)."""
        if not self._still(uri, doc, version, generation) or self.current(uri) is not None:
            return
        if listed_in_baseline(config, doc.path):
            return  # the complete result, with baselined findings set apart, follows shortly
        analysis = apply_config(raw, doc.path or uri, config)
        if not analysis.findings:
            return
        codec = self._server.codec
        self._server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version,
            diagnostics=[to_diagnostic(f, doc, codec, config, version)
                         for f in shown_findings(analysis.findings)]))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
