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


# A decorator factory (`@retry(times=2)`) returns the decorator it defines: one whose closure
# forwards the caller's arguments keeps the flows, one that calls the function on constants
# alone (`pinned_to("main")` ignoring its argument's use) or never calls it hands it none.
FACTORY_TOOLS = '''import subprocess
from functools import wraps


def retry(times=3):
    def decorate(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            attempt = 0
            while True:
                attempt += 1
                try:
                    return func(*args, **kwargs)
                except OSError:
                    if attempt >= times:
                        raise
        return wrapper
    return decorate


def on_default_branch(note=""):
    def decorate(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            return func("main")
        return wrapper
    return decorate


def disabled(reason):
    def decorate(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            return reason
        return wrapper
    return decorate


@retry(times=2)
def fetch(branch):
    subprocess.run("git fetch origin " + branch, shell=True)


@on_default_branch(note="pinned")
def rebuild(branch):
    subprocess.run("make -C /srv/" + branch, shell=True)


@disabled("maintenance")
def banner(title):
    return "<h1>" + title + "</h1>"


@retry()
def shown(title):
    return "<h1>" + title + "</h1>"
'''

FACTORY_VIEWS = '''from flask import Flask, request

from .tools import banner, fetch, rebuild, shown

app = Flask(__name__)


@app.route("/deploy")
def deploy():
    branch = request.args["branch"]
    fetch(branch)  # BST202
    rebuild(branch)
    return banner(branch)


@app.route("/page")
def page():
    return shown(request.args["title"])  # BST203
'''


def test_a_decorator_factory_keeps_the_flows_its_decorator_forwards(tmp_path):
    apps = {"ops/__init__.py": "", "ops/tools.py": FACTORY_TOOLS, "ops/views.py": FACTORY_VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
