"""Analyse many files for `bastion check` (and the editor's workspace scan): across processes,
through the persistent result cache.

Each worker process builds its own engine (bandit's global state is per process). Small scans
run in-process: starting a worker costs more than analysing a few files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

import attrs

from bastion.config import Config
from bastion.engine.disk_cache import DiskCache, decode, text_key
from bastion.engine.engine import Analysis, Engine, RawAnalysis, apply_config
from bastion.files import UnreadableSource, read_source

PARALLEL_MIN_FILES = 24


@attrs.frozen
class ScanItem:
    path: str
    shown: str
    config: Config


@attrs.frozen
class ScanOutcome:
    item: ScanItem
    analysis: Analysis | None
    lines: int
    error: str | None = None
    text: str | None = None  # kept only when asked (the editor converts columns with it)


_ENGINE: Engine | None = None


def _engine(use_cache: bool) -> Engine:
    global _ENGINE
    if _ENGINE is None:
        from bastion.engine.registry import create_engine

        _ENGINE = create_engine(disk_cache=use_cache, unit_caches=False)
    return _ENGINE


def analyse_item(item: ScanItem, use_cache: bool = True, keep_text: bool = False) -> ScanOutcome:
    try:
        source = read_source(item.path)
    except UnreadableSource as exc:
        return ScanOutcome(item, None, 0, f"skipped: {exc}")
    raw = _engine(use_cache).analyse_raw(source.text, item.path)
    return ScanOutcome(item, apply_config(raw, item.path, item.config),
                       source.text.count("\n") + 1, None, source.text if keep_text else None)


def _cached(item: ScanItem, disk: DiskCache, version_key: str) -> ScanOutcome | None:
    """The outcome from the persistent cache alone, or None when the file must be analysed."""
    try:
        source = read_source(item.path)
    except UnreadableSource as exc:
        return ScanOutcome(item, None, 0, f"skipped: {exc}")
    stored = disk.get(text_key(source.text, version_key))
    if stored is None:
        return None
    try:
        findings, directives, broken = decode(stored)
    except (ValueError, KeyError, TypeError):
        return None
    raw = RawAnalysis(findings, directives, broken)
    return ScanOutcome(item, apply_config(raw, item.path, item.config),
                       source.text.count("\n") + 1)


def _worker(args: tuple[ScanItem, bool]) -> ScanOutcome:
    return analyse_item(*args)


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def scan(items: Iterable[ScanItem], jobs: int | None = None,
         use_cache: bool = True) -> list[ScanOutcome]:
    """Outcomes in the order of `items`. Files whose results are cached are served here; only
    the others go to worker processes, whose start-up would cost more than a cached scan."""
    items = list(items)
    jobs = jobs or default_jobs()
    outcomes: list[ScanOutcome | None] = [None] * len(items)
    if use_cache and not os.environ.get("BASTION_NO_CACHE"):
        from bastion.engine.registry import default_version_key

        disk, version_key = DiskCache(), default_version_key()
        outcomes = [_cached(item, disk, version_key) for item in items]
        disk.close()
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    if jobs <= 1 or len(todo) < PARALLEL_MIN_FILES:
        for index in todo:
            outcomes[index] = analyse_item(items[index], use_cache)
        return outcomes
    chunk = max(1, min(16, len(todo) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = pool.map(_worker, [(items[i], use_cache) for i in todo], chunksize=chunk)
        for index, outcome in zip(todo, done, strict=True):
            outcomes[index] = outcome
    return outcomes
