"""Guard helpers as people write them (helper_paths.py, helper_guards.py): early returns of
constant booleans before the last test (`if not name: return False`), a test returning True
then False, a check that raises, and negative helpers (`if is_unsafe(url): abort(400)`: what
the result being false proves). In the view's module, and imported from another one (scan and
editor), the same findings (a loop over the allowed hosts too: test_taint_loop_guards.py). The twins stay
reported: a path returning True without a test, a check of another value, a negative test that
proves nothing of the host,
and a helper that tests a parameter it rebound (`value = value[:20]`)."""

from __future__ import annotations

import ast

import pytest
from tests.unit.test_taint_workspace_guards import FORMS, _findings, _marked

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.helper_paths import MAX_STATEMENTS, helper_paths

CHECKS = '''
import os
import re
from urllib.parse import urlparse

from flask import abort

ALLOWED_HOSTS = {"example.com", "www.example.com"}
SLUG = re.compile(r"[a-z0-9-]+")
DEBUG = False


def is_safe_path(base, name):
    if not name:
        return False
    full = os.path.realpath(os.path.join(base, name))
    return full.startswith(base + os.sep)


def user_file_inside(base, user, name):
    full = os.path.realpath(os.path.join(base, user, name))
    return full.startswith(base + os.sep)


def allowed(url):
    parts = urlparse(url)
    if parts.scheme not in ("http", "https"):
        return False
    return parts.netloc in ALLOWED_HOSTS


def known_host(url):
    host = urlparse(url).netloc
    if host in ALLOWED_HOSTS:
        return True
    return False


def is_unsafe(url):
    return urlparse(url).netloc not in ALLOWED_HOSTS


def allowed_in_debug(url):
    if DEBUG:
        return True
    return urlparse(url).netloc in ALLOWED_HOSTS


def allowed_or_debug(url):
    if urlparse(url).netloc in ALLOWED_HOSTS:
        return True
    return DEBUG


def checks_the_other(url, fallback):
    if not url:
        return False
    return urlparse(fallback).netloc in ALLOWED_HOSTS


def allowed_each(url):
    for host in ALLOWED_HOSTS:
        if urlparse(url).netloc == host:
            return True
    return False


def is_unsafe_scheme(url):
    return not url.startswith(("http://", "https://"))


def valid_id(value):
    try:
        int(value)
    except ValueError:
        return False
    return True


def not_a_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return True
    return number < 0


def valid_or_blank(value):
    try:
        int(value)
    except ValueError:
        return not value
    return True


def valid_float(value):
    try:
        float(value)
    except ValueError:
        return False
    return True


def check_host(url):
    """Raises unless the URL's host is ours."""
    if urlparse(url).netloc not in ALLOWED_HOSTS:
        raise ValueError(url)


def check_scheme(url):
    if not url.startswith(("http://", "https://")):
        raise ValueError(url)
    return url


def require_host(url):
    if urlparse(url).netloc not in ALLOWED_HOSTS:
        abort(400)


def warn_host(url):
    if urlparse(url).netloc not in ALLOWED_HOSTS:
        print("unknown host", flush=True)


def is_slug(value):
    return bool(SLUG.fullmatch(value))


def valid_slug(value):
    value = value[:20]
    return SLUG.fullmatch(value) is not None
'''
NAMES = ("allowed, allowed_each, allowed_in_debug, allowed_or_debug, check_host, check_scheme, "
         "checks_the_other, is_safe_path, is_slug, is_unsafe, is_unsafe_scheme, known_host, not_a_number, "
         "require_host, user_file_inside, valid_float, valid_id, valid_or_blank, valid_slug, warn_host")
