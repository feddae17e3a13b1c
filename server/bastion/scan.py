"""Analyse many files for `bastion check` (and the editor's workspace scan): across processes,
through the persistent result cache.

Every file is first looked up in the cache, all in one query (unless the cache has no file on
disk yet: all would miss); only the files it misses are analysed. Each worker process has its
own engine (bandit's global state is per process), forked from the parent's where processes
fork (fork_pool.py; elsewhere spawned by multiprocessing, each building its own). Small scans
run in-process: starting a worker costs more than analysing a few files.
Workers neither read nor write the cache: the parent has looked every file up, and writes the
rows they send back with their results (`_SentBack`).
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bastion import attrs_classes, fork_pool
from bastion.config import Config
from bastion.engine.analysis import Analysis, RawAnalysis, apply_config
from bastion.engine.cache_entry import InvalidEntry, cache_key, decode, line_count
from bastion.engine.disk_cache import DiskCache
from bastion.filekinds import FileKind, kind_of
from bastion.files import TooLarge, UnreadableSource, read_source
from bastion.model.finding import NotAnalysed

if TYPE_CHECKING:
    from bastion.engine.engine import Engine

# Worker processes pay off from this many files, or this much source: a worker forked from a
# parent that has built its engine starts in some 20 ms, where analysing 100 KB (2.5k lines)
# takes some 0.2 s; a small project of few large files still uses every core.
PARALLEL_MIN_FILES = 24
PARALLEL_MIN_BYTES = 100_000
# The collector is off while a scan analyses files. What they leave behind is mostly kept to the
# scan's end (workspace and imported modules' summaries, the taint analyzer's caches), and the
# cyclic garbage is small: some 24k objects, 2-5 MB, over the 200k lines of the stdlib set.
# Collecting every 50k lines traversed each survivor once, about 1 s of a 16 s cold scan of that
# set, to free 1% of what it traversed. So a scan collects everything, frozen or not, only after
# this many lines: garbage some 10 MB at most, and an entry a cache held and let go since is freed
# then. (The collector being off, what is not frozen is not traversed either.)
COLLECT_EVERY_LINES = 400_000
# Files whose texts are held at once while their cache rows are checked against them.
CACHE_BATCH = 500


@attrs_classes.frozen
class ScanItem:
    path: str
    shown: str
    config: Config
    # The scanned folders the file was found under: it is read only if its real path lies in
    # one of them (files.read_source). Empty for a file named on the command line.
    within: tuple[str, ...] = ()


@attrs_classes.frozen
class ScanOutcome:
    item: ScanItem
    analysis: Analysis | None
    lines: int
    error: str | None = None
    text: str | None = None  # kept only when asked (the editor converts columns with it)


_ENGINE: Engine | None = None  # built on first use: a scan served from the cache needs none
# The scanned folders: imports resolve to workspace modules under them, whose summaries the
# taint analysis uses (analyzers/taint/workspace.py). Set by `scan`, before workers start.
_ROOTS: tuple[str, ...] = ()
ROOT_NAME = "scan root"  # what messages call the scanned folders (the editor: its own word)
_ROOT_NAME = ROOT_NAME


def _engine() -> Engine:
    """The process's engine, with the result cache (unless BASTION_NO_CACHE is set): each
    analysis says whether to use it; with the summaries of the workspace under `_ROOTS`."""
    global _ENGINE
    if _ENGINE is None:
        # Building it (imports, bandit's plugins, the rules) allocates objects that live as long
        # as the process and frees few: the collections it set off were a sixth of its time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            from bastion.analyzers.taint.workspace_attach import attach
            from bastion.engine.registry import create_engine

            _ENGINE = create_engine(disk_cache=True, unit_caches=False)
            _ENGINE.set_roots(_ROOTS, _ROOT_NAME)
            if _ROOTS:
                attach(_ENGINE, _ROOTS)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
    return _ENGINE


def set_roots(roots: tuple[str, ...], name: str = ROOT_NAME) -> None:
    """The workspace a scan's imports resolve in (summaries are per workspace), and where a
    requirements file's includes may be read (`Engine.set_roots`, `name` as there)."""
    global _ROOTS, _ROOT_NAME
    roots = tuple(roots)
    if (roots, name) != (_ROOTS, _ROOT_NAME):
        if _ENGINE is not None:
            _ENGINE.set_roots(roots, name)
        if _ENGINE is not None and roots != _ROOTS:
            from bastion.analyzers.taint.workspace_attach import attach

            attach(_ENGINE, roots)
        _ROOTS, _ROOT_NAME = roots, name


