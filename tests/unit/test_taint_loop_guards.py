"""Guard helpers written with a loop over a few constants (`for prefix in ALLOWED: if
url.startswith(prefix): return True`, `any(url.startswith(p) for p in ALLOWED)`, a real path
tested against each allowed base folder; a set's loop: test_taint_helper_paths.py), and raising
guard helpers of another module called as statements (`ensure_inside(UPLOADS, name)`,
`validate_url(target)` aborting) before the sink, and a helper proving a URL starts with a
prefix fixing its host (`Proof.host_fixed`): no finding, in the view's module, imported (scan
and editor) and through `bastion check`. The twins stay reported: an allowed prefix that lets
any host through (`"/"`: `//evil.example`), a loop returning True either way, a list the module
changes, a local list of that name, a base test of a path not normalized, a helper that only
warns, a set of prefixes holding "/"."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.test_taint_workspace_guards import FORMS, _findings, _marked

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.helper_paths import MAX_ELEMENTS, helper_paths

ROOT = Path(__file__).resolve().parents[2]
CHECKS = '''
import os
from urllib.parse import urlparse

from flask import abort

ALLOWED_PREFIXES = ("https://example.com/", "/account/")
OPEN_PREFIXES = ["https://example.com/", "/"]
GROWN = ["https://example.com/"]
GROWN.append(os.environ.get("EXTRA_PREFIX", ""))
BASES = ("/srv/public", "/srv/media")
HOSTS = {"example.com", "www.example.com"}
OPEN_SET = {"https://example.com/", "/"}


def starts_ours(url):
    return url.startswith("https://example.com/")


def starts_slash(url):
    return url.startswith("/")


def is_any_url(url):
    return any(url.startswith(p) for p in ALLOWED_PREFIXES)


def is_any_host(url):
    return any(urlparse(url).netloc == host for host in HOSTS)


def is_any_open(url):
    return any(url.startswith(p) for p in OPEN_PREFIXES)


def in_bases(path):
    real = os.path.realpath(path)
    for base in BASES:
        if real.startswith(base + os.sep):
            return True
    return False


def under_bases(path):
    for base in BASES:
        if path.startswith(base + os.sep):
            return True
    return False

'''
# A helper trying each allowed prefix: (name, what it does first, what it loops over, what it
# returns when no prefix matched)
LOOP_HELPER = '''

def {name}(url):
{first}    for prefix in {prefixes}:
        if url.startswith(prefix):
            return True
    return {otherwise}
'''
LOOPS = [("is_safe_url", "", "ALLOWED_PREFIXES", "False"), ("is_open_url", "", "OPEN_PREFIXES", "False"),
         ("is_grown_url", "", "GROWN", "False"),
         ("is_open_set", "", "OPEN_SET", "False"), ("loops_always", "", "ALLOWED_PREFIXES", "True"),
         ("is_shadowed_url", '    ALLOWED_PREFIXES = os.environ.get("PREFIXES", "").split(",")\n',
          "ALLOWED_PREFIXES", "False")]
# Checks called as statements: a file name resolved inside a folder, a URL's host; each stops the
# view (raises, aborts) or only prints
STATEMENT_CHECKS = '''

def {path_check}(base, path):
    full = os.path.realpath(os.path.join(base, path))
    if not full.startswith(base + os.sep):
        {path_stop}
    return full


def {url_check}(target):
    if urlparse(target).netloc not in HOSTS:
        {url_stop}
'''
CHECKS += "".join(LOOP_HELPER.format(name=name, first=first, prefixes=prefixes, otherwise=otherwise)
                  for name, first, prefixes, otherwise in LOOPS) + "".join(
    STATEMENT_CHECKS.format(path_check=path, path_stop=path_stop, url_check=url, url_stop=url_stop)
    for path, path_stop, url, url_stop in [
        ("ensure_inside", 'raise ValueError("outside")', "validate_url", "abort(400)"),
        ("warn_outside", 'print("outside", flush=True)', "log_url", 'print("unknown host", flush=True)')])
NAMES = ("ensure_inside, in_bases, is_any_host, is_any_open, is_any_url, is_grown_url, is_open_set, "
         "is_open_url, is_safe_url, is_shadowed_url, log_url, loops_always, starts_ours, starts_slash, "
         "under_bases, validate_url, warn_outside")
VIEWS = '''
import os

from flask import Flask, abort, redirect, request, send_file

{imports}

app = Flask(__name__)
UPLOADS = "/srv/uploads"
'''
# (helper, the view's body after `value = request.args["v"]`, reported)
GUARDED = "    if not {call}(value):\n        abort(400)\n"
CASES = [
    ("is_safe_url", GUARDED, "redirect(value)", None),
    ("is_open_url", GUARDED, "redirect(value)", "BST210"),
    ("is_grown_url", GUARDED, "redirect(value)", "BST210"),
    ("is_open_set", GUARDED, "redirect(value)", "BST210"),
    ("is_shadowed_url", GUARDED, "redirect(value)", "BST210"),
    ("loops_always", GUARDED, "redirect(value)", "BST210"),
    ("starts_ours", GUARDED, "redirect(value)", None),
    ("starts_slash", GUARDED, "redirect(value)", "BST210"),
    ("is_any_url", GUARDED, "redirect(value)", None),
    ("is_any_host", GUARDED, "redirect(value)", None),
    ("is_any_open", GUARDED, "redirect(value)", "BST210"),
    ("in_bases", GUARDED, "send_file(value)", None),
    ("under_bases", GUARDED, "send_file(value)", "BST201"),
    ("ensure_inside", "    {call}(UPLOADS, value)\n", "send_file(os.path.join(UPLOADS, value))", None),
    ("warn_outside", "    {call}(UPLOADS, value)\n", "send_file(os.path.join(UPLOADS, value))", "BST201"),
    ("validate_url", "    {call}(value)\n", "redirect(value)", None),
    ("log_url", "    {call}(value)\n", "redirect(value)", "BST210"),
    (None, "", "redirect(value)", "BST210"),
    (None, "", "send_file(os.path.join(UPLOADS, value))", "BST201"),
]


def _views(imports: str, prefix: str) -> str:
    return VIEWS.format(imports=imports) + "".join(
        f'\n\n@app.route("/{index}")\ndef view_{index}():\n    value = request.args["v"]\n'
        + (check.format(call=prefix + helper) if helper else "")
        + f"    return {sink}" + (f"  # {reported}\n" if reported else "\n")
        for index, (helper, check, sink, reported) in enumerate(CASES))


@pytest.fixture(scope="module")
def analyzer():
    return TaintAnalyzer()


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("form", ["relative", "relative_module", "flat"])
def test_imported_loop_and_raising_helpers(analyzer, tmp_path, form, compute):
    package, imports, prefix = FORMS[form]
    imports = imports.replace("safety", "checks")
    if not prefix:
        imports = imports.split(" import ")[0] + " import " + NAMES
    views = _views(imports, prefix.replace("safety", "checks"))
    found = _findings(analyzer, tmp_path, {"checks.py": CHECKS, "views.py": views}, package, compute)
    assert found == _marked(views)


def test_the_same_helpers_in_the_views_module_agree(analyzer, tmp_path):
    local = CHECKS + _views("", "")
    assert _findings(analyzer, tmp_path, {"views.py": local}, False, True) == _marked(local)


def test_bastion_check_over_the_workspace(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "checks.py").write_text(CHECKS)
    views = _views(f"from .checks import {NAMES}", "")
    (package / "views.py").write_text(views)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server"), "BASTION_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-m", "bastion", "check", "--no-cache", "--format", "json", "app"],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    results = json.loads(out.stdout)["results"]
    found = sorted((r["line"], r["rule_id"]) for r in results
                   if r["rule_id"].startswith("BST2") and r["path"].endswith("views.py"))
    assert found == _marked(views), out.stderr


def _function(text: str) -> ast.FunctionDef:
    return ast.parse(text).body[0]


def _constants(module: str) -> dict:
    from bastion.analyzers.taint.context import module_context
    from bastion.analyzers.taint.model_files import load_models
    return module_context(ast.parse(module), load_models()).constants


def test_a_loop_runs_its_body_once_per_element():
    constants = _constants('PREFIXES = ("https://a.example/", "/b/")\n')
    paths = helper_paths(_function(
        "def f(url):\n    for p in PREFIXES:\n        if url.startswith(p):\n            return True\n"
        "    return False\n"), constants)
    first, second = "p = 'https://a.example/'", "p = '/b/'"
    tested = "url.startswith(p)"
    assert [([ast.unparse(s) if isinstance(s, ast.AST) else (ast.unparse(s[0]), s[1]) for s in p.steps],
             ast.unparse(p.returned)) for p in paths] == [
        ([first, (tested, True)], "True"),
        ([first, (tested, False), second, (tested, True)], "True"),
        ([first, (tested, False), second, (tested, False)], "False")]


LOOP = ("def f(url):\n    for p in {iterated}:\n        if url.startswith(p):\n            return True\n"
        "    return False\n")


def test_a_loop_over_a_set_tries_each_element_alone():
    """Its order is not known: each path has one element's test hold and no failed one."""
    constants = _constants("HOSTS = {'b.example', 'a.example'}\n")
    paths = helper_paths(_function(
        "def f(host):\n    for h in HOSTS:\n        if host == h:\n            return True\n"
        "    return False\n"), constants)
    assert [([ast.unparse(s) if isinstance(s, ast.AST) else (ast.unparse(s[0]), s[1]) for s in p.steps],
             ast.unparse(p.returned)) for p in paths] == [
        (["h = 'a.example'", ("host == h", True)], "True"),
        (["h = 'b.example'", ("host == h", True)], "True"),
        (["h = 'a.example'", ("host == h", False), "h = 'b.example'", ("host == h", False)], "False")]


