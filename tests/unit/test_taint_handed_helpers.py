"""A project helper that calls the function it is handed (`def with_retries(func, arg)`, a
retry or hook helper: `return func(arg)`): its summary keeps that it calls its parameter
`func` with its parameter `arg` (held_calls.py), so a caller handing it a function of the
project, `with_retries(read_upload, request.args["name"])`, runs that function's summary on
what it handed, as a callback model's call does (callbacks.py): the path traversal inside
`read_upload` is found at the call. In the same file and through other workspace modules, in a
scan and in the editor's store; a safe twin hands the name through `os.path.basename`."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

WITH_RETRIES = '''def with_retries(func, arg, attempts=3):
    for _ in range(attempts - 1):
        try:
            return func(arg)
        except OSError:
            time.sleep(1)
    return func(arg)
'''

RETRY = '''import time


''' + WITH_RETRIES + '''

def run_hook(hook, *, payload):
    return hook(payload)
'''

FILES = '''import os

UPLOAD_DIR = "/srv/uploads"


def read_upload(name):
    with open(os.path.join(UPLOAD_DIR, name), "rb") as fh:
        return fh.read()


def remove_upload(name):
    os.remove(os.path.join(UPLOAD_DIR, name))
'''

VIEWS = '''import os

from flask import Blueprint, request

from . import files
from .files import read_upload
from .retry import run_hook, with_retries

bp = Blueprint("uploads", __name__)


@bp.route("/upload")
def upload():
    data = with_retries(read_upload, request.args["name"])  # BST201
    safe = with_retries(read_upload, os.path.basename(request.args["name"]))
    return {"size": len(data) + len(safe)}


@bp.route("/delete", methods=["POST"])
def delete():
    run_hook(files.remove_upload, payload=request.form["name"])  # BST201
    run_hook(files.remove_upload, payload=os.path.basename(request.form["name"]))
    return "", 204
'''

SAME_FILE = '''import os
import time

from flask import Flask, request

app = Flask(__name__)


''' + WITH_RETRIES + '''

def read_upload(name):
    with open(os.path.join("/srv/uploads", name), "rb") as fh:  # BST201
        return fh.read()


def read_report(name):
    with open(os.path.join("/srv/reports", name), "rb") as fh:
        return fh.read()


@app.route("/upload")
def upload():
    data = with_retries(read_upload, request.args["name"])
    report = with_retries(read_report, os.path.basename(request.args["name"]))
    return {"size": len(data) + len(report)}
'''


def test_a_function_handed_to_a_helper_of_the_same_file_runs_there():
    assert_marked(SAME_FILE)


def test_a_function_handed_to_a_helper_of_another_module_runs_there(tmp_path):
    apps = {"uploads/__init__.py": "", "uploads/retry.py": RETRY, "uploads/files.py": FILES,
            "uploads/views.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


INLINE = '''import functools

from flask import Flask, request

from .retry import with_retries

app = Flask(__name__)


@app.route("/inline")
def inline():
    with_retries(lambda name: open(name).read(), request.args["name"])  # BST201
    with_retries(functools.partial(open, mode="rb"), request.args["name"])  # BST201
    with_retries(lambda name: len(name), request.args["name"])
    return "ok"
'''


def test_a_lambda_or_a_partial_handed_to_a_helper_of_another_module_runs_there(tmp_path):
    apps = {"uploads/__init__.py": "", "uploads/retry.py": RETRY, "uploads/inline.py": INLINE}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


# What the helper returns is what the function handed returns (held_calls.CalledResult): text
# upper-cased or made markup is the request's still, escaped text is not, and a file read by
# its name is the file, not the name (main: the request's text for all four, an XSS each).
RETURNED = '''import html

import markupsafe
from flask import Flask, request

from .retry import run_hook, with_retries
from .files import read_upload

app = Flask(__name__)


def bold(text):
    return "<b>" + text + "</b>"


@app.route("/upper")
def upper():
    return with_retries(str.upper, request.args["q"])  # BST203


@app.route("/bold")
def bold_view():
    return run_hook(bold, payload=request.args["q"])  # BST203


@app.route("/escaped")
def escaped():
    return with_retries(html.escape, request.args["q"])


@app.route("/markup")
def markup():
    return run_hook(markupsafe.escape, payload=request.args["q"])


@app.route("/file")
def file():
    return with_retries(read_upload, request.args["name"])  # BST201


@app.route("/length")
def length():
    return str(with_retries(len, request.args["q"]))
'''

RETURNED_SAME_FILE = '''import html

from flask import Flask, request

app = Flask(__name__)


def apply(fn, value):
    return fn(value)


@app.route("/upper")
def upper():
    return apply(lambda s: s.strip(), request.args["q"])  # BST203


@app.route("/escaped")
def escaped():
    return apply(html.escape, request.args["q"])


@app.route("/listing")
def listing():
    return "<br>".join([apply(html.escape, q) for q in request.args.getlist("q")])
'''


def test_a_helper_calling_the_function_it_is_handed_returns_what_that_function_returns(tmp_path):
    assert_marked(RETURNED_SAME_FILE)
    apps = {"uploads/__init__.py": "", "uploads/retry.py": RETRY, "uploads/files.py": FILES,
            "uploads/returned.py": RETURNED}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
