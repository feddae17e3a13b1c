"""Taint analysis: a `pathlib.Path` a helper builds from its parameter (`ROOT / name`) and
returns stays a path at the call (summaries.instantiated), and a path method on the result
(`path_of(name).read_text()`) is the path sink it names (expressions.py), in the same file and
from another workspace module. A helper that reduces the name (`secure_filename`), checks
containment before returning, or returns a constant path stays quiet; one that only
resolves it does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.test_taint_workspace_records import workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

NOTES = '''\
from pathlib import Path

from flask import abort
from werkzeug.utils import secure_filename

ROOT = Path("/srv/notes")


def path_of(name):
    return ROOT / name


def resolved_of(name):
    return (ROOT / name).resolve()


def safe_path_of(name):
    return ROOT / secure_filename(name)


def checked_path_of(name):
    p = (ROOT / name).resolve()
    if not p.is_relative_to(ROOT):
        abort(404)
    return p


def default_path(name):
    return ROOT / "index.txt"
'''
VIEW = '''\
from flask import Flask, request

app = Flask(__name__)


@app.route("/n")
def n():
    return {call}(request.args["n"]).{method}()
'''
VULNERABLE = ["path_of", "resolved_of"]  # unchecked
HELPERS = ["safe_path_of", "checked_path_of", "default_path"]
METHODS = ["read_text", "read_bytes"]


def _same_file(call: str, method: str) -> list[str]:
    source = NOTES + VIEW.format(call=call, method=method)
    return sorted(f.rule_id for f in ANALYZER.analyse_file(source, "case.py")
                  if f.rule_id.startswith("BST"))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("helper", VULNERABLE)
def test_a_path_a_helper_returns_is_a_path_sink(helper, method):
    assert _same_file(helper, method) == ["BST201"]


@pytest.mark.parametrize("helper", HELPERS)
def test_a_reduced_checked_or_constant_path_is_quiet(helper):
    assert _same_file(helper, "read_text") == []


def _workspace(root: Path, call: str, compute: bool) -> list[str]:
    view = f"from app.notes import {call}\n" + VIEW.format(call=call, method="read_text")
    found = workspace_findings(ANALYZER, root, {"notes.py": NOTES, "views.py": view}, compute)
    return sorted(f.rule_id for f in found)


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("helper", VULNERABLE)
def test_a_path_another_module_returns_is_a_path_sink(tmp_path, helper, compute):
    assert _workspace(tmp_path, helper, compute) == ["BST201"]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("helper", HELPERS)
def test_another_module_s_reduced_checked_or_constant_path_is_quiet(tmp_path, helper, compute):
    assert _workspace(tmp_path, helper, compute) == []
