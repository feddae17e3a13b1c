"""Scans: a cached scan gives the findings of a fresh one, without loading the analyzers."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from bastion.config import Config
from bastion.engine.registry import create_engine, default_version_key
from bastion.scan import ScanItem, scan

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def test_cache_key_version_without_analyzers_matches_the_engine():
    assert default_version_key() == create_engine().version_key


def test_cache_key_version_imports_no_analyzer():
    """A scan served from the result cache reads the analyzers' versions (analyzers/versions.py),
    not the analyzers: importing them was most of a warm scan's time."""
    probe = ("import sys; from bastion.engine.registry import default_version_key; "
             "default_version_key(); print(' '.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parent).stdout.split()
    heavy = [name for name in loaded if name.startswith(
        ("bandit", "bastion.analyzers.taint", "bastion.analyzers.secrets", "bastion.analyzers.deps",
         "bastion.analyzers.toml_rules", "bastion.deps.index", "bastion.deps.store", "libcst"))]
    assert heavy == []


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
