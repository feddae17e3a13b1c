from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

# A decorator whose closure forwards `*args, **kwargs` to the function it wraps keeps that
# function's flows, parameter to sink and parameter to return, in its module and from another;
# one whose closure calls the function on constants alone (`pinned`) hands it none of the
# caller's arguments.
DECORATORS = '''import functools
import logging
import time

log = logging.getLogger(__name__)


def timed(func):
    @functools.wraps(func)
    def inner(*args, **kwargs):
        start = time.monotonic()
        try:
            return func(*args, **kwargs)
        finally:
            log.info("%s took %.3f", func.__name__, time.monotonic() - start)
    return inner
'''

TOOLS = '''import subprocess
from functools import wraps

from .decorators import timed


def retried(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        for _ in range(3):
            try:
                return func(*args, **kwargs)
            except OSError:
                pass
        return None
    return wrapper


def pinned(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        return func("main")
    return wrapper


@retried
def fetch(branch):
    subprocess.run("git fetch origin " + branch, shell=True)


@timed
def archive(branch):
    subprocess.run("git archive " + branch, shell=True)


@pinned
def rebuild(branch):
    subprocess.run("make -C /srv/" + branch, shell=True)


@retried
def banner(title):
    return "<h1>" + title + "</h1>"


@pinned
def pinned_banner(title):
    return "<h1>" + title + "</h1>"
'''

VIEWS = '''from flask import Flask, request

from .decorators import timed
from .tools import archive, banner, fetch, pinned_banner, rebuild

app = Flask(__name__)


@timed
def heading(text):
    return "<h2>" + text + "</h2>"


@app.route("/deploy")
def deploy():
    branch = request.args["branch"]
    fetch(branch)  # BST202
    archive(branch)  # BST202
    rebuild(branch)
    return banner(branch)  # BST203


@app.route("/page")
def page():
    return heading(request.args["title"])  # BST203


@app.route("/pinned")
def pinned_page():
    return pinned_banner(request.args["title"])
'''


def test_a_decorator_forwarding_its_arguments_keeps_the_function_s_flows(tmp_path):
    (tmp_path / "ops").mkdir()
    apps = {"ops/__init__.py": "", "ops/decorators.py": DECORATORS, "ops/tools.py": TOOLS,
            "ops/views.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
