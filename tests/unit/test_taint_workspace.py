"""Workspace summaries: a view handing request data to a helper of another workspace module
(tests/fixtures/taint_workspace, one package per framework, vulnerable and safe twins).
Every line marked `# expect: BSTnnn` reports exactly that rule; no other line reports one."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore
from bastion.model import Level

APPS = Path(__file__).resolve().parents[1] / "fixtures" / "taint_workspace"
EXPECT = re.compile(r"# expect: (BST2\d\d)")
CASES = [("flask_app", "shop/views.py"), ("django_app", "blog/views.py"),
         ("fastapi_app", "api/main.py"), ("classes_app", "inventory/views.py"),
         ("bases_app", "portal/handlers.py")]


@pytest.fixture(scope="module")
def analyzer():
    return TaintAnalyzer()


@contextlib.contextmanager
def _attached(analyzer, root: Path, compute: bool = True):
    """The analyzer with a store of `root`'s summaries, detached again afterwards."""
    analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version, compute)
    try:
        yield analyzer.workspace
    finally:
        analyzer.workspace = None


def _analyse(analyzer, root: Path, relative: str, compute: bool = True):
    path = root / relative
    with _attached(analyzer, root, compute):
        return analyzer.analyse_file(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(("app", "view"), CASES)
def test_findings_and_silence(analyzer, app, view):
    root = APPS / app
    text = (root / view).read_text(encoding="utf-8")
    expected = {(n, m.group(1)) for n, line in enumerate(text.splitlines())
                for m in EXPECT.finditer(line)}
    found = {(f.line, f.rule_id) for f in _analyse(analyzer, root, view)}
    assert len(expected) >= 2
    assert found - expected == set(), "unexpected findings (expected silence)"
    assert expected - found == set(), "missed findings"


@pytest.mark.parametrize(("app", "view"), CASES)
def test_without_the_workspace_the_helpers_are_unknown(analyzer, app, view):
    """The same files analysed alone: what crosses a module boundary is not seen (the
    findings above come from the summaries, not from the view's own text)."""
    root = APPS / app
    path = root / view
    alone = {(f.line, f.rule_id) for f in analyzer.analyse_file(path.read_text(encoding="utf-8"),
                                                                str(path))}
    with_summaries = {(f.line, f.rule_id) for f in _analyse(analyzer, root, view)}
    assert with_summaries - alone


def test_the_path_ends_at_the_sink_in_the_other_file(analyzer):
    root = APPS / "flask_app"
    findings = _analyse(analyzer, root, "shop/views.py")
    search = next(f for f in findings if f.line == 17)
    assert search.confidence is Level.HIGH
    assert "db.py line 14, through `run_query`" in search.message
    last = search.steps[-1]
    assert last.path == str((root / "shop" / "db.py").resolve())
    assert (last.span.start_line, last.span.start_col) == (13, 4)
    assert last.message == "reaches `cursor.execute`"
    assert [s.path for s in search.steps[:-1]] == [None] * (len(search.steps) - 1)
    # Through a same-file helper of the other module: count_rows -> run_query -> execute.
    count = next(f for f in findings if f.line == 28)
    assert count.steps[-1].path == last.path and count.steps[-1].span.start_line == 13


def test_a_source_returned_by_another_module_names_its_file(analyzer):
    findings = _analyse(analyzer, APPS / "flask_app", "shop/views.py")
    term = next(f for f in findings if f.line == 33)
    assert term.message.startswith("Request data (`request.args`, inputs.py line 7) reaches")
    assert term.steps[0].path.endswith("inputs.py")


def test_an_edited_helper_changes_the_result(analyzer, tmp_path):
    root = tmp_path / "flask_app"
    shutil.copytree(APPS / "flask_app", root)
    before = {f.line for f in _analyse(analyzer, root, "shop/views.py")}
    db = root / "shop" / "db.py"
    db.write_text(db.read_text().replace("cursor.execute(sql)",
                                         "cursor.execute(\"SELECT 1 WHERE ? = 1\", (sql,))"))
    after = {f.line for f in _analyse(analyzer, root, "shop/views.py")}
    assert {17, 28, 33} <= before
    assert not {17, 28, 33} & after
    assert {44, 54} <= after


def test_a_package_named_as_the_root_resolves_its_own_imports(analyzer):
    """`bastion check inventory/`: `inventory.repository` is found from the folder the package
    is in, and only files inside the named package are read."""
    root = APPS / "classes_app"
    as_package = {(f.line, f.rule_id) for f in _analyse(analyzer, root / "inventory", "views.py")}
    assert as_package == {(f.line, f.rule_id) for f in _analyse(analyzer, root, "inventory/views.py")}
    assert len(as_package) == 8


def test_imports_outside_the_roots_are_not_followed(analyzer, tmp_path):
    """Only files under the roots are workspace modules: a root holding only the views sees
    no helper (they are not read, let alone imported)."""
    views = tmp_path / "only"
    views.mkdir()
    shutil.copy(APPS / "flask_app" / "shop" / "views.py", views / "views.py")
    assert not {f.line for f in _analyse(analyzer, views, "views.py")} & {17, 28, 33}


def test_editor_mode_reads_only_what_was_prepared(analyzer):
    root = APPS / "flask_app"
    path = root / "shop" / "views.py"
    text = path.read_text(encoding="utf-8")
    with _attached(analyzer, root, compute=False) as store:
        assert 17 not in {f.line for f in analyzer.analyse_file(text, str(path))}
        assert store.dependency_key(text, str(path)) is None  # never cached without its inputs
        store.prepare(text, str(path))
        fresh = {f.line: f for f in analyzer.analyse_file(text, str(path))}
        assert fresh[17].confidence is Level.HIGH
        store.changed(str(root / "shop" / "db.py"))  # edited, not summarised again yet
        stale = {f.line: f for f in analyzer.analyse_file(text, str(path))}
        assert stale[17].confidence is Level.MEDIUM
        assert stale[17].steps == fresh[17].steps


def _prepared(analyzer, root: Path, relative: str) -> tuple[set, str]:
    """The findings of a file in editor mode once the store prepared it, and its text."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    with _attached(analyzer, root, compute=False) as store:
        store.prepare(text, str(path))
        return {(f.line, f.rule_id) for f in analyzer.analyse_file(text, str(path))}, text


def test_editor_mode_prepares_the_methods_of_imported_classes(analyzer):
    found, _ = _prepared(analyzer, APPS / "classes_app", "inventory/views.py")
    assert found == {(17, "BST204"), (28, "BST204"), (34, "BST204"), (39, "BST217"), (49, "BST204"),
                     (59, "BST202"), (70, "BST213"), (81, "BST201")}


def test_editor_mode_prepares_the_dependencies_a_route_declares(analyzer):
    """`Depends(report_name)` hands FastAPI a function of another module: the store prepares
    it as it prepares the functions the file calls."""
    found, text = _prepared(analyzer, APPS / "fastapi_app", "api/main.py")
    assert found == {(n, m.group(1)) for n, line in enumerate(text.splitlines())
                     for m in EXPECT.finditer(line)}


def test_editor_mode_prepares_the_base_classes_of_another_module(analyzer):
    """A handler deriving from another module's Tornado handler is an entry once the store
    prepared the file; before, the base is unknown and the handlers are plain classes."""
    root = APPS / "bases_app"
    path = root / "portal" / "handlers.py"
    text = path.read_text(encoding="utf-8")
    with _attached(analyzer, root, compute=False) as store:
        before = {(f.line, f.rule_id) for f in analyzer.analyse_file(text, str(path))}
        store.prepare(text, str(path))
        after = {(f.line, f.rule_id) for f in analyzer.analyse_file(text, str(path))}
    assert before == set()
    assert after == {(n, m.group(1)) for n, line in enumerate(text.splitlines())
                     for m in EXPECT.finditer(line)}


def test_a_store_for_new_folders_carries_what_still_holds(analyzer, tmp_path):
    """The editor's folders changed: until the background computes them again, the summaries
    published under the folders that remain are used, as they were; one computed from a file
    of a removed folder (db.py imports `audit` from it) is used as stale."""
    kept, removed = tmp_path / "a", tmp_path / "b"
    shutil.copytree(APPS / "flask_app", kept)
    removed.mkdir()
    (removed / "audit.py").write_text("def note(value):\n    return value\n")
    db = kept / "shop" / "db.py"
    db.write_text("import audit\n" + db.read_text())
    path = kept / "shop" / "views.py"
    text = path.read_text(encoding="utf-8")
    try:
        before = SummaryStore([str(kept), str(removed)], analyzer.models, analyzer.version, False)
        before.prepare(text, str(path))
        analyzer.workspace = SummaryStore([str(kept)], analyzer.models, analyzer.version, False)
        analyzer.workspace.carry(before)
        found = {(f.line, f.rule_id): f.confidence for f in analyzer.analyse_file(text, str(path))}
    finally:
        analyzer.workspace = None
    assert found == {(17, "BST204"): Level.MEDIUM, (28, "BST204"): Level.MEDIUM,
                     (33, "BST204"): Level.MEDIUM, (44, "BST203"): Level.HIGH,
                     (54, "BST201"): Level.HIGH,  # 54 goes through storage.py
                     (64, "BST204"): Level.MEDIUM}


def test_an_import_cycle_gives_the_same_result_in_any_order(analyzer):
    root = APPS / "cycle"
    first, second = root / "loop" / "first.py", root / "loop" / "second.py"
    results = []
    for order in ((first, second), (second, first)):
        with _attached(analyzer, root):
            found = {}
            for path in order:
                found[path.name] = sorted((f.line, f.rule_id, f.confidence)
                                          for f in analyzer.analyse_file(path.read_text(), str(path)))
            results.append(found)
        analyzer.forget()  # the second order is analysed from nothing too
    assert results[0] == results[1]


def test_dependency_key_changes_with_an_imported_module(tmp_path):
    from bastion.analyzers.taint.modules import ModuleGraph, ModuleResolver, dependency_key

    root = tmp_path / "app"
    shutil.copytree(APPS / "flask_app", root)
    views = root / "shop" / "views.py"
    text = views.read_text()
    key = dependency_key(ModuleGraph(ModuleResolver([str(root)])), text, str(views))
    assert key
    (root / "shop" / "markup.py").write_text("def bold(t):\n    return t\n")
    changed = dependency_key(ModuleGraph(ModuleResolver([str(root)])), text, str(views))
    assert changed and changed != key
    plain = "import os\n\nprint(os.sep)\n"
    assert dependency_key(ModuleGraph(ModuleResolver([str(root)])), plain, str(views)) == ""


def _import_chain(root: Path, length: int) -> None:
    """`app.py` hands request data to `m0.f0`, which calls `m1.f1`, ... down to the sink."""
    for i in range(length):
        last = i == length - 1
        head = "import os\n" if last else f"from m{i + 1} import f{i + 1}\n"
        call = "os.system(x)" if last else f"return f{i + 1}(x)"
        (root / f"m{i}.py").write_text(f"{head}def f{i}(x):\n    {call}\n")
    (root / "app.py").write_text("from flask import Flask, request\nfrom m0 import f0\n"
                                 "app = Flask(__name__)\n@app.route('/')\ndef v():\n"
                                 "    f0(request.args['c'])\n")


@pytest.mark.parametrize("compute", [True, False])
def test_a_chain_of_many_imports_is_followed_to_its_sink(analyzer, tmp_path, compute):
    """A hostile repository's import chain longer than Python's recursion allows for summaries
    computed one inside another: the view's file is analysed and the flow found, in the CLI
    (computed on demand) and in the editor (prepared in the background)."""
    _import_chain(tmp_path, 400)
    path = tmp_path / "app.py"
    with _attached(analyzer, tmp_path, compute) as store:
        if not compute:
            store.prepare(path.read_text(), str(path))
        found = analyzer.analyse_file(path.read_text(), str(path))
    assert [(f.rule_id, f.line) for f in found] == [("BST202", 5)]
    assert "m399.py" in found[0].message


def _functions_asked(root: Path) -> list[tuple[str, str]]:
    """(module path, name) of every function another module can call, instances' too."""
    from bastion.analyzers.taint.workspace_names import exported_names
    from bastion.parsing import parse_code

    asked = []
    for path in sorted(root.rglob("*.py")):
        top, instances = exported_names(parse_code(path.read_text(encoding="utf-8")))
        asked += [(str(path), name) for name in sorted(top)]
        asked += [(str(path), f"{i}.{m.partition('.')[2]}") for i, c in sorted(instances.items())
                  for m in sorted(top) if m.startswith(c + ".")]
    return asked


@pytest.mark.parametrize("app", [app for app, _ in CASES] + ["cycle"])
@given(order=st.randoms(use_true_random=False))
@settings(max_examples=examples(8), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_scan_summarises_what_it_is_asked_for_as_the_whole_module_would(analyzer, app, order):
    """A scan's store computes a function's summary with what it calls, when asked; the
    editor's computes modules whole. Asked in any order, each summary is the same."""
    from bastion.analyzers.taint.fingerprints import summary_fingerprint

    root = APPS / app
    asked = _functions_asked(root)
    whole = SummaryStore([str(root)], analyzer.models, analyzer.version, compute=False)
    expected = {}
    for path, name in asked:
        whole.function(path, "")  # the module, whole
        found = whole.function(path, name)
        expected[(path, name)] = found and summary_fingerprint(found)
    assert any(expected.values())
    lazy = SummaryStore([str(root)], analyzer.models, analyzer.version, compute=True)
    shuffled = list(asked)
    order.shuffle(shuffled)
    for path, name in shuffled:
        found = lazy.function(path, name)
        assert (found and summary_fingerprint(found)) == expected[(path, name)], (path, name)


def test_a_module_exports_the_instances_of_its_classes_bound_once():
    """`db = Database()` at the top level is an instance whose methods importers call, unless
    its name is bound anywhere else in the module (it may then hold something else)."""
    from bastion.analyzers.taint.workspace_names import exported_names
    from bastion.parsing import parse_code

    tree = parse_code("class Database:\n    def query(self, q):\n        pass\n"
                      "db = Database()\nother = Database()\ncache = Database()\nplain = 1\n"
                      "def reset():\n    global other\n    other = None\n"
                      "for cache in []:\n    pass\n")
    top, instances = exported_names(tree)
    # `Database()`: an instance built of the class itself, by an importer
    assert top == {"Database.query", "reset"} and instances == {"Database()": "Database", "db": "Database"}
    assert exported_names(parse_code("import os\nx = os.getcwd()\n")) == (set(), {})
