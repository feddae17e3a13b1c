"""A project helper that runs the argument vector it is handed without a shell
(`def run_command(argv): return subprocess.run(argv, check=True)`, the subprocess documentation's
`args` as "a sequence of program arguments", the program first): its summary says that the
parameter is a whole vector, so the caller's list is judged as it would be in place. A constant
program with request data among its arguments is argument injection (BST217), request data as
the program command injection (BST202), request data after `--` nothing; a string (or an unknown
vector) handed on stays the program as before. In the same file and through another workspace
module, in a scan and in the editor's store."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

HELPER = '''import subprocess


def run_command(argv):
    return subprocess.run(argv, check=True, capture_output=True)


def run_in(folder, argv):
    return run_command(argv) if folder else None
'''

VIEWS = '''from flask import Blueprint, request

from .util.shell import run_command, run_in

bp = Blueprint("repo", __name__)


@bp.route("/log")
def log():
    run_command(["git", "log", "--oneline", request.args["rev"]])  # BST217
    run_command(["git", "log", "--oneline", "--", request.args["path"]])
    run_command(["git", "log", "--oneline", "-n", "5"])
    run_in("/srv/repo", ["git", "show", request.args["rev"]])  # BST217
    return "ok"


@bp.route("/tool")
def tool():
    run_command([request.args["tool"], "--version"])  # BST202
    run_command(request.args["command"])  # BST202
    run_in("/srv/repo", [request.args["tool"], "--help"])  # BST202
    return "ok"
'''


# In one file a finding is at the helper's sink (hit_findings.py): one helper a caller hands
# git's arguments, one a program, one arguments past `--` only.
SAME_FILE = '''import subprocess

from flask import Flask, request

app = Flask(__name__)


def git(argv):
    return subprocess.run(argv, check=True, capture_output=True)  # BST217


def tool(argv):
    return subprocess.run(argv, check=True)  # BST202


def git_paths(argv):
    return subprocess.run(argv, check=True, capture_output=True)


def in_repo(folder, argv):
    return git(argv) if folder else None


@app.route("/log")
def log():
    git(["git", "log", "--oneline", request.args["rev"]])
    in_repo("/srv/repo", ["git", "show", request.args["rev"]])
    tool([request.args["tool"], "--version"])
    git_paths(["git", "log", "--oneline", "--", request.args["path"]])
    git_paths(["git", "log", "-n", "5"])
    return "ok"
'''


def test_a_helpers_vector_is_judged_at_the_call_in_the_same_file():
    assert_marked(SAME_FILE)


@pytest.mark.parametrize("imported", ["names", "module"])
def test_a_helpers_vector_is_judged_at_the_call_across_modules(tmp_path, imported):
    views = VIEWS
    if imported == "module":  # `from .util import shell as sh`, then `sh.run_command(...)`
        views = VIEWS.replace("from .util.shell import run_command, run_in", "from .util import shell as sh")
        views = views.replace("run_command(", "sh.run_command(").replace("run_in(", "sh.run_in(")
    apps = {"repo/__init__.py": "", "repo/util/__init__.py": "", "repo/util/shell.py": HELPER,
            "repo/views.py": views}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
