"""Template files the editor holds open (TaintAnalyzer.read_open_texts): their text is read
before the file on disk, with the same limits (inside the root, at most 1 MiB), and it changes
the dependency key as an edit on disk would."""

from __future__ import annotations

import os

from bastion.analyzers.taint import template_files
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

VIEW = ("from flask import Flask, render_template, request\napp = Flask(__name__)\n"
        "@app.route('/h')\ndef h():\n    return render_template('hello.html', name=request.args['n'])\n")


def _analyzer(root, texts: dict[str, str]) -> TaintAnalyzer:
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version)
    analyzer.read_open_texts(texts.get)
    return analyzer


def _rules(analyzer: TaintAnalyzer, root) -> list[str]:
    return [f.rule_id for f in analyzer.analyse_file(VIEW, str(root / "app.py"))]


def test_an_open_template_is_read_before_the_file_on_disk(tmp_path):
    hello = tmp_path / "templates" / "hello.html"
    hello.parent.mkdir()
    hello.write_text("{{ name }}\n", encoding="utf-8")
    texts: dict[str, str] = {}
    analyzer = _analyzer(tmp_path, texts)
    assert _rules(analyzer, tmp_path) == []
    before = analyzer.dependency_key(VIEW, str(tmp_path / "app.py"))
    texts[os.path.normpath(hello)] = "{{ name|safe }}\n"
    analyzer.disk_changed([str(hello)])
    assert _rules(analyzer, tmp_path) == ["BST203"]
    assert analyzer.dependency_key(VIEW, str(tmp_path / "app.py")) != before
    del texts[os.path.normpath(hello)]  # closed: the disk copy again
    analyzer.disk_changed([str(hello)])
    assert _rules(analyzer, tmp_path) == []


def test_an_open_template_outside_the_root_or_too_large_is_not_read(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "templates").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "templates" / "hello.html").symlink_to(outside / "hello.html")
    texts = {os.path.normpath(root / "templates" / "hello.html"): "{{ name|safe }}\n"}
    assert _rules(_analyzer(root, texts), root) == []
    (root / "templates" / "hello.html").unlink()
    assert _rules(_analyzer(root, texts), root) == ["BST203"]  # open, not on disk: read
    monkeypatch.setattr(template_files, "MAX_TEMPLATE_BYTES", 8)
    assert _rules(_analyzer(root, texts), root) == []