def unread(item: ScanItem, exc: UnreadableSource) -> ScanOutcome:
    """The outcome of a file that could not be read: a file over the size cap is not analysed
    (the run fails, exit 3: Python would run it); binary, undecodable and special files, which
    Python cannot run as source, are skipped."""
    if isinstance(exc, TooLarge):
        return ScanOutcome(item, Analysis((), (), (), (NotAnalysed(str(exc)),)), 0)
    return ScanOutcome(item, None, 0, f"skipped: {exc}")


def analyse_item(item: ScanItem, use_cache: bool = True, keep_text: bool = False) -> ScanOutcome:
    try:
        source = read_source(item.path, item.within)
    except UnreadableSource as exc:
        return unread(item, exc)
    raw = _engine().analyse_raw(source.text, item.path, use_disk=use_cache)
    return ScanOutcome(item, apply_config(raw, item.path, item.config),
                       source.text.count("\n") + 1, None, source.text if keep_text else None)


def _from_cache(items: list[ScanItem]) -> list[ScanOutcome | None]:
    """Outcomes from the persistent cache alone (None where a file must be analysed), without
    loading the analyzers: their version key and rule ids are read from files on disk. Files
    are looked up a batch at a time: each row is checked against its file's text, which is
    then let go."""
    from bastion.analyzers.secrets.allow import secrets_key
    from bastion.analyzers.taint.scan_key import ScanKeys
    from bastion.analyzers.text_registry import dependency_key as text_dependency_key
    from bastion.analyzers.versions import taint_models_dir, toml_files
    from bastion.engine.registry import default_rule_ids, default_version_key

    # The taint models read once: the bytes the version key hashes are those the keys parse.
    models = toml_files(taint_models_dir())
    version_key, rules = default_version_key(models), default_rule_ids()
    taint_keys = ScanKeys(_ROOTS, models)
    outcomes: list[ScanOutcome | None] = [None] * len(items)
    disk = DiskCache()
    try:
        for start in range(0, len(items), CACHE_BATCH):
            texts: dict[int, tuple[str, str]] = {}  # item index -> (cache key, text)
            for index in range(start, min(start + CACHE_BATCH, len(items))):
                try:
                    text = read_source(items[index].path, items[index].within).text
                except UnreadableSource as exc:
                    outcomes[index] = unread(items[index], exc)
                    continue
                path = items[index].path
                kind = kind_of(path)
                if kind is not FileKind.PYTHON:
                    dependencies = text_dependency_key(text, path)
                    if dependencies is None:
                        continue  # not to be cached (a requirements file with includes)
                else:  # the analyzers' keys in their order: the taint's, then the secrets'
                    dependencies = taint_keys.key(text, path) + secrets_key(path)
                texts[index] = cache_key(text, version_key, kind, dependencies), text
            stored = disk.get_many([key for key, _ in texts.values()])
            for index, (key, text) in texts.items():
                try:
                    raw = RawAnalysis(*decode(stored[key], key, text, rules))
                except (KeyError, InvalidEntry):
                    continue  # not cached, or not trusted: analysed again, the row overwritten
                item = items[index]
                outcomes[index] = ScanOutcome(item, apply_config(raw, item.path, item.config),
                                              line_count(text))
    finally:
        disk.close()
    return outcomes


