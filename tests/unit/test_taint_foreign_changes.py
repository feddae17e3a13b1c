"""A module constant another module of the scan changes in place is no constant (issue 12):
`checks.py` guards with its list `ALLOWED` (`url in ALLOWED`, and a guard helper looping over
it), and another module appends to it, through the name or the module, by `+=`, an item, a
re-export, a star import, or hands it to a call. In `bastion check` (the store computes) neither
guard holds then; the safe twins only read it, or bind their own name. The editor, which reads
a module without the others, keeps reading the list as fixed."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

from pathlib import Path

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

CHECKS = '''from flask import Flask, redirect, request

app = Flask(__name__)
ALLOWED = ["https://example.com/", "https://www.example.com/"]


def is_safe(url):
    for prefix in ALLOWED:
        if url.startswith(prefix):
            return True
    return False


@app.get("/here")
def here():
    url = request.args["u"]
    if url in ALLOWED:
        return redirect(url)
    return "no", 400
'''
VIEWS = '''from flask import Flask, redirect, request

from .checks import is_safe

app = Flask(__name__)


@app.get("/next")
def next_page():
    url = request.args["next"]
    if not is_safe(url):
        return "no", 400
    return redirect(url)
'''
# admin.py, changing checks.ALLOWED; with a re-export ("app" imported), __init__.py has REEXPORT
CHANGED = {
    "append": "from .checks import ALLOWED\n\n\ndef trust(prefix):\n    ALLOWED.append(prefix)\n",
    "module": "from . import checks\n\n\ndef trust(prefix):\n    checks.ALLOWED.extend([prefix])\n",
    "dotted": "import app.checks\n\napp.checks.ALLOWED[0] = 'http://'\n",
    "augmented": "import os\nfrom .checks import ALLOWED as PREFIXES\n\nPREFIXES += [os.environ['EXTRA']]\n",
    "rebound": "from . import checks as c\n\nc.ALLOWED = ['http://']\n",
    "handed": "from .checks import ALLOWED, is_safe\n\nload_more(ALLOWED)\n",
    "star": "from .checks import *\n\n\ndef trust(prefix):\n    ALLOWED.insert(0, prefix)\n",
    "reexport": "from app import ALLOWED\n\n\ndef trust(prefix):\n    ALLOWED.append(prefix)\n",
}
# ... only reading it, or binding names of its own
READ = {
    "reads": "from .checks import ALLOWED, is_safe\n\n\ndef listed(p):\n    return p in ALLOWED and len(ALLOWED) > 1\n",
    "module_reads": "from . import checks\n\nfor prefix in checks.ALLOWED:\n    print(prefix.upper())\n",
    "rebinds": "from .checks import ALLOWED\n\nALLOWED = ['http://']\nprint(ALLOWED[0])\n",
    "other_module": "from . import views\n\nALLOWED = []\nALLOWED.append('http://')\nviews.ALLOWED = []\n",
    "reexport_read": "from app import ALLOWED\n\nprint(sorted(ALLOWED))\n",
}
REEXPORT = "from .checks import ALLOWED\n"


def findings(root: Path, admin: str, compute: bool) -> dict[str, list[int]]:
    """The lines of the open-redirect findings of checks.py and views.py, in package `app`
    under `root` with admin.py besides."""
    package = root / "app"
    package.mkdir()
    init = REEXPORT if "from app import" in admin else ""
    for name, text in {"__init__.py": init, "checks.py": CHECKS, "views.py": VIEWS, "admin.py": admin}.items():
        (package / name).write_text(text)
    analyzer = TaintAnalyzer()
    store = analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version, compute)
    found = {}
    for name in ("checks.py", "views.py"):
        path, text = str(package / name), (package / name).read_text()
        if not compute:
            store.prepare(text, path)
        found[name] = [f.line for f in analyzer.analyse_file(text, path) if f.rule_id == "BST210"]
    return found


@pytest.mark.parametrize("form", CHANGED)
def test_a_list_another_module_changes_guards_nothing_in_a_scan(tmp_path, form):
    assert findings(tmp_path, CHANGED[form], compute=True) == {"checks.py": [17], "views.py": [12]}


@pytest.mark.parametrize("form", READ)
def test_a_list_other_modules_only_read_still_guards(tmp_path, form):
    assert findings(tmp_path, READ[form], compute=True) == {"checks.py": [], "views.py": []}


@pytest.mark.parametrize("form", ["append", "module", "reexport"])
def test_the_editor_reads_the_module_alone(tmp_path, form):
    assert findings(tmp_path, CHANGED[form], compute=False) == {"checks.py": [], "views.py": []}


def test_the_scan_cache_key_names_the_change(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    for name, text in {"__init__.py": "", "checks.py": CHECKS, "admin.py": "print(1)\n"}.items():
        (package / name).write_text(text)
    analyzer = TaintAnalyzer()

    def key() -> str | None:
        analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, True)
        return analyzer.dependency_key(CHECKS, str(package / "checks.py"))
    before = key()
    (package / "admin.py").write_text(CHANGED["append"])
    assert key() != before


def test_a_warm_scans_key_joins_the_change_as_the_analyzer_does(tmp_path):
    """scan_key.py tells the key without the analyzer: the same, the change included."""
    from bastion.analyzers.taint.scan_key import ScanKeys

    package = tmp_path / "app"
    package.mkdir()
    for name, text in {"__init__.py": "", "checks.py": CHECKS, "admin.py": CHANGED["module"]}.items():
        (package / name).write_text(text)
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, True)
    path = str(package / "checks.py")
    told = ScanKeys((str(tmp_path),)).key(CHECKS, path)
    assert told == analyzer.dependency_key(CHECKS, path)
    (package / "admin.py").write_text(READ["module_reads"])
    assert ScanKeys((str(tmp_path),)).key(CHECKS, path) != told


HOSTILE = r'''
import os, sys, threading, time
from bastion.analyzers.taint.modules import ModuleGraph, ModuleResolver
from bastion.analyzers.taint.foreign_changes import ForeignChanges
root = sys.argv[1]
os.makedirs(os.path.join(root, "app"))
open(os.path.join(root, "app", "__init__.py"), "w").write("")
open(os.path.join(root, "app", "checks.py"), "w").write("ALLOWED = [" + " = [" * 50000 + "\n")
open(os.path.join(root, "app", "admin.py"), "w").write(
    "from . import checks\nfrom .checks import (ALLOWED" + " " * 100000 + "as)\n"
    + "checks" + " " * 100000 + ".\n" + "ALLOWED" + " " * 100000 + "+\n")
started = time.process_time()
ForeignChanges(ModuleGraph(ModuleResolver([root])), threading.RLock(), True).changed(
    os.path.join(root, "app", "checks.py"))
print(time.process_time() - started)
'''


def test_hostile_texts_are_read_in_linear_time(tmp_path):
    import subprocess
    import sys

    server = str(Path(__file__).resolve().parents[2] / "server")
    done = subprocess.run([sys.executable, "-c", HOSTILE, str(tmp_path / "w")], capture_output=True,
                          text=True, timeout=30, check=True, env={"PYTHONPATH": server})
    assert float(done.stdout) < 1.0


@pytest.mark.parametrize(("cap", "found"), [(3, {"checks.py": [17], "views.py": [12]}),
                                            (4, {"checks.py": [], "views.py": []})])
def test_past_the_file_cap_a_list_guards_nothing_and_the_log_says_so_once(tmp_path, monkeypatch, caplog,
                                                                          cap, found):
    """Four files (app/__init__, checks, views, admin only reading): past a cap of three, the
    fourth is not read and may change ALLOWED."""
    from bastion.analyzers.taint import foreign_changes

    monkeypatch.setattr(foreign_changes, "MAX_FILES", cap)
    monkeypatch.setattr(foreign_changes, "_TOLD", set(), raising=False)
    with caplog.at_level("WARNING", logger=foreign_changes.__name__):
        assert findings(tmp_path, READ["reads"], compute=True) == found
    told = [r for r in caplog.records if "Python files under the scan's roots" in r.getMessage()]
    assert len(told) == (1 if found["views.py"] else 0)


MODE = '''from flask import Flask, redirect, request

app = Flask(__name__)
MODE = "strict"


@app.get("/next")
def next_page():
    url = request.args["next"]
    if MODE == "strict":
        return redirect("/")
    return redirect(url)
'''
# admin.py binding checks.MODE: the branch `MODE == "strict"` prunes is live again
REBOUND = [
    "from . import checks\n\nchecks.MODE = 'open'\n",
    "from flask import request\nfrom . import checks as c\n\n\ndef switch():\n    c.MODE = request.args['m']\n",
    "import app.checks\n\n\ndef open_up():\n    app.checks.MODE += '-open'\n",
    "from . import checks\n\nsetattr(checks, \"MODE\", 'open')\n",
    "import os\nfrom . import checks\n\nsetattr(checks, os.environ['KEY'], 'open')\n",
    "from unittest import mock\nfrom app import checks\n\nmock.patch.object(checks, 'MODE', 'open').start()\n",
    "from . import checks\n\nvars(checks).update(MODE='open')\n",
]
# ... reading it, comparing it, binding a name of its own or another of checks' names
NOT_REBOUND = [
    "from . import checks\n\nprint(checks.MODE == 'strict', checks.MODE.upper())\n",
    "from .checks import MODE\n\nMODE = 'open'\nprint(MODE)\n",
    "from . import checks\n\nsetattr(checks, 'OTHER', 'open')\nchecks.LEVEL = 2\n",
    "from . import views\n\nviews.MODE = 'open'\n",
]


# MODE bound in a module-level block: a constant all the same
GUARDED_MODE = MODE.replace('MODE = "strict"\n', 'try:\n    MODE = "strict"\nexcept ImportError:\n    pass\n')


def mode_findings(root: Path, admin: str, checks: str = MODE) -> list[int]:
    package = root / "app"
    package.mkdir()
    for name, text in {"__init__.py": "", "checks.py": checks, "views.py": "MODE = 1\n", "admin.py": admin}.items():
        (package / name).write_text(text)
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version, True)
    return [f.line for f in analyzer.analyse_file(checks, str(package / "checks.py")) if f.rule_id == "BST210"]


@pytest.mark.parametrize("admin", REBOUND)
def test_a_string_another_module_rebinds_is_no_constant_in_a_scan(tmp_path, admin):
    assert mode_findings(tmp_path, admin) == [11]


@pytest.mark.parametrize(("admin", "found"), [(REBOUND[0], [14]), (REBOUND[4], [14]), (NOT_REBOUND[0], [])])
def test_a_string_bound_in_a_module_level_block_is_read_as_well(tmp_path, admin, found):
    assert mode_findings(tmp_path, admin, GUARDED_MODE) == found


@pytest.mark.parametrize("admin", NOT_REBOUND)
def test_a_string_other_modules_do_not_rebind_stays_constant(tmp_path, admin):
    assert mode_findings(tmp_path, admin) == []


def test_the_scan_cache_key_names_the_rebinding(tmp_path):
    mode_findings(tmp_path, NOT_REBOUND[0])
    package = tmp_path / "app"

    def key() -> str | None:
        analyzer = TaintAnalyzer()
        analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, True)
        return analyzer.dependency_key(MODE, str(package / "checks.py"))
    before = key()
    (package / "admin.py").write_text(REBOUND[0])
    assert key() != before


REBINDING_HOSTILE = r'''
import sys, time
from bastion.analyzers.taint.foreign_changes import _BOUND, Imports, _calls_at, _rebound_through
space = " " * 100000
text = ("app" + space + "." + space + "checks" + space + "." + space + "MODE" + space + "\n"
        + "setattr(" + space + "app" + space + "." + space + "checks" + space + "\n"
        + "vars(" + space + "app . checks" + space + "\n" + ("app.checks " * 20000) + "\n"
        + "A" * 100000 + space + "\n")
started = time.process_time()
_rebound_through("app.checks", text, Imports([], {}, {}, [], *_calls_at(text)), frozenset({"MODE"}))
_BOUND.findall(text)
print(time.process_time() - started)
'''


@pytest.mark.slow
def test_hostile_texts_are_read_for_rebindings_in_linear_time():
    import subprocess
    import sys

    server = str(Path(__file__).resolve().parents[2] / "server")
    done = subprocess.run([sys.executable, "-c", REBINDING_HOSTILE], capture_output=True,
                          text=True, timeout=30, check=True, env={"PYTHONPATH": server})
    assert float(done.stdout) < 1.0
