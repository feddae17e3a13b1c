"""The engine's workspace summaries for the editor (engine/workspace_summaries.py): what a front
end records (edits, closes, file events, folders) reaches the analyses only through `compute`,
which names the documents whose usable summaries changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.engine.engine import Engine
from bastion.model import Level

APP = Path(__file__).resolve().parents[1] / "fixtures" / "taint_workspace" / "flask_app"
THROUGH_DB = {17, 28, 33}  # views.py's findings through db.py's helpers


@pytest.fixture(scope="module")
def taint():
    return TaintAnalyzer()


@pytest.fixture
def editor(taint, tmp_path):
    """An engine on a copy of the app, its summaries for the copy's folder, and views.py."""
    root = tmp_path / "app"
    shutil.copytree(APP, root)
    engine = Engine([taint])
    engine.summaries.open([str(root)])
    views = root / "shop" / "views.py"
    yield engine, root, (str(views), views.read_text(encoding="utf-8"))
    engine.summaries.open([])


def _found(taint, document) -> dict[int, Level]:
    path, text = document
    return {f.line: f.confidence for f in taint.analyse_file(text, path) if f.line in THROUGH_DB}


def _compute(engine, document) -> list:
    stale = engine.summaries.stale()
    return engine.summaries.compute(stale, [("views", *document)])


def test_summaries_are_used_once_computed_and_only_then(taint, editor):
    engine, _, document = editor
    assert _found(taint, document) == {}
    assert _compute(engine, document) == ["views"]
    assert _found(taint, document) == dict.fromkeys(THROUGH_DB, Level.HIGH)
    assert _compute(engine, document) == []  # nothing changed: nothing to analyse again


def test_an_edit_is_stale_until_computed_and_a_close_brings_the_disk_back(taint, editor):
    engine, root, document = editor
    _compute(engine, document)
    db = str(root / "shop" / "db.py")
    safe = Path(db).read_text(encoding="utf-8").replace(
        "cursor.execute(sql)", 'cursor.execute("SELECT 1 WHERE ? = 1", (sql,))')
    assert engine.summaries.module_changed(db, safe)
    assert _found(taint, document) == dict.fromkeys(THROUGH_DB, Level.MEDIUM)
    assert engine.summaries.disk_changed(db) is False  # the editor's text stands
    assert _compute(engine, document) == ["views"]
    assert _found(taint, document) == {}
    assert engine.summaries.module_changed(db, None)
    assert _compute(engine, document) == ["views"]
    assert _found(taint, document) == dict.fromkeys(THROUGH_DB, Level.HIGH)
    assert engine.summaries.module_changed(db, None) is False  # closed already


def test_a_module_deleted_on_disk_goes_at_the_next_computation(taint, editor):
    engine, root, document = editor
    _compute(engine, document)
    (root / "shop" / "db.py").unlink()
    assert engine.summaries.deleted([str(root / "shop" / "db.py")])
    assert _compute(engine, document) == ["views"]
    assert _found(taint, document) == {}


def test_new_folders_carry_what_still_holds_until_computed(taint, editor):
    engine, root, document = editor
    _compute(engine, document)
    before = taint.workspace
    assert engine.summaries.folders_changed([str(root)], [document, ("notes.txt", "x")])
    assert taint.workspace is not before
    assert _found(taint, document) == dict.fromkeys(THROUGH_DB, Level.HIGH)
    assert _compute(engine, document) == []  # the digests of the last analysis still hold
    engine.summaries.reset()
    assert _compute(engine, document) == ["views"]


def test_without_folders_the_analyses_use_no_summaries(taint, editor):
    engine, root, document = editor
    _compute(engine, document)
    assert engine.summaries.folders_changed([], [document]) is False
    assert taint.workspace is None and not engine.summaries.active
    assert engine.summaries.stale() is None
    assert engine.summaries.module_changed(str(root / "shop" / "db.py"), "x = 1\n") is False
    assert engine.summaries.disk_changed(str(root / "shop" / "db.py")) is False
    assert engine.summaries.deleted([str(root)]) is False
    assert engine.summaries.manifests_changed() is False


def test_an_engine_without_analyzers_that_summarise_has_none(tmp_path):
    engine = Engine([])
    engine.summaries.open([str(tmp_path)])
    assert not engine.summaries.active and engine.summaries.stale() is None
