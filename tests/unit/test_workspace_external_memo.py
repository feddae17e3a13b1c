"""A scan's summary store answers `external` once for a file's `Imports` and path: the taint
analyzer asks for a file's findings, what it left out and its verdicts, three times with the
same `Imports`. A module that changed (`changed`) is read again: the next answer is new."""

from __future__ import annotations

import shutil
from pathlib import Path

from bastion.analyzers.taint import analyzer as analyzer_module
from bastion.analyzers.taint import workspace
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore
from bastion.analyzers.taint.workspace_external import external_of

APP = Path(__file__).resolve().parents[1] / "fixtures" / "taint_workspace" / "flask_app"


def _counting(store: SummaryStore, monkeypatch) -> list[str | None]:
    computed: list[str | None] = []

    def counted(asked, source, path):
        assert asked is store
        computed.append(path)
        return external_of(asked, source, path)

    monkeypatch.setattr(workspace, "external_of", counted)
    return computed


def _scan(tmp_path: Path) -> tuple[TaintAnalyzer, SummaryStore, Path, str]:
    """An analyzer given a scan's store of a copy of the app, with its views' file and text."""
    shutil.copytree(APP, tmp_path / "app")
    views = tmp_path / "app" / "shop" / "views.py"
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path / "app")], analyzer.models, analyzer.version)
    return analyzer, analyzer.workspace, views, views.read_text(encoding="utf-8")


def test_a_file_asked_three_times_is_looked_up_once(tmp_path, monkeypatch):
    analyzer, store, views, text = _scan(tmp_path)
    computed = _counting(store, monkeypatch)
    findings = analyzer.analyse_file(text, str(views))
    analyzer.left_out(text, str(views))
    analyzer.retract(text, str(views), [])
    assert computed == [str(views)]
    assert {17, 28, 33} <= {f.line for f in findings}


def test_a_changed_module_is_read_again(tmp_path, monkeypatch):
    analyzer, store, views, text = _scan(tmp_path)
    computed = _counting(store, monkeypatch)
    before = {f.line for f in analyzer.analyse_file(text, str(views))}
    db = tmp_path / "app" / "shop" / "db.py"
    db.write_text(db.read_text().replace("cursor.execute(sql)",
                                         "cursor.execute(\"SELECT 1 WHERE ? = 1\", (sql,))"))
    store.changed(str(db))
    after = {f.line for f in analyzer.analyse_file(text, str(views))}
    assert computed == [str(views), str(views)]
    assert {17, 28, 33} <= before
    assert not {17, 28, 33} & after


def test_a_derived_class_without_a_handler_is_read_once(tmp_path, monkeypatch):
    """A file naming no source whose class derives from another module's (maybe a framework's
    handler through it): its module context is built at the first ask only, the other two find
    its empty result (a cold stdlib scan built 20 such contexts three times)."""
    (tmp_path / "base.py").write_text("class Base:\n    def run(self, value):\n        return value\n")
    shapes = tmp_path / "shapes.py"
    text = ("from base import Base\n\n\nclass Square(Base):\n"
            "    def area(self, side):\n        return side * side\n")
    shapes.write_text(text)
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version)
    built: list[object] = []
    real = analyzer_module.module_context
    monkeypatch.setattr(analyzer_module, "module_context",
                        lambda tree, *args, **kwargs: built.append(tree) or real(tree, *args, **kwargs))
    assert analyzer.analyse_file(text, str(shapes)) == []
    assert analyzer.left_out(text, str(shapes)) == ()
    assert analyzer.retract(text, str(shapes), []) == {}
    assert len(built) == 1


def test_whether_a_file_imports_a_source_is_asked_once(tmp_path, monkeypatch):
    """A file naming no source, importing a workspace module: whether it reads one through it
    is looked up at the first of the three asks; a changed module is read again."""
    (tmp_path / "helpers.py").write_text("def double(value):\n    return value * 2\n")
    main = tmp_path / "main.py"
    text = "from helpers import double\n\n\ndef run(value):\n    return double(value)\n"
    main.write_text(text)
    analyzer = TaintAnalyzer()
    store = analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version)
    asked: list[str | None] = []
    real = workspace.imports_source
    monkeypatch.setattr(workspace, "imports_source",
                        lambda text, path, *args: asked.append(path) or real(text, path, *args))
    assert analyzer.analyse_file(text, str(main)) == []
    assert analyzer.left_out(text, str(main)) == ()
    assert analyzer.retract(text, str(main), []) == {}
    store.changed(str(tmp_path / "helpers.py"))
    analyzer.analyse_file(text, str(main))
    assert asked == [str(main), str(main)]
