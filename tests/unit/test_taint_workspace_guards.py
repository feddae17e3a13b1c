"""Guard helpers of another workspace module: `if not is_safe_url(nxt): abort(400)` in a view
whose `is_safe_url` is imported (`from .safety import is_safe_url`, `from . import safety`,
`import safety`) proves what the same function of the view's own module proves (helper_guards.py,
`Summary.proves`), in a scan and in the editor once the store prepared the file. A helper that
returns True whatever it is given, tests something else of the value or only logs it proves
nothing: the sink after it still reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.unit.test_taint_workspace_records import _attached, workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

SAFETY = '''
import logging
import re
from urllib.parse import urlparse

ALLOWED_HOSTS = {"example.com", "www.example.com"}
COMMANDS = frozenset({"status", "version"})
SLUG = re.compile(r"[A-Za-z0-9_-]+")
log = logging.getLogger(__name__)


def is_safe_url(target):
    """Django's and Flask's snippets: the target's host is one of ours."""
    host = urlparse(target).netloc
    return host in ALLOWED_HOSTS


def is_number(value):
    return value.isdigit()


def is_slug(value):
    return SLUG.fullmatch(value) is not None


def is_command(name, strict=True):
    return name in COMMANDS


def always(target):
    return True


def is_short(target):
    return len(target) < 200


def logged(target):
    log.info("redirect to %s", target)
    return True
'''

VIEWS = '''
import subprocess

from flask import Flask, abort, redirect, request

{imports}

app = Flask(__name__)


@app.route("/next")
def go_next():
    nxt = request.args.get("next", "/")
    if not {prefix}is_safe_url(nxt):
        abort(400)
    return redirect(nxt)


@app.route("/positive")
def positive():
    nxt = request.args.get("next", "/")
    if {prefix}is_safe_url(target=nxt):
        return redirect(nxt)
    return redirect(nxt)  # BST210


@app.route("/unchecked")
def unchecked():
    nxt = request.args.get("next", "/")
    return redirect(nxt)  # BST210


@app.route("/run")
def run():
    pid = request.args["pid"]
    if {prefix}is_number(pid):
        subprocess.run(f"kill {{pid}}", shell=True)
    slug = request.args["slug"]
    if not {prefix}is_slug(slug):
        abort(400)
    subprocess.run(f"tool {{slug}}", shell=True)
    cmd = request.args["cmd"]
    if {prefix}is_command(cmd):
        subprocess.run(f"tool {{cmd}}", shell=True)
    subprocess.run(f"tool {{cmd}}", shell=True)  # BST202
    return "ok"


@app.route("/always")
def checked_always():
    nxt = request.args.get("next", "/")
    if not {prefix}always(nxt):
        abort(400)
    return redirect(nxt)  # BST210


@app.route("/short")
def checked_length():
    nxt = request.args.get("next", "/")
    if {prefix}is_short(nxt):
        return redirect(nxt)  # BST210
    return "too long"


@app.route("/logged")
def checked_logged():
    nxt = request.args.get("next", "/")
    if {prefix}logged(nxt):  # BST207
        return redirect(nxt)  # BST210
    return "no"


@app.route("/other")
def checks_another():
    nxt = request.args.get("next", "/")
    home = request.args.get("home", "/")
    if {prefix}is_safe_url(home):
        return redirect(nxt)  # BST210
    return "no"
'''
NAMES = "always, is_command, is_number, is_safe_url, is_short, is_slug, logged"
# (module layout, imports, how the view calls them)
FORMS = {
    "relative": (True, f"from .safety import {NAMES}", ""),
    "relative_module": (True, "from . import safety", "safety."),
    "absolute_package": (True, "import app.safety as checks", "checks."),
    "flat": (False, f"from safety import {NAMES}", ""),
    "flat_module": (False, "import safety", "safety."),
}
# Path containment: the caller normalizes and the helper tests (`commonpath`, `startswith`,
# `is_relative_to`), or the helper resolves the name itself (`realpath`, `resolve()`).
PATH_CHECKS = '''
import os
from pathlib import Path

BASE = "/srv/files"
ROOT = Path("/srv/files")


def is_inside(path):
    return os.path.commonpath([BASE, path]) == BASE


def is_under(path):
    return path.startswith(BASE + os.sep)


def is_relative(path):
    return path.is_relative_to(ROOT)


def resolves_inside(path):
    real = os.path.realpath(path)
    return real.startswith(BASE + os.sep)


def resolved_path_inside(name):
    real = Path(name).resolve()
    return real.is_relative_to(ROOT)


def absolute_inside(path):
    real = os.path.abspath(path)
    return real.startswith(BASE + os.sep)


def is_text(path):
    return path.endswith(".txt")
'''
PATH_VIEWS = '''
import os
from pathlib import Path

from flask import Flask, abort, request

{imports}

app = Flask(__name__)
BASE = "/srv/files"
ROOT = Path("/srv/files")


@app.route("/common")
def common():
    target = os.path.realpath(os.path.join(BASE, request.args["f"]))
    if not {prefix}is_inside(target):
        abort(403)
    return open(target).read()


