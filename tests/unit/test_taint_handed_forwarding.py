"""A helper that hands its own `*args` and `**kwargs` on to the function it is handed (a retry
or logging wrapper: `def with_retries(func, *args, **kwargs): return func(*args, **kwargs)`):
its summary keeps the call with both spread (held_calls.SPREAD), so a caller handing it
`read_upload` and a name, by position or by keyword, runs `read_upload` on that name (the path
traversal inside it found at the call) and gets back the file; `html.escape` gives escaped
text, `str.upper` the request's. In one file and across modules, in a scan and in the editor's
store; safe twins hand the name through `os.path.basename` or a constant."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

RETRY = '''import logging

log = logging.getLogger(__name__)


def with_retries(func, *args, attempts=3, **kwargs):
    for attempt in range(attempts):
        try:
            return func(*args, **kwargs)
        except OSError:
            log.warning("attempt %d failed", attempt)
    raise RuntimeError("gave up")
'''

FILES = '''import os

UPLOAD_DIR = "/srv/uploads"


def read_upload(name, mode="rb"):
    with open(os.path.join(UPLOAD_DIR, name), mode) as fh:
        return fh.read()


def remove_upload(name):
    os.remove(os.path.join(UPLOAD_DIR, name))
'''

VIEWS = '''import html
import os

from flask import Flask, request

from .files import read_upload, remove_upload
from .retry import with_retries

app = Flask(__name__)


@app.route("/upload")
def upload():
    data = with_retries(read_upload, request.args["name"], "rb")  # BST201
    safe = with_retries(read_upload, os.path.basename(request.args["name"]), "rb")
    return {"size": len(data) + len(safe)}


@app.route("/delete", methods=["POST"])
def delete():
    with_retries(remove_upload, name=request.form["name"])  # BST201
    with_retries(remove_upload, name=os.path.basename(request.form["name"]))
    return "", 204


@app.route("/escaped")
def escaped():
    return with_retries(html.escape, request.args["q"])


@app.route("/upper")
def upper():
    return with_retries(str.upper, request.args["q"])  # BST203


@app.route("/file")
def file():
    return with_retries(read_upload, request.args["name"])  # BST201
'''

SAME_FILE = '''import html

from flask import Flask, request

app = Flask(__name__)


def call_logged(func, *args, **kwargs):
    app.logger.info("calling %s", func.__name__)
    return func(*args, **kwargs)


def open_attachment(name):
    return open(f"/srv/attachments/{name}").read()  # BST201


def open_report(day):
    return open(f"/srv/reports/{day}.csv").read()


@app.route("/attachment")
def attachment():
    body = call_logged(open_attachment, request.args["name"])
    report = call_logged(open_report, day="monday")
    return {"size": len(body) + len(report)}


@app.route("/escaped")
def escaped():
    return call_logged(html.escape, request.args["q"], quote=True)


@app.route("/upper")
def upper():
    return call_logged(str.upper, request.args["q"])  # BST203
'''


def test_a_helper_forwarding_its_packed_arguments_runs_the_function_it_is_handed(tmp_path):
    assert_marked(SAME_FILE)  # and across modules, by position and by keyword:
    modules = {"retry.py": RETRY, "files.py": FILES, "views.py": VIEWS}
    assert_checked_and_stored({"uploads/__init__.py": "", **{f"uploads/{name}": text for name, text in
                                                             modules.items()}}, tmp_path, RULE_CWE)
