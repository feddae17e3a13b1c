"""Engine.analyse(text, path, config) -> Analysis: every analyzer, unit by unit, cached.

The engine is pure and synchronous; callers serialise runs (bandit keeps global state) by going
through `Engine.lock`, which `analyse` takes itself. The text analyzers' own state is
`Engine.text_lock`'s (taken after `lock` when both are held): a large text document's whole
analysis runs on the second deep worker under it alone, so that Python documents are analysed
meanwhile (a 5 MB manifest's first analysis takes seconds; it held `lock` and the editor's
worker for all of them). Analyses run on the deep-stack worker
(engine/deep.py). An analysis never raises: whatever could not be analysed (an analyzer that
failed, a statement nested too deeply, any exception) is a `NotAnalysed` entry in `errors`,
with the findings of everything else kept; such a result is never cached.

The folders being analysed (`set_roots`) are set by whoever builds the engine, before analyses
that depend on them: a text analysis reads other files only inside them.
"""

from __future__ import annotations

import ast
import logging
import os
from collections.abc import Collection, Generator, Iterable, Sequence

import attrs

from bastion.analyzers.base import Analyzer, UnitSource
from bastion.analyzers.text_base import TextAnalyzer, TextFix
from bastion.config import Config
from bastion.digests import blake2b
from bastion.engine.analysis import Analysis, RawAnalysis, apply_config
from bastion.engine.analyzer_calls import Retractions, file_findings, joined_keys, judged, unit_findings
from bastion.engine.cache import LRU
from bastion.engine.cache_entry import InvalidEntry, cache_key, decode, encode, text_key
from bastion.engine.context import Context, import_facts
from bastion.engine.deep import OwnedLock, run_deep
from bastion.engine.disk_cache import DiskCache
from bastion.engine.failures import depth_failure, failure_reason
from bastion.engine.progressive import Progress, analyse_progressively
from bastion.engine.records import UnitFacts, UnitRecord, contributing, directives_by_line
from bastion.engine.splitter import forget_chunks
from bastion.engine.suppress import comment_directives, directives_between
from bastion.engine.text_documents import APART_MIN_CHARS, analyse_text, analysed_apart, memo_key, root_of
from bastion.engine.text_preview import preview_text, shown
from bastion.engine.unit_analysis import analyse_units
from bastion.engine.units import Split, Unit
from bastion.engine.whole_file import analyse_whole, split_whole
from bastion.engine.workspace_files import WorkspaceFiles
from bastion.engine.workspace_summaries import WorkspaceSummaries
from bastion.filekinds import FileKind, kind_of
from bastion.files import ReadRoot
from bastion.model import Finding, NotAnalysed
from bastion.model.text import forget_compared, split_lines
from bastion.parsing import parse_code

log = logging.getLogger(__name__)


