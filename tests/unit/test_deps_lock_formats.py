"""The engine keeps a text document's result by its text and kind (in memory and in the result
cache), and every lock file is of one kind: which parser reads it, and which lock command its
findings name, come from its name. The deps analyzer's dependency key holds that format, so two
lock files of the same text are not answered one for the other."""

from __future__ import annotations

import pytest

from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.engine.disk_cache import DiskCache
from bastion.engine.engine import Engine

LOCK = '[[package]]\nname = "django"\nversion = "3.2.5"\n'  # BST401 in the shipped index


def _read(engine: Engine, folder, name: str, text: str) -> tuple:
    raw = engine.analyse_raw(text, str(folder / name))
    return [(f.rule_id, f.line, f.message) for f in raw.findings], [str(e) for e in raw.errors]


@pytest.mark.parametrize(("first", "second", "text"), [
    ("uv.lock", "poetry.lock", LOCK),  # the same packages; `uv lock ...` and `poetry update ...`
    ("uv.lock", "Pipfile.lock", ""),  # valid TOML with no package; not valid JSON
    ("poetry.lock", "pylock.toml", LOCK),  # pylock.toml's packages are `[[packages]]`: none here
    ("uv.lock", "pdm.lock", LOCK),  # `uv lock ...` and `pdm update ...`
])
def test_lock_files_of_the_same_text_are_read_by_their_own_format(tmp_path, monkeypatch, first, second, text):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    engine = Engine([], disk_cache=DiskCache(), text_analyzers=[DepsAnalyzer()])
    alone = _read(Engine([], text_analyzers=[DepsAnalyzer()]), tmp_path, second, text)
    assert _read(engine, tmp_path, first, text) != alone
    assert _read(engine, tmp_path, second, text) == alone  # not the first file's, from memory
    again = Engine([], disk_cache=DiskCache(), text_analyzers=[DepsAnalyzer()])
    assert _read(again, tmp_path, first, text) != alone
    assert _read(again, tmp_path, second, text) == alone  # nor from the result cache
