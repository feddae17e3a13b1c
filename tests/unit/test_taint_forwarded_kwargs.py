"""`**kwargs` forwarded through project helpers (`def run_logged(**kwargs): return
run(**kwargs)`, and a second wrapper over that one): each keyword a caller names reaches the
parameter of that name alone, however many helpers hand the dict on, so request data given as
`cmd=` is command injection and request data given as `timeout=` is nothing (before, every
keyword of the dict reached every parameter of the innermost function). In the same file and
through another workspace module, in a scan and in the editor's store."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

HELPERS = '''import logging
import subprocess

logger = logging.getLogger(__name__)


def run(cmd, timeout=None):
    return subprocess.run(cmd, shell=True, timeout=timeout, check=True)


def run_logged(**kwargs):
    logger.info("running a command")
    return run(**kwargs)


def run_task(**kwargs):
    return run_logged(**kwargs)
'''

VIEWS = '''from flask import Blueprint, request

from .helpers import run_logged, run_task

bp = Blueprint("tasks", __name__)


@bp.route("/task", methods=["POST"])
def task():
    run_task(cmd=request.form["cmd"])  # BST202
    run_task(cmd="make report", timeout=request.form["timeout"])
    run_logged(cmd=request.form["cmd"], timeout=30)  # BST202
    run_logged(cmd="make clean", timeout=request.form["timeout"])
    return "queued"
'''

SAME_FILE = '''import subprocess

from flask import Flask, request

app = Flask(__name__)


def run(cmd, timeout=None):
    return subprocess.run(cmd, shell=True, timeout=timeout, check=True)  # BST202


def run_quiet(cmd, timeout=None):
    return subprocess.run(cmd, shell=True, timeout=timeout, capture_output=True)


def run_logged(**kwargs):
    return run(**kwargs)


def run_task(**kwargs):
    return run_logged(**kwargs)


def run_quiet_task(**kwargs):
    options = kwargs
    return run_quiet(**options)


@app.route("/task", methods=["POST"])
def task():
    run_task(cmd=request.form["cmd"])
    run_quiet_task(cmd="make report", timeout=request.form["timeout"])
    return "queued"
'''


def test_forwarded_keywords_reach_their_own_parameter_in_the_same_file():
    assert_marked(SAME_FILE)


def test_forwarded_keywords_reach_their_own_parameter_across_modules(tmp_path):
    apps = {"tasks/__init__.py": "", "tasks/helpers.py": HELPERS, "tasks/views.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
