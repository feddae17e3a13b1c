"""Scans: a cached scan gives the findings of a fresh one, without loading the analyzers."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from bastion.config import Config
from bastion.engine.registry import create_engine, default_version_key
from bastion.scan import ScanItem, scan

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def test_cache_key_version_without_analyzers_matches_the_engine():
    assert default_version_key() == create_engine().version_key


def test_warm_scan_equals_cold_scan(tmp_path, monkeypatch):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    items = [ScanItem(str(STDLIB / name), name, Config())
             for name in ("subprocess.py", "pickle.py", "tempfile.py", "shutil.py")]
    broken = tmp_path / "broken.py"
    broken.write_text("import os\nos.system(x)\ndef f(:\n")
    items.append(ScanItem(str(broken), "broken.py", Config()))

    def key(outcomes):
        return [(o.item.shown, [(f.rule_id, f.span) for f in o.analysis.findings], o.lines)
                for o in outcomes]

    cold = scan(items, jobs=1)
    warm = scan(items, jobs=1)
    assert key(cold) == key(warm)
    assert any(o.analysis.findings for o in cold)
    assert [f.rule_id for f in warm[-1].analysis.findings] == ["B605"]
