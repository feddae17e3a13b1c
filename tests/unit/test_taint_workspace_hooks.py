"""Flask's `g` filled by a `before_request` hook of a workspace module the view's module does
not import (scoped_hooks.py): the app's package loads both, the hook runs for the view (same
app or blueprint, or every request), and the view reads the attribute the hook filled from the
request. A hook on another blueprint, an attribute it does not fill, a constant it stores and a
hooks module nothing loads are not request data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.modules import ModuleGraph, ModuleResolver, dependency_key
from bastion.analyzers.taint.workspace import SummaryStore

ANALYZER = TaintAnalyzer()

# the app's package imports its hooks and views at the end, as Flask's "larger applications"
# pattern does
APP = '''from flask import Flask

app = Flask(__name__)

from shop import hooks, views  # noqa: E402,F401
'''
HOOKS = '''from flask import g, request

from shop import app


@app.before_request
def remember_folder():
    g.user_dir = request.args.get("d", "")
    g.theme = "dark"
'''
VIEWS = '''import os

from flask import g, send_file

from shop import app


@app.route("/report")
def report():
    return send_file(os.path.join("/srv/reports", g.{field}))
'''
# an application factory: the blueprints are their own module, the hooks module is imported
# inside `create_app`
FACTORY = '''from flask import Flask


def create_app():
    app = Flask(__name__)
    from shop import hooks, views  # noqa: F401
    from shop.blueprints import admin, public
    app.register_blueprint(admin)
    app.register_blueprint(public)
    return app
'''
BLUEPRINTS = '''from flask import Blueprint

admin = Blueprint("admin", __name__)
public = Blueprint("public", __name__)
'''
BP_HOOKS = '''from flask import g, request

from shop.blueprints import admin


@admin.{hook}
def remember_folder():
    g.user_dir = request.args["d"]
'''
BP_VIEWS = '''from flask import g, send_file

from shop.blueprints import {blueprint}


@{blueprint}.get("/report")
def report():
    return send_file(g.user_dir)
'''


def _findings(root: Path, modules: dict[str, str], compute: bool) -> list:
    """The taint findings of shop/views.py, written with `modules` (file name -> text)."""
    package = root / "shop"
    package.mkdir(exist_ok=True)
    for name, text in modules.items():
        (package / name).write_text(text)
    path = str(package / "views.py")
    text = modules["views.py"]
    ANALYZER.workspace = store = SummaryStore([str(root)], ANALYZER.models, ANALYZER.version, compute)
    try:
        if not compute:
            store.prepare(text, path)
        return [(f.rule_id, f.steps[0].message) for f in ANALYZER.analyse_file(text, path)
                if f.rule_id.startswith("BST")]
    finally:
        ANALYZER.workspace = None


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_a_hook_of_a_module_the_app_package_loads(tmp_path, compute):
    modules = {"__init__.py": APP, "hooks.py": HOOKS, "views.py": VIEWS.format(field="user_dir")}
    assert _findings(tmp_path, modules, compute) == [
        ("BST201", "request data stored in `g.user_dir` on hooks.py, line 8")]
    for field in ("theme", "other"):  # a constant; no hook fills it
        assert _findings(tmp_path, {**modules, "views.py": VIEWS.format(field=field)}, compute) == []


def test_a_hooks_module_nothing_loads(tmp_path):
    modules = {"__init__.py": APP.replace("hooks, views", "views"), "hooks.py": HOOKS,
               "views.py": VIEWS.format(field="user_dir")}
    assert _findings(tmp_path, modules, True) == []


def test_the_editor_uses_what_the_background_computed(tmp_path):
    """Before the store prepared the view's module (the background), its analysis goes without."""
    package = tmp_path / "shop"
    package.mkdir()
    for name, text in {"__init__.py": APP, "hooks.py": HOOKS}.items():
        (package / name).write_text(text)
    text = VIEWS.format(field="user_dir")
    (package / "views.py").write_text(text)
    ANALYZER.workspace = store = SummaryStore([str(tmp_path)], ANALYZER.models, ANALYZER.version, False)
    try:
        before = ANALYZER.analyse_file(text, str(package / "views.py"))
        store.prepare(text, str(package / "views.py"))
        after = ANALYZER.analyse_file(text, str(package / "views.py"))
    finally:
        ANALYZER.workspace = None
    assert [f.rule_id for f in before] == [] and [f.rule_id for f in after] == ["BST201"]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize(("hook", "blueprint", "reported"), [
    ("before_request", "admin", True),
    ("before_request", "public", False),  # runs for the admin blueprint's views only
    ("before_app_request", "public", True),  # runs for every request of the app
])
def test_blueprints_in_an_application_factory(tmp_path, compute, hook, blueprint, reported):
    modules = {"__init__.py": FACTORY, "blueprints.py": BLUEPRINTS,
               "hooks.py": BP_HOOKS.format(hook=hook), "views.py": BP_VIEWS.format(blueprint=blueprint)}
    found = _findings(tmp_path, modules, compute)
    assert [rule for rule, _ in found] == (["BST201"] if reported else [])


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_a_hook_on_the_app_runs_for_a_blueprint_view(tmp_path, compute):
    app = APP.replace("from shop import hooks, views", "from shop import blueprints, hooks, views")
    modules = {"__init__.py": app, "blueprints.py": BLUEPRINTS, "hooks.py": HOOKS,
               "views.py": BP_VIEWS.format(blueprint="public")}
    assert [rule for rule, _ in _findings(tmp_path, modules, compute)] == ["BST201"]


