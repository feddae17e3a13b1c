"""Analyse many files for `bastion check` (and the editor's workspace scan): across processes,
through the persistent result cache.

Each worker process builds its own engine (bandit's global state is per process). Small scans
run in-process: starting a worker costs more than analysing a few files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs

from bastion.config import Config
from bastion.engine.engine import Analysis, Engine, apply_config
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
    text: str | None = None  # kept only when the caller asks (fixes need it)


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
    analysis = apply_config(raw, item.path, item.config)
    return ScanOutcome(item, analysis, source.text.count("\n") + 1, None,
                       source.text if keep_text else None)


def _worker(args: tuple[ScanItem, bool, bool]) -> ScanOutcome:
    return analyse_item(*args)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def scan(items: Iterable[ScanItem], jobs: int | None = None, use_cache: bool = True,
         keep_text: bool = False,
         progress: Callable[[ScanOutcome], bool | None] | None = None) -> list[ScanOutcome]:
    """Outcomes in the order of `items`. `progress` may return True to stop early."""
    items = list(items)
    jobs = jobs or default_jobs()
    outcomes: list[ScanOutcome] = []
    if jobs <= 1 or len(items) < PARALLEL_MIN_FILES:
        for item in items:
            outcomes.append(analyse_item(item, use_cache, keep_text))
            if progress and progress(outcomes[-1]):
                break
        return outcomes
    chunk = max(1, min(16, len(items) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for outcome in pool.map(_worker, [(i, use_cache, keep_text) for i in items], chunksize=chunk):
            outcomes.append(outcome)
            if progress and progress(outcome):
                pool.shutdown(wait=False, cancel_futures=True)
                break
    return outcomes


def shown_path(path: Path, given: str) -> str:
    return os.path.relpath(path) if not Path(given).is_absolute() else str(path)
