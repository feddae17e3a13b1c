"""Workspace summaries of record classes: a dataclass, attrs class, named tuple or pydantic
model defined in another workspace module and built in a view field by field
(`Cmd(cmd=request.args["c"])`) holds each argument in its field, as one of the view's own module
does (classes.record_fields): `os.system(rec.cmd)` reports at high confidence, a field the view
did not fill from the request (`rec.other`) does not report."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

RECORDS = '''
import attrs
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel


@dataclass
class Cmd:
    cmd: str
    other: str = "ls"


@attrs.define
class AttrsCmd:
    cmd: str
    other: str = "ls"


class PairCmd(NamedTuple):
    cmd: str
    other: str = "ls"


class ModelCmd(BaseModel):
    cmd: str
    retries: int = 1
    other: str = "ls"
'''
VIEWS = '''
import os

from flask import Flask, request

from app.records import AttrsCmd, Cmd, ModelCmd, PairCmd

app = Flask(__name__)


@app.route("/a")
def a():
    rec = {build}
    os.system(rec.{field})
    return "ok"
'''
BUILDS = ['Cmd(cmd=request.args["c"])', 'Cmd(request.args["c"])', 'AttrsCmd(request.args["c"])',
          'PairCmd(request.args["c"], "ls")', 'ModelCmd(cmd=request.args["c"], retries=1)']


@pytest.fixture(scope="module")
def analyzer():
    return TaintAnalyzer()


@contextlib.contextmanager
def _attached(analyzer, root: Path, compute: bool):
    analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version, compute)
    try:
        yield analyzer.workspace
    finally:
        analyzer.workspace = None


def workspace_findings(analyzer, root: Path, modules: dict[str, str], compute: bool) -> list:
    """The taint findings of the last of `modules` (file name -> text), written with the others
    as the package `app` under `root`; in the editor (not `compute`) once the store prepared it."""
    package = root / "app"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    for name, text in modules.items():
        path = package / name
        path.write_text(text)
    with _attached(analyzer, root, compute) as store:
        if not compute:
            store.prepare(text, str(path))
        return [f for f in analyzer.analyse_file(text, str(path)) if f.rule_id.startswith("BST")]


def _taint(analyzer, root: Path, views: str, compute: bool) -> list[tuple[str, str]]:
    found = workspace_findings(analyzer, root, {"records.py": RECORDS, "views.py": views}, compute)
    return [(f.rule_id, f.confidence.name) for f in found]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("build", BUILDS)
def test_record_of_another_module(analyzer, tmp_path, build, compute):
    vulnerable = VIEWS.format(build=build, field="cmd")
    safe = VIEWS.format(build=build, field="other")
    assert _taint(analyzer, tmp_path, vulnerable, compute) == [("BST202", "HIGH")]
    assert _taint(analyzer, tmp_path, safe, compute) == []


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_a_validated_field_of_a_model_of_another_module(analyzer, tmp_path, compute):
    """`retries: int`: pydantic made the request's text a number."""
    views = VIEWS.format(build='ModelCmd(cmd="ls", retries=request.args["n"])', field="retries")
    assert _taint(analyzer, tmp_path, views, compute) == []

