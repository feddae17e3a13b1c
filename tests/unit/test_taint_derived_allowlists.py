"""Taint analysis through `bastion check`: an allow-list derived at module level from the
module's own tables (`{value for value, label in STATUS_CHOICES}`, `{c.name for c in CHOICES}`
of Enum members, `PROGRAMS.keys()`, `frozenset(PROGRAMS)`) proves a value tested against it one of
the program's, as a literal set does; a test that it is not in the list proves nothing, nor does
a list derived from request data (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
import subprocess
from enum import Enum

from flask import Flask, abort, request

app = Flask(__name__)


class Color(Enum):
    RED = "red"
    BLUE = "blue"


CHOICES = [Color.RED, Color.BLUE]
BY_NAME = {c.name for c in CHOICES}
STATUS_CHOICES = [("draft", "Draft"), ("published", "Published")]
STATUSES = {value for value, label in STATUS_CHOICES}
LOWERED = frozenset(c[0].upper() for c in STATUS_CHOICES)
PROGRAMS = {"ls": "/bin/ls", "df": "/bin/df"}
KEYS = PROGRAMS.keys()
NAMES = frozenset(PROGRAMS)


@app.route("/color")
def color():
    q = request.args.get("q", "")
    if q not in BY_NAME:
        abort(400)
    return subprocess.check_output("echo " + q, shell=True)


@app.route("/status")
def status():
    q = request.args.get("q", "")
    if q not in STATUSES or q not in LOWERED:
        abort(400)
    return subprocess.check_output("echo " + q, shell=True)


@app.route("/program")
def program():
    q = request.args.get("q", "")
    if q not in KEYS:
        abort(400)
    subprocess.check_output("echo " + q, shell=True)
    if q in NAMES:
        return subprocess.check_output("which " + q, shell=True)
    return ""


@app.route("/inverted")
def inverted():
    q = request.args.get("q", "")
    if q in STATUSES:
        abort(400)
    return subprocess.check_output("echo " + q, shell=True)  # BST202


@app.route("/requested")
def requested():
    allowed = {v.lower() for v in request.args.getlist("allowed")}
    q = request.args.get("q", "")
    if q not in allowed:
        abort(400)
    return subprocess.check_output("echo " + q, shell=True)  # BST202
'''


def test_derived_allowlists_prove_program_values(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)