@pytest.mark.parametrize("iterated", [
    "NESTED", "EMPTY", "LONG", "MUTATED", "url", "reversed(LISTED)", "sorted(LISTED, key=len)",
])
def test_no_guard_helper_loops_over_anything_else(iterated):
    module = ("SET = {'a', 'b'}\nLISTED = ['a', 'b']\nNESTED = (('a', 'b'),)\nEMPTY = ()\n"
              f"LONG = {tuple(str(n) for n in range(MAX_ELEMENTS + 1))}\n"
              "MUTATED = ['a']\nMUTATED.append('c')\n")
    constants = _constants(module)
    assert helper_paths(_function(LOOP.format(iterated="LISTED")), constants) is not None
    assert helper_paths(_function(LOOP.format(iterated=iterated)), constants) is None


@pytest.mark.parametrize(("iterated", "body"), [
    ("LISTED", "        if url.startswith(p):\n            break\n"),
    ("LISTED", "        if url.startswith(p):\n            continue\n"),
    ("LISTED", "        for q in LISTED:\n            return True\n"),
    # a set's loop: one `if` returning or raising, nothing else
    ("SET", "        q = p\n        if url.startswith(q):\n            return True\n"),
    ("SET", "        if url.startswith(p):\n            return True\n        else:\n            pass\n"),
    ("{'a', 'b'}", "        if url.startswith(p):\n            log(p)\n"),
])
def test_no_guard_helper_loops_with_break_continue_or_another_loop(iterated, body):
    constants = _constants("LISTED = ['a', 'b']\nSET = {'a', 'b'}\n")
    assert helper_paths(_function(f"def f(url):\n    for p in {iterated}:\n{body}    return False\n"),
                        constants) is None


INLINE = '''
from flask import Flask, abort, redirect, request

app = Flask(__name__)
ALLOWED = ("https://example.com/", "/account/")
OPEN = ("https://example.com/", "/")


@app.route("/next")
def go_next():
    nxt = request.args["next"]
    if not {test}:
        abort(400)
    return redirect(nxt)
'''


@pytest.mark.parametrize(("test", "reported"), [
    ("any(nxt.startswith(p) for p in ALLOWED)", False),
    ("not all(not nxt.startswith(p) for p in ALLOWED)", False),
    ("any(nxt.startswith(p) for p in OPEN)", True),
])
def test_any_and_all_over_constants_in_a_view(analyzer, test, reported):
    found = analyzer.analyse_file(INLINE.format(test=test), "views.py")
    assert [f.rule_id for f in found if f.rule_id.startswith("BST2")] == (["BST210"] if reported else [])