class Engine:
    """`analyzers` read Python files; `text_analyzers` (analyzers/text_base.py) read the files
    of the other kinds (bastion/filekinds.py), which the engine tells apart by their paths."""

    def __init__(self, analyzers: Sequence[Analyzer], cache_size: int = 20_000,
                 disk_cache: DiskCache | None = None, unit_caches: bool = True,
                 text_analyzers: Sequence[TextAnalyzer] = ()) -> None:
        self.analyzers = list(analyzers)
        self.text_analyzers = list(text_analyzers)
        self.files = WorkspaceFiles(self.analyzers)  # the files besides a document analyses read
        self.summaries = WorkspaceSummaries(self.analyzers)  # the editor's, of imported modules
        self.disk_cache = disk_cache
        self.unit_caches = unit_caches  # False for one-off scans: documents are not edited
        self.lock = OwnedLock()
        self.text_lock = OwnedLock()
        self._facts: LRU[bytes, UnitFacts] = LRU(cache_size)
        self._results: LRU[tuple[bytes, bytes], tuple[Finding, ...]] = LRU(cache_size)
        # Ranges that do not parse, by text digest: why when it is their nesting, else "".
        self._depth_verdicts: LRU[bytes, str] = LRU(1024)
        # Text documents' raw analyses by text and kind: a re-opened or undone text.
        self._texts: LRU[bytes, RawAnalysis] = LRU(64)
        self._retractions = Retractions()  # the last assembled text's (analyzer_calls.py)
        self._roots: tuple[ReadRoot, ...] = ()  # see set_roots
        self.rule_names: dict[str, str] = {}  # rule id -> check name
        for analyzer in [*self.analyzers, *self.text_analyzers]:
            self.rule_names.update(analyzer.rule_ids())
        self._lookup = {**{i: i for i in self.rule_names}, **{n: i for i, n in self.rule_names.items()}}
        for analyzer in self.analyzers:
            self._lookup.update(analyzer.nosec_ids())
        versions = {a.id: a.version for a in [*self.analyzers, *self.text_analyzers]}
        self.version_key = "|".join(f"{name}={version}" for name, version in versions.items())

    def analyse(self, text: str, path: str, config: Config) -> Analysis:
        return apply_config(self.analyse_raw(text, path), path, config)

    def dependency_key(self, text: str, path: str) -> str | None:
        """What a file's result depends on besides its text and the analyzers' versions (the
        summaries of the workspace modules it imports); None: its result is not to be cached."""
        return joined_keys(self.analyzers, text, path)

    def cached_raw(self, text: str, key: str | None = None, path: str | None = None
                   ) -> RawAnalysis | None:
        """The whole-file result from the disk cache (under `key`, else the key of the text at
        `path`), without analysing anything."""
        if self.disk_cache is None:
            return None
        if key is None:
            dependencies = self.dependency_key(text, path) if path is not None else ""
            if dependencies is None:
                return None
            key = text_key(text, self.version_key, dependencies)
        stored = self.disk_cache.get(key)
        if stored is None:
            return None
        try:
            findings, directives, broken = decode(stored, key, text, self.rule_names)
        except InvalidEntry:
            return None  # never trusted: the caller analyses the file and overwrites the entry
        return RawAnalysis(findings, directives, broken, from_disk=True)

    def analyse_raw(self, text: str, path: str, split: Split | None = None,
                    lines: list[str] | None = None, use_disk: bool = True,
                    progress: Progress | None = None) -> RawAnalysis:
        """`split`/`lines` may come from an IncrementalSplitter; by default the text is split.

        A whole-file analysis (no `split` given) is looked up in, and stored to, the disk cache.
        Never raises: a failure is the result's `errors` (see the module docstring).
        """
        steps = self.analysis_steps(text, path, split, lines, use_disk, progress)
        try:
            if self.lock.held():  # the deep worker would wait for the lock this thread holds
                return run_to_end(steps)
            return run_deep(run_to_end, steps)
        except Exception as exc:  # noqa: BLE001 - one file's failure must not cost the others
            log.exception("analysis of %s failed", path)
            return RawAnalysis((), {}, (), (NotAnalysed(failure_reason(exc)),))

    def analysis_steps(self, text: str, path: str, split: Split | None = None,
                       lines: list[str] | None = None, use_disk: bool = True,
                       progress: Progress | None = None) -> Generator[None, None, RawAnalysis]:
        """`analyse_raw` as a generator that yields between slices of the work (a slice of a
        progressive first analysis, a batch of units), without holding `lock`: the caller may
        run other analyses in between. Its caller runs it on the deep-stack worker
        (`engine/deep.py`) and turns an exception into a "not analysed" result.

        A document that is not Python (by its path) goes to the text analyzers of its kind,
        whole, whatever `split` says (with `progress`, the lines in view first:
        engine/text_preview.py)."""
        kind = kind_of(path)
        if kind is not FileKind.PYTHON:
            return (yield from self._text_analysis(text, path, kind, use_disk, lines, progress))
        key = None
        if split is None and use_disk and self.disk_cache is not None:
            dependencies = self.dependency_key(text, path)
            if dependencies is not None:
                key = text_key(text, self.version_key, dependencies)
                cached = self.cached_raw(text, key)
                if cached is not None:
                    return cached
        raw = None
        if split is None and progress is None:
            with self.lock:
                raw = analyse_whole(self, text, path, lines or split_lines(text))
        elif split is None:
            raw = yield from analyse_progressively(self, text, path, lines or split_lines(text),
                                                   progress)
        if raw is None:
            raw = yield from analyse_units(self, text, path, split, lines, progress)
        if raw.broken:
            raw = self._too_deep_apart(raw, lines or split_lines(text))
        if key is not None and not raw.errors:
            self.disk_cache.put(key, encode(key, text, raw.findings, raw.directives, raw.broken))
        return raw

    def set_roots(self, roots: Iterable[str], name: str) -> None:
        """The folders being analysed (the scanned folders, the editor's workspace folders): an
        analysis reads other files (a requirements file's includes) only inside the innermost
        of them that holds its document, else inside the document's folder. `name`: what the
        caller calls them ("scan root"), for messages. Set before the
        analyses that depend on it run; a caller that changes it later (the editor's folders
        changed) discards the results of analyses under way and runs them again."""
        self._roots = tuple(ReadRoot(os.path.abspath(root), f"the {name} {root!r}")
                            for root in roots if os.path.isdir(root))

    def _text_analysis(self, text: str, path: str, kind: FileKind, use_disk: bool,
                       lines: list[str] | None, progress: Progress | None
                       ) -> Generator[None, None, RawAnalysis]:
        dependencies = joined_keys([a for a in self.text_analyzers if kind in a.kinds], text, path)
        key = cache_key(text, self.version_key, kind, dependencies) \
            if use_disk and self.disk_cache and dependencies is not None else None
        cached = self.cached_raw(text, key) if key is not None else None
        if cached is not None:
            return cached
        memo = memo_key(text, kind, dependencies) if dependencies is not None else None
        with self.lock:
            raw = self._texts.get(memo) if memo is not None else None
            early = None if raw is not None or progress is None else preview_text(
                self, text, lines or split_lines(text), path, kind, root_of(self._roots, path),
                progress.visible())
        if early is not None:
            yield from shown(self, kind, early, progress)
        if raw is None:
            root = root_of(self._roots, path)
            if len(text) < APART_MIN_CHARS:
                with self.lock, self.text_lock:
                    raw = analyse_text(self, text, path, kind, root)
            else:
                raw = yield from analysed_apart(self, text, path, kind, root)
            if not raw.errors and memo is not None:
                with self.lock:
                    self._texts.put(memo, raw)
        if key is not None and not raw.errors:
            self.disk_cache.put(key, encode(key, text, raw.findings, raw.directives, raw.broken))
        return raw

    def text_fixes(self, text: str, path: str, finding: Finding) -> list[TextFix]:
        """The quick fixes the text analyzers offer for `finding` in the document `text` of
        `path` ([] for a Python document, or a finding no text analyzer knows)."""
        kind = kind_of(path)
        fixes: list[TextFix] = []
        for analyzer in self.text_analyzers:
            if kind in analyzer.kinds and finding.rule_id in analyzer.rule_ids():
                with self.text_lock:
                    fixes.extend(analyzer.fixes(text, path, kind, finding,
                                                root_of(self._roots, path)))
        return fixes

    def split_cached(self, text: str, path: str, lines: list[str]) -> RawAnalysis | None:
        """The document's disk-cache entry split into units, its unit caches filled: what a
        first analysis leaves behind, without running the checks again (None: no entry, or
        the document does not parse)."""
        if kind_of(path) is not FileKind.PYTHON:
            return None  # a text document has no units to prepare
        cached = self.cached_raw(text, path=path)
        if cached is None:
            return None
        if self.lock.held():
            return split_whole(self, text, path, lines, cached)
        return run_deep(self._split_whole, text, path, lines, cached)

    def _split_whole(self, text: str, path: str, lines: list[str], cached: RawAnalysis
                     ) -> RawAnalysis | None:
        with self.lock:
            return split_whole(self, text, path, lines, cached)

    def assemble(self, text: str, path: str, split: Split, records: list[UnitRecord]) -> RawAnalysis:
        """The document's analysis from its units' records, with the whole-file checks added;
        the records come with it, for the next analysis of an edit. Call with `lock` held."""
        busy = contributing(records)
        findings = [f for r in busy for f in r.findings]
        directives = directives_by_line(busy)
        errors = [e for r in busy for e in r.errors]
        found = file_findings(self.analyzers, text, path, errors)
        if found:
            findings.extend(found)
            # Whole-file findings may sit on comment lines, outside every unit.
            outside = comment_directives(text, 0, self._lookup) if split.broken else \
                directives_between(text, [(u.start, u.end) for u in split.units], self._lookup)
            directives = {**outside, **directives}
        findings = judged(self.analyzers, text, path, findings, errors, self._retractions)
        findings.sort(key=Finding.sort_key)
        return RawAnalysis(tuple(findings), directives, split.broken, tuple(errors),
                           attrs.evolve(split, reuse=None, trees={}), tuple(records))

    def unit_record(self, unit: Unit, lines: list[str], path: str, context: Context,
                    trees: dict[bytes, ast.Module]) -> UnitRecord:
        """What the unit contributes, analysed after `context` (`trees`: parsed units by digest)."""
        facts, tree = self._unit_facts(unit, trees)
        directives = tuple(attrs.evolve(d, line=d.line + unit.start) for d in facts.directives)
        errors: list[NotAnalysed] = []
        found = []
        if facts.too_deep:
            errors.append(NotAnalysed(facts.too_deep, unit.start, unit.end))
        if facts.parsed:
            tree = tree or trees.get(unit.digest)
            found = self._unit_findings(unit, lines, path, context, errors, tree)
        return UnitRecord(context.plus(facts.imports), tuple(found), directives, tuple(errors))

    # -- for fixes: one unit at a time (each call takes `lock`) ---------------------------------
    def unit_facts(self, unit: Unit) -> UnitFacts:
        """Whether the unit parses, its imports and its suppression comments (cached by text)."""
        with self.lock:
            return self._unit_facts(unit)[0]

    def unit_findings(self, unit: Unit, lines: list[str], path: str,
                      context: Context) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
        """Every finding of one unit analysed after `context` (the imports before it), in
        document lines, before configuration; and the analyzer failures. A fix re-analyses the
        unit that holds its rewritten statement with it."""
        errors: list[str] = []
        with self.lock:
            found = self._unit_findings(unit, lines, path, context, errors)
        return tuple(found), tuple(errors)

    @property
    def nosec_names(self) -> dict[str, str]:
        """Rule ids and check names a suppression comment may use, mapped to rule ids."""
        return self._lookup

    def cached_facts(self, unit: Unit) -> UnitFacts | None:
        return self._facts.get(unit.digest)

    def store_facts(self, unit: Unit, facts: UnitFacts) -> None:
        self._facts.put(unit.digest, facts)

    def store_findings(self, unit: Unit, context_digest: bytes, relative: tuple[Finding, ...]) -> None:
        self._results.put((unit.digest, context_digest), relative)

    def _unit_facts(self, unit: Unit, trees: dict[bytes, ast.Module] | None = None,
                    ) -> tuple[UnitFacts, ast.Module | None]:
        """The unit's facts, and its fresh tree when it had to be parsed for them (`trees`: trees
        the splitter already parsed, by digest)."""
        facts = self._facts.get(unit.digest)
        tree = None
        if facts is None:
            try:
                tree = (trees or {}).get(unit.digest) or unit.parse()
                parsed = True
                imports = import_facts(tree) if "import" in unit.text else ()
                too_deep = None
            except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
                parsed, imports, too_deep = False, (), depth_failure(exc)
            found = comment_directives(unit.text, 0, self._lookup, wrapped=unit.indented)
            facts = UnitFacts(parsed, imports, tuple(found.values()), too_deep)
            self._facts.put(unit.digest, facts)
        return facts, tree

    def _unit_findings(self, unit: Unit, lines: list[str], path: str, context: Context,
                       errors: list[NotAnalysed], tree: ast.Module | None = None) -> list[Finding]:
        key = (unit.digest, context.digest)
        cached = self._results.get(key)
        if cached is None:
            tree = tree or unit.parse()
            source = UnitSource(tree, lines, path, context.current(), unit.in_function)
            found, failed = unit_findings(self.analyzers, unit, source, errors)
            cached = tuple(f.shifted(-unit.start) for f in found)
            if not failed:  # a failure is reported again, never served from the cache as clean
                self._results.put(key, cached)
        return [f.shifted(unit.start) for f in cached]

    def _too_deep_apart(self, raw: RawAnalysis, lines: list[str]) -> RawAnalysis:
        """Ranges that do not parse because they nest too deeply are "not analysed" (said so,
        in every output and on every edit), not "do not parse": Python may well run them."""
        broken, errors = [], list(raw.errors)
        for start, end in raw.broken:
            chunk = "".join(line + "\n" for line in lines[start:end + 1])
            key = blake2b(chunk.encode("utf-8", "surrogatepass"), digest_size=16).digest()
            reason = self._depth_verdicts.get(key)
            if reason is None:
                try:
                    parse_code("if 1:\n" + chunk if chunk[:1] in " \t" else chunk)
                    reason = ""
                except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
                    reason = depth_failure(exc) or ""
                self._depth_verdicts.put(key, reason)
            if not reason:
                broken.append((start, end))
            else:
                errors.append(NotAnalysed(reason, start, end))
        if len(broken) == len(raw.broken):
            return raw
        return attrs.evolve(raw, broken=tuple(broken), errors=tuple(errors))

    def disk_changed(self, paths: Collection[str]) -> None:
        """Files changed on disk (the editor's file events): the analyzers read them again."""
        with self.lock:
            for analyzer in self.analyzers:
                analyzer.disk_changed(paths)

    def document_closed(self, path: str) -> None:
        """The editor closed the document at `path`: the analyzers, and the memo of the last
        texts compared (model/text.py), let go of every text they keep for it."""
        with self.lock:
            forget_compared()
            for analyzer in self.analyzers:
                analyzer.document_closed(path)
            with self.text_lock:
                for analyzer in self.text_analyzers:
                    analyzer.document_closed(path)

    def clear_cache(self) -> None:
        with self.lock:
            self._facts.clear()
            self._results.clear()
            self._texts.clear()
            forget_chunks()
            for analyzer in self.analyzers:
                analyzer.forget()
            with self.text_lock:
                for analyzer in self.text_analyzers:
                    analyzer.forget()


def run_to_end(steps: Generator[None, None, RawAnalysis]) -> RawAnalysis:
    """The result of an `Engine.analysis_steps` generator, run without a pause."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value