class _SentBack(DiskCache):
    """A worker's result cache: nothing to read (the parent found none of its files there), and
    the rows its engine stores are kept for `_worker` to send to the parent, which writes them a
    batch per transaction; workers committing a row per file waited for each other's commits.
    `rows` is owned by the worker's engine (filled) and `_worker` (emptied)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []

    def get(self, key: str) -> str | None:
        return None

    def put_many(self, rows: list[tuple[str, str]]) -> None:
        self.rows.extend(rows)


def _start_worker() -> None:
    """A worker's set-up (a forked one has the parent's engine, roots and items)."""
    engine = _engine()
    if engine.disk_cache is not None:
        engine.disk_cache = _SentBack()
    # What exists now (modules, bandit's plugins, the rules) lives as long as the worker: the
    # collector need never traverse it. Garbage is collected by `_worker`, every so many lines.
    gc.freeze()
    gc.disable()


_uncollected_lines = 0  # analysed since the last collection (`_analysed`)


def _analysed(outcome: ScanOutcome) -> ScanOutcome:
    """`outcome`, with everything collected every COLLECT_EVERY_LINES lines (the collector is off
    while files are analysed)."""
    global _uncollected_lines
    _uncollected_lines += outcome.lines
    if _uncollected_lines >= COLLECT_EVERY_LINES:
        gc.unfreeze()
        gc.collect()
        gc.freeze()  # the survivors are not traversed again before the next such collection
        _uncollected_lines = 0
    return outcome


def _worker(item: ScanItem, use_cache: bool
            ) -> tuple[Analysis | None, int, str | None, list[tuple[str, str]]]:
    """The outcome of one file, and the result-cache rows to write (see `_SentBack`)."""
    outcome = _analysed(analyse_item(item, use_cache))
    rows: list[tuple[str, str]] = []
    cache = _engine().disk_cache
    if isinstance(cache, _SentBack):
        rows, cache.rows = cache.rows, []
    return outcome.analysis, outcome.lines, outcome.error, rows  # the parent has the item


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None, files: int) -> int:
    """Workers for `files` files: `requested` (default one per available core), but never more
    than the cores nor the files. Analysis is CPU-bound: more workers only add start-up time and
    memory (`--jobs 1000` forked 1,000 processes)."""
    cores = default_jobs()
    return max(1, min(requested or cores, cores, files))


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _worth_workers(paths: list[str]) -> bool:
    if len(paths) >= PARALLEL_MIN_FILES:
        return True
    # Few files, large enough for workers forked from the parent; spawned ones would import and
    # build everything again.
    return sum(_size(path) for path in paths) >= PARALLEL_MIN_BYTES and fork_pool.forks()


def _crashed(task: int, how: str) -> tuple[Analysis, int, None, list[tuple[str, str]]]:
    """What `_worker` would have sent for a file whose analysis ended its process."""
    reason = f"the process analysing it ended ({how})"
    return Analysis((), (), (), (NotAnalysed(reason),)), 0, None, []


def _start_spawned(roots: tuple[str, ...], name: str) -> None:
    set_roots(roots, name)
    _start_worker()


def _outcomes(items: list[ScanItem], order: list[int], jobs: int, use_cache: bool):
    """(index in `items`, what `_worker` gives for it), analysed in `order` by `jobs` workers."""
    if fork_pool.forks():
        # Built here once, the engine (bandit's plugins, the rules) is inherited by every
        # worker; built by each, the engines would compete for the cores while no file is read.
        engine = _engine()
        from bastion.analyzers.taint.workspace_attach import imported_modules

        # files importing the same workspace modules to one worker, which computes their
        # summaries once (read while the workers analyse, when a worker is handed a file)
        near = functools.cache(lambda task: imported_modules(engine, items[task].path))
        yield from fork_pool.run(jobs, _start_worker, lambda task: _worker(items[task], use_cache),
                                 order, _crashed, near)
        return
    from concurrent.futures import ProcessPoolExecutor  # spawned workers (Windows, macOS)
    from itertools import repeat

    with ProcessPoolExecutor(jobs, initializer=_start_spawned, initargs=(_ROOTS, _ROOT_NAME)) as pool:
        yield from zip(order, pool.map(_worker, [items[i] for i in order], repeat(use_cache)),
                       strict=True)


def _in_processes(items: list[ScanItem], jobs: int, use_cache: bool) -> list[ScanOutcome]:
    # Largest files first, one at a time: the workers then finish within a small file of each
    # other, where chunks in path order left one idle while the other ended a chunk of big ones.
    order = sorted(range(len(items)), key=lambda i: _size(items[i].path), reverse=True)
    outcomes: list[ScanOutcome | None] = [None] * len(items)
    cache = DiskCache() if use_cache else None
    try:
        for task, (analysis, lines, error, sent) in _outcomes(items, order, jobs, use_cache):
            outcomes[task] = ScanOutcome(items[task], analysis, lines, error)
            if cache is not None:
                # Written while the workers analyse the other files (the parent waits for them
                # anyway): the first write creates the database, some milliseconds of disk
                # writes and syncs, that a batch written at the end added to the scan's time.
                cache.put_many(sent)
    finally:
        if cache is not None:
            cache.checkpoint()
            cache.close()
    return outcomes


def scan(items: Iterable[ScanItem], jobs: int | None = None, use_cache: bool = True,
         roots: Iterable[str] = ()) -> list[ScanOutcome]:
    """Outcomes in the order of `items`. Files whose results are cached are served here; only
    the others go to worker processes, whose start-up would cost more than a cached scan.
    `roots`: the scanned folders, where imports of workspace modules resolve."""
    items = list(items)
    set_roots(tuple(roots))
    use_cache = use_cache and not os.environ.get("BASTION_NO_CACHE")
    outcomes: list[ScanOutcome | None] = [None] * len(items)
    if use_cache and DiskCache().stored():
        outcomes = _from_cache(items)
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    jobs = worker_count(jobs, len(todo))
    if jobs <= 1 or not _worth_workers([items[index].path for index in todo]):
        # As in a worker: collections on allocation counts were some 15 ms of 0.4 s of analysis.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for index in todo:
                outcomes[index] = _analysed(analyse_item(items[index], use_cache))
        finally:
            gc.freeze()  # else the first collection after would traverse what the files left
            if collecting:
                gc.enable()
        return outcomes
    for index, outcome in zip(todo, _in_processes([items[i] for i in todo], jobs, use_cache),
                              strict=True):
        outcomes[index] = outcome
    return outcomes
