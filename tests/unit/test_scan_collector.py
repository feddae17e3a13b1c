"""A scan's use of the garbage collector: off while files are analysed, everything collected only
every so many lines (frozen in between, so the summaries kept to the end are not traversed again
and again), and what the files left frozen after the scan."""

from __future__ import annotations

import gc
from pathlib import Path

import bastion.scan
from bastion.config import Config
from bastion.scan import ScanItem, scan


def _project(root: Path, count: int) -> list[ScanItem]:
    root.mkdir()
    items = []
    for i in range(count):
        path = root / f"m{i}.py"
        path.write_text(f"import pickle\n\ndef load{i}(data):\n    return pickle.loads(data)\n")
        items.append(ScanItem(str(path), path.name, Config()))
    return items


def test_files_analysed_in_process_run_with_the_collector_off(tmp_path, monkeypatch):
    """As in a worker: the garbage of the analysed files is collected every so many lines, not
    on allocation counts; the collector is on again after the scan."""
    items = _project(tmp_path / "project", 8)
    analyse, enabled, collections = bastion.scan.analyse_item, [], []

    def watched(*args, **kwargs):
        enabled.append(gc.isenabled())
        return analyse(*args, **kwargs)

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    monkeypatch.setattr(bastion.scan, "analyse_item", watched)
    monkeypatch.setattr(bastion.scan, "COLLECT_EVERY_LINES", 12)
    assert gc.isenabled()
    gc.callbacks.append(count)
    try:
        scan(items, jobs=1, use_cache=False)
    finally:
        gc.callbacks.remove(count)
    assert enabled == [False] * len(items) and gc.isenabled()
    assert collections.count(2) >= 2  # the full collections every 12 lines


def test_a_scan_collects_only_every_so_many_lines_and_frozen_garbage_too(monkeypatch):
    """Between collections, what the analysed files leave (mostly summaries kept to the end) is
    not traversed; a collection unfreezes first, so what was frozen and is garbage since (an
    entry a cache let go) is freed."""
    import weakref

    class Cyclic:
        pass

    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    monkeypatch.setattr(bastion.scan, "COLLECT_EVERY_LINES", 20)
    monkeypatch.setattr(bastion.scan, "_uncollected_lines", 0)
    analysed = bastion.scan.ScanOutcome(ScanItem("a.py", "a.py", Config()), None, 10)
    kept = Cyclic()
    kept.itself = kept
    alive = weakref.ref(kept)
    gc.disable()
    gc.freeze()  # as what the scan froze before
    gc.callbacks.append(count)
    try:
        del kept
        bastion.scan._analysed(analysed)
        assert alive() is not None and collections == []  # 10 lines: no collection yet
        bastion.scan._analysed(analysed)  # 20: everything unfrozen and collected
        assert alive() is None and collections == [2]
    finally:
        gc.callbacks.remove(count)
        gc.unfreeze()
        gc.enable()


def test_what_files_analysed_in_process_left_is_frozen_after_the_scan(tmp_path, monkeypatch):
    """The collector is on again after the scan, but does not traverse what the files left (it
    would, on the first allocations, though it is nearly all live)."""
    items = _project(tmp_path / "project", 4)
    monkeypatch.setattr(bastion.scan, "_uncollected_lines", 0)
    bastion.scan._engine()  # built (and frozen) before, not by the scan
    gc.unfreeze()
    try:
        scan(items, jobs=1, use_cache=False)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