VIEWS = '''
import os
import re
import subprocess

from flask import Flask, abort, redirect, request

{imports}

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/file")
def read_file():
    name = request.args["f"]
    if not {prefix}is_safe_path(BASE, name):
        abort(404)
    with open(os.path.join(BASE, name)) as handle:
        return handle.read()


@app.route("/user-file")
def user_file():
    user, name = request.args["user"], request.args["f"]
    return open(os.path.join(BASE, name)).read() if {prefix}user_file_inside(  # BST201
        BASE, user, name) else None


@app.route("/doc")
def doc():
    doc_id = request.args["id"]
    if not {prefix}valid_id(doc_id):
        abort(404)
    with open(os.path.join(BASE, doc_id + ".txt")) as handle:
        text = handle.read()
    subprocess.run(f"archive {{doc_id}}", shell=True)  # BST202
    return text


@app.route("/page")
def page():
    number = request.args["page"]
    if {prefix}not_a_number(number):
        abort(400)
    return open(os.path.join(BASE, number)).read()


@app.route("/blank")
def blank():
    number = request.args["page"]
    if {prefix}valid_or_blank(number):
        return open(os.path.join(BASE, number)).read()  # BST201
    abort(400)


@app.route("/float")
def float_page():
    number = request.args["page"]
    if not {prefix}valid_float(number):
        abort(400)
    return open(os.path.join(BASE, number)).read()  # BST201


@app.route("/inline")
def inline():
    number = request.args["page"]
    try:
        int(number)
    except ValueError:
        abort(400)
    return open(os.path.join(BASE, number)).read()


@app.route("/inline-kept")
def inline_kept():
    number = request.args["page"]
    try:
        count = int(number)
    except ValueError:
        count = 0
    with open(os.path.join(BASE, number)) as handle:  # BST201
        return handle.read(count)


@app.route("/checked")
def checked():
    nxt = request.args["next"]
    try:
        {prefix}check_host(nxt)
    except ValueError:
        abort(400)
    return redirect(nxt)


@app.route("/negative-else")
def negative_else():
    nxt = request.args["next"]
    if not {prefix}is_unsafe(nxt):
        return redirect(nxt)
    return redirect(nxt)  # BST210


@app.route("/other")
def other():
    nxt = request.args["next"]
    home = request.args["home"]
    if not {prefix}checks_the_other(nxt, home):
        abort(400)
    return redirect(nxt)  # BST210


@app.route("/slug")
def slug():
    value, other, third = request.args["a"], request.args["b"], request.args["c"]
    if not bool(re.fullmatch(r"[a-z]+", value)):
        abort(404)
    if {prefix}is_slug(other) and {prefix}valid_slug(third):
        subprocess.run(f"tool {{value}} {{other}}", shell=True)
        subprocess.run(f"tool {{third}}", shell=True)  # BST202
    return "ok"
'''
# How a view calls a helper before its redirect
CALLS = {
    "guard": "    if not {call}:\n        abort(400)\n    return redirect(nxt){mark}\n",
    "branch": "    if {call}:\n        return redirect(nxt){mark}\n    abort(400)\n",
    "negative": "    if {call}:\n        abort(400)\n    return redirect(nxt){mark}\n",
    "statement": "    {call}\n    return redirect(nxt){mark}\n",
}
# (helper, how it is called, the redirect reported)
REDIRECTS = [("allowed", "guard", False), ("known_host", "branch", False), ("is_unsafe", "negative", False),
             ("allowed_in_debug", "guard", True), ("allowed_or_debug", "branch", True),
             ("allowed_each", "branch", False), ("is_unsafe_scheme", "negative", True),
             ("require_host", "statement", False), ("warn_host", "statement", True),
             ("check_scheme", "statement", True)]


def _views(imports: str, prefix: str) -> str:
    return VIEWS.format(imports=imports, prefix=prefix) + "".join(
        f'\n\n@app.route("/{index}")\ndef view_{index}():\n    nxt = request.args["next"]\n'
        + CALLS[how].format(call=f"{prefix}{helper}(nxt)", mark="  # BST210" if reported else "")
        for index, (helper, how, reported) in enumerate(REDIRECTS))


@pytest.fixture(scope="module")
def analyzer():
    return TaintAnalyzer()


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("form", FORMS)
def test_an_imported_helper_with_early_returns(analyzer, tmp_path, form, compute):
    package, imports, prefix = FORMS[form]
    imports = imports.replace("safety", "checks")
    if not prefix:  # `from .safety import ...`: the names of this module
        imports = imports.split(" import ")[0] + " import " + NAMES
    views = _views(imports, prefix.replace("safety", "checks"))
    found = _findings(analyzer, tmp_path, {"checks.py": CHECKS, "views.py": views}, package, compute)
    assert found == _marked(views), (found, _marked(views))


def test_the_same_helpers_in_the_views_module_agree(analyzer, tmp_path):
    local = CHECKS + _views("", "")
    assert _findings(analyzer, tmp_path, {"views.py": local}, False, True) == _marked(local)


def _function(text: str) -> ast.FunctionDef:
    return ast.parse(text).body[0]


def _named(name: str) -> ast.FunctionDef:
    return next(n for n in ast.parse(CHECKS).body if isinstance(n, ast.FunctionDef) and n.name == name)


def test_the_paths_of_a_helper():
    paths = helper_paths(_named("is_safe_path"))
    assert [(len(p.steps), ast.unparse(p.returned)) for p in paths] == [
        (1, "False"), (2, "full.startswith(base + os.sep)")]
    valid_id = helper_paths(_named("valid_id"))
    assert [([ast.unparse(s) for s in p.steps], ast.unparse(p.returned)) for p in valid_id] == [
        ([], "False"), (["int(value)"], "True")]
    raising = "def f(x):\n    if not x.isdigit():\n        raise ValueError(x)\n"
    assert [(ast.unparse(p.steps[0][0]), p.steps[0][1]) for p in helper_paths(_function(raising))] \
        == [("not x.isdigit()", False)]
    assert [ast.unparse(p.returned) for p in helper_paths(_function(
        "def f(x):\n    if x:\n        pass\n    else:\n        return 1\n"))] == ["None", "1"]


@pytest.mark.parametrize("text", [
    "def f(x):\n" + "    y = x\n" * MAX_STATEMENTS + "    return y.isdigit()\n",
    "def f(x):\n    for c in x:\n        return False\n    return True\n",
    "def f(x):\n    with log(x):\n        return True\n",
    "async def f(x):\n    return x.isdigit()\n",
    "def f(*x):\n    return True\n",
    "def f(x):\n    try:\n        int(x)\n    except ValueError:\n        pass\n    return True\n",
    "def f(x):\n    try:\n        int(x)\n    finally:\n        log(x)\n    return True\n",
    "def f(x):\n    try:\n        if x:\n            return 1\n    except ValueError:\n        return 0\n",
])
def test_no_guard_helper(text):
    assert helper_paths(_function(text)) is None
