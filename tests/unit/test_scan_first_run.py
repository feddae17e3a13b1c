"""A scan with no result cache on disk does not look its files up (there is nothing to find),
and gives what a scan that looks them up gives; a cache on disk is still read."""

from __future__ import annotations

import os

import bastion.scan
from bastion.config import Config
from bastion.engine.disk_cache import DiskCache, default_path
from bastion.scan import ScanItem, scan


def _items(root):
    root.mkdir()
    items = []
    for i in range(3):
        path = root / f"m{i}.py"
        path.write_text(f"import pickle\n\ndef load{i}(data):\n    return pickle.loads(data)\n")
        items.append(ScanItem(str(path), path.name, Config()))
    (root / "blob.py").write_bytes(b"x = 1\x00\n")
    return [*items, ScanItem(str(root / "blob.py"), "blob.py", Config())]


def _summary(outcomes) -> list:
    return [(o.item.shown, o.lines, o.error, None if o.analysis is None else
             [(f.rule_id, f.span) for f in o.analysis.findings]) for o in outcomes]


def _forbid(monkeypatch, name):
    def called(*args, **kwargs):
        raise AssertionError(f"{name} was called")

    monkeypatch.setattr(bastion.scan, name, called)


def test_stored_is_the_database_or_its_log(tmp_path):
    cache = DiskCache(tmp_path / "results.sqlite3")
    assert not cache.stored()
    (tmp_path / "results.sqlite3-wal").write_bytes(b"")  # SQLite would replay it
    assert cache.stored()
    (tmp_path / "results.sqlite3-wal").unlink()
    os.symlink(tmp_path / "nowhere", tmp_path / "results.sqlite3")  # refused when connected
    assert cache.stored()
    (tmp_path / "results.sqlite3").unlink()
    cache.put("k", "v")
    assert cache.stored()
    cache.close()


def test_a_first_run_looks_nothing_up_and_a_later_one_reads_what_it_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bastion.scan, "_ENGINE", None)  # a new one, with this test's cache
    items = _items(tmp_path / "project")
    expected = _summary(scan(items, jobs=1, use_cache=False))
    assert any(findings for *_, findings in expected)
    assert not default_path().exists()
    with monkeypatch.context() as patched:
        _forbid(patched, "_from_cache")
        assert _summary(scan(items, jobs=1)) == expected  # analysed, and stored
    assert DiskCache().stored()
    _forbid(monkeypatch, "analyse_item")
    assert _summary(scan(items, jobs=1)) == expected  # every readable file from the cache
