"""How sure a secret finding is depends on its file's path (a test or example file's values are
fixtures: medium confidence), and the engine keeps results by text (in memory and in the result
cache): the secrets analyzer's dependency key holds the path's kind, so the same text under
`app/` and under `tests/` is not answered one for the other, and a warm scan finds both rows."""

from __future__ import annotations

import pytest

from bastion import scan
from bastion.analyzers.secrets.analyzer import SecretsAnalyzer
from bastion.config import Config
from bastion.engine.disk_cache import DiskCache
from bastion.engine.engine import Engine

KEY = "AWS_ACCESS_KEY_ID=AKIA" + "QYLPMN5HFIQR7XYZ\n"  # split: this file holds no key


def _confidence(engine: Engine, path) -> list:
    return [(f.rule_id, f.confidence) for f in engine.analyse_raw(KEY, str(path)).findings]


@pytest.mark.parametrize("first", ["app", "tests"])
def test_the_same_text_under_tests_and_under_app_is_two_results(tmp_path, monkeypatch, first):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    second = "tests" if first == "app" else "app"
    alone = _confidence(Engine([], text_analyzers=[SecretsAnalyzer()]), tmp_path / second / ".env")
    engine = Engine([], disk_cache=DiskCache(), text_analyzers=[SecretsAnalyzer()])
    assert _confidence(engine, tmp_path / first / ".env") != alone
    assert _confidence(engine, tmp_path / second / ".env") == alone  # not from memory
    again = Engine([], disk_cache=DiskCache(), text_analyzers=[SecretsAnalyzer()])
    assert _confidence(again, tmp_path / second / ".env") == alone  # nor from the result cache


def test_a_warm_scan_serves_test_files_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(scan, "_ENGINE", None)  # a new one, with this test's cache
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text("TOKEN = 'x'\nimport os\n", encoding="utf-8")
    (tmp_path / "tests" / ".env").write_text(KEY, encoding="utf-8")
    items = [scan.ScanItem(str(tmp_path / "tests" / name), name, Config())
             for name in ("test_app.py", ".env")]
    scan.scan(items, jobs=1)
    assert all(outcome is not None for outcome in scan._from_cache(items))
