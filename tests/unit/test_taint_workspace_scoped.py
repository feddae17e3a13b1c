"""Flask's `g` filled in another workspace module: a `before_app_request` hook of auth.py stores
request data in `g.user_cmd`; a view of blog.py, which imports auth.py (for its
`login_required`, as Flask's tutorial app does), reads `g.user_cmd` back as request data. What
the hook stores from a constant or its own call (`g.theme = "dark"`) is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.test_taint_workspace_records import _attached, workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

AUTH = '''
import functools

from flask import Blueprint, g, request

bp = Blueprint("auth", __name__)


@bp.before_app_request
def load_user():
    g.user_cmd = request.args.get("c")
    g.theme = "dark"


def login_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        return view(**kwargs)
    return wrapped
'''
BLOG = '''
import os

from flask import Blueprint, g

from app.auth import login_required

bp = Blueprint("blog", __name__)


@bp.route("/run")
@login_required
def run():
    os.system(g.{field})
    return "ok"
'''


def _taint(root: Path, field: str, compute: bool) -> list:
    return workspace_findings(ANALYZER, root, {"auth.py": AUTH, "blog.py": BLOG.format(field=field)},
                              compute)


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_g_filled_in_an_imported_module(tmp_path, compute):
    found = _taint(tmp_path, "user_cmd", compute)
    assert [f.rule_id for f in found] == ["BST202"]
    assert "auth.py" in found[0].steps[0].message
    assert _taint(tmp_path, "theme", compute) == []


def test_the_language_server_asks_with_the_text(tmp_path):
    """`SummaryStore.external` is given the text, not a tree, by the language server."""
    _taint(tmp_path, "user_cmd", False)
    path = tmp_path / "app" / "blog.py"
    text = path.read_text()
    with _attached(ANALYZER, tmp_path, False) as store:
        store.prepare(text, str(path))
        found = store.external(text, str(path)).scoped
    assert found == {"user_cmd": (str((tmp_path / "app" / "auth.py").resolve()), 10)}