@app.route("/prefix")
def prefix():
    target = os.path.realpath(os.path.join(BASE, request.args["f"]))
    if {prefix}is_under(target):
        return open(target).read()
    return open(target).read()  # BST201


@app.route("/pathlib")
def pathlib_view():
    target = (ROOT / request.args["f"]).resolve()
    if not {prefix}is_relative(target):
        abort(403)
    return target.read_text()


@app.route("/resolved")
def resolved():
    target = os.path.join(BASE, request.args["f"])
    if not {prefix}resolves_inside(target):
        abort(403)
    with open(target) as handle:
        return handle.read()


@app.route("/resolved-path")
def resolved_path():
    target = ROOT / request.args["f"]
    if {prefix}resolved_path_inside(target):
        return target.read_text()
    return "not found", 404


@app.route("/not-normalized")
def not_normalized():
    name = request.form["name"]
    target = os.path.join(BASE, name)
    if {prefix}is_under(target):
        return open(target).read()  # BST201
    abort(403)


@app.route("/absolute")
def absolute():
    target = os.path.join(BASE, request.args["f"])
    if not {prefix}absolute_inside(target):
        abort(403)
    return open(target).read()  # BST201


@app.route("/suffix")
def suffix():
    target = os.path.realpath(os.path.join(BASE, request.args["f"]))
    if not {prefix}is_text(target):
        abort(403)
    return open(target).read()  # BST201
'''
PATH_NAMES = ("absolute_inside, is_inside, is_relative, is_text, is_under, resolved_path_inside, "
              "resolves_inside")
MARK = re.compile(r"# (BST2\d\d)")


@pytest.fixture(scope="module")
def analyzer():
    return TaintAnalyzer()


def _findings(analyzer, root: Path, modules: dict[str, str], package: bool,
              compute: bool) -> list[tuple[int, str]]:
    """(line, rule) of the taint findings of the last of `modules`, written with the others in
    the package `app` under `root` (or at `root` itself); in the editor (not `compute`) once
    the store prepared it."""
    if package:
        found = workspace_findings(analyzer, root, modules, compute)
    else:
        for name, text in modules.items():
            (root / name).write_text(text)
        with _attached(analyzer, root, compute) as store:
            if not compute:
                store.prepare(text, str(root / name))
            found = analyzer.analyse_file(text, str(root / name))
    return sorted((f.line + 1, f.rule_id) for f in found if f.rule_id.startswith("BST2"))


def _marked(text: str) -> list[tuple[int, str]]:
    return [(number, m.group(1)) for number, line in enumerate(text.splitlines(), 1)
            if (m := MARK.search(line))]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("form", FORMS)
def test_an_imported_guard_proves_what_a_local_one_does(analyzer, tmp_path, form, compute):
    package, imports, prefix = FORMS[form]
    views = VIEWS.format(imports=imports, prefix=prefix)
    found = _findings(analyzer, tmp_path, {"safety.py": SAFETY, "views.py": views}, package, compute)
    assert found == _marked(views)


def test_the_same_helpers_in_the_views_module_agree(analyzer, tmp_path):
    """The reference: the helpers pasted into the view's module (helper_test), same findings."""
    views = VIEWS.format(imports="", prefix="")
    local = SAFETY + views
    found = _findings(analyzer, tmp_path, {"views.py": local}, False, True)
    # `logged`'s log line reports in it, not at the call
    log_line = next(n for n, line in enumerate(local.splitlines(), 1) if "log.info(" in line)
    assert found == sorted([(log_line, "BST207"), *(m for m in _marked(local) if m[1] != "BST207")])


def test_before_the_store_prepared_it_the_editor_reports_the_redirect(analyzer, tmp_path):
    """The editor reads published summaries only: the guard is not known until `prepare`."""
    views = VIEWS.format(imports=f"from safety import {NAMES}", prefix="")
    (tmp_path / "safety.py").write_text(SAFETY)
    (tmp_path / "views.py").write_text(views)
    with _attached(analyzer, tmp_path, False):
        found = analyzer.analyse_file(views, str(tmp_path / "views.py"))
    assert (16, "BST210") in [(f.line + 1, f.rule_id) for f in found]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("form", ["flat", "flat_module"])
def test_an_imported_path_containment_check(analyzer, tmp_path, form, compute):
    package, imports, prefix = FORMS[form]
    views = PATH_VIEWS.format(imports=imports.replace(NAMES, PATH_NAMES).replace("safety", "paths"),
                              prefix=prefix.replace("safety", "paths"))
    found = _findings(analyzer, tmp_path, {"paths.py": PATH_CHECKS, "views.py": views}, package, compute)
    assert found == _marked(views)


def test_the_same_path_checks_in_the_views_module_agree(analyzer, tmp_path):
    local = PATH_CHECKS + PATH_VIEWS.format(imports="", prefix="")
    assert _findings(analyzer, tmp_path, {"views.py": local}, False, True) == _marked(local)
