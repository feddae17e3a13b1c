"""A scan builds each module's context once (`SummaryStore.context`, workspace.py): the summary
store, asked for a module's summaries by its importer's analysis, builds it from the text the
scan reads, and the scan of the module's own file takes a copy of it; or the scan builds it first
and the store takes the copy. The editor's store keeps none. The findings are those of contexts
built apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.analyzers.taint import analysis, analyzer, workspace_summarise
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.workspace import SummaryStore
from bastion.parsing import parse_shared

HELPERS = '''import subprocess


class Runner:
    PROGRAM = "ls"

    def run(self, target):
        return subprocess.call(self.PROGRAM + " " + target, shell=True)


def run(target):
    return Runner().run(target)
'''

VIEWS = '''from flask import Flask, request

from app.helpers import run

app = Flask(__name__)


@app.route("/list")
def listing():
    return str(run(request.args["dir"]))
'''


def _scan(root: Path, order: tuple[str, ...], monkeypatch, compute: bool = True
          ) -> tuple[list[str], dict[str, list[tuple[int, str]]]]:
    """The modules whose context was built, in order, and each file's findings, `order` analysed
    in turn as a scan (or the editor, without `compute`) does."""
    package = root / "app"
    package.mkdir(parents=True)
    for name, text in {"__init__.py": "", "helpers.py": HELPERS, "views.py": VIEWS}.items():
        (package / name).write_text(text)
    built: list[str] = []

    def counted(tree, *args, **kwargs):
        built.append("views" if any(type(n).__name__ == "ImportFrom" and n.module == "flask"
                                    for n in tree.body) else "helpers")
        return module_context(tree, *args, **kwargs)
    for owner in (analysis, analyzer, workspace_summarise):
        monkeypatch.setattr(owner, "module_context", counted)
    taint = TaintAnalyzer(incremental=not compute)  # a scan's analyzer, or the editor's
    store = taint.workspace = SummaryStore([str(root)], taint.models, taint.version, compute)
    found = {}
    for name in order:
        path = str(package / name)
        if not compute:
            store.prepare(VIEWS if name == "views.py" else HELPERS, path)
        text = (package / name).read_text()
        # the tree a scan's engine holds, which the store parses its text to (parsing.py)
        found[name] = sorted((f.line, f.rule_id) for f in taint.analyse_file(text, path, parse_shared(text)))
    return built, found


@pytest.mark.parametrize("order", [("views.py", "helpers.py"), ("helpers.py", "views.py")])
def test_a_scan_builds_each_modules_context_once(tmp_path, monkeypatch, order):
    built, found = _scan(tmp_path, order, monkeypatch)
    assert sorted(built) == ["helpers", "views"]
    assert found["helpers.py"] == []
    assert [line for line, _rule in found["views.py"]] == [9]  # 0-based: `return str(run(...))`


def test_the_findings_are_those_of_contexts_built_apart(tmp_path, monkeypatch):
    """The editor's store builds its own (no scan hands it one), with the same results."""
    shared = _scan(tmp_path / "scan", ("views.py", "helpers.py"), monkeypatch)[1]
    built, apart = _scan(tmp_path / "editor", ("helpers.py", "views.py"), monkeypatch, compute=False)
    assert apart == shared
    assert built.count("helpers") == 2