def test_the_result_cache_key_covers_the_hooks_module(tmp_path):
    """A scan's cached result of views.py is keyed by the hooks module its package loads."""
    modules = {"__init__.py": FACTORY, "blueprints.py": BLUEPRINTS,
               "hooks.py": BP_HOOKS.format(hook="before_request"),
               "views.py": BP_VIEWS.format(blueprint="admin")}
    _findings(tmp_path, modules, True)
    path = tmp_path / "shop" / "views.py"

    def key() -> str:
        return dependency_key(ModuleGraph(ModuleResolver([str(tmp_path)])), path.read_text(), str(path))

    before = key()
    (tmp_path / "shop" / "hooks.py").write_text(BP_HOOKS.format(hook="before_app_request"))
    assert key() != before


def test_a_hook_added_by_an_edit_is_seen_at_the_next_background_computation(tmp_path):
    """Each module's hooks are kept by its text's digest, also when it has none: the hooks
    module edited (a hook added, then its store made constant) is read again."""
    package = tmp_path / "shop"
    package.mkdir()
    hooks = package / "hooks.py"
    (package / "__init__.py").write_text(APP)
    hooks.write_text("from shop import app\n")
    text = VIEWS.format(field="user_dir")
    (package / "views.py").write_text(text)
    ANALYZER.workspace = store = SummaryStore([str(tmp_path)], ANALYZER.models, ANALYZER.version, False)
    found = []
    try:
        for hooks_text in (HOOKS, HOOKS.replace('request.args.get("d", "")', '"reports"')):
            store.prepare(text, str(package / "views.py"))
            found.append([f.rule_id for f in ANALYZER.analyse_file(text, str(package / "views.py"))])
            hooks.write_text(hooks_text)
            store.changed(str(hooks))
        store.prepare(text, str(package / "views.py"))
        found.append([f.rule_id for f in ANALYZER.analyse_file(text, str(package / "views.py"))])
    finally:
        ANALYZER.workspace = None
    assert found == [[], ["BST201"], []]


def test_the_workspace_folders_changed(tmp_path):
    """The store for the new folders uses what the previous one published for a file until the
    background computes it again."""
    modules = {"__init__.py": APP, "hooks.py": HOOKS, "views.py": VIEWS.format(field="user_dir")}
    _findings(tmp_path, modules, False)
    path = str(tmp_path / "shop" / "views.py")
    previous = SummaryStore([str(tmp_path)], ANALYZER.models, ANALYZER.version, False)
    previous.prepare(modules["views.py"], path)
    store = SummaryStore([str(tmp_path)], ANALYZER.models, ANALYZER.version, False)
    store.carry(previous)
    assert store.external(modules["views.py"], path).scoped == {
        "user_dir": (str((tmp_path / "shop" / "hooks.py").resolve()), 7)}
