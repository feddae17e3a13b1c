"""A member of an Enum of the module looked up with request data (issue 12): `Color(q)` (by
value) and `Color[q]` (by name) return one of the class's constant members or raise, so their
`.value` / `.name` hold no injection. An Enum with a method (a `_missing_` may accept any value),
a class that is not an Enum and a local name that shadows the class stay reported. Cases written
from the enum module's documentation."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

ENUMS = '''\
import enum
import os

from flask import Flask, request

app = Flask(__name__)


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Open(enum.Enum):
    RED = "red"

    @classmethod
    def _missing_(cls, value):
        return value


class Plain:
    RED = "red"

    def __init__(self, value):
        self.value = value


@app.route("/by-value")
def by_value():
    os.system("paint " + Color(request.args["c"]).value)
    return "ok"


@app.route("/by-name")
def by_name():
    color = Color[request.args["c"]]
    os.system("paint " + color.value + " " + color.name)
    return "ok"


@app.route("/open")
def open_enum():
    os.system("paint " + str(Open(request.args["c"]).value))  # BST202
    return "ok"


@app.route("/plain")
def plain():
    os.system("paint " + Plain(request.args["c"]).value)  # BST202
    return "ok"


@app.route("/shadowed")
def shadowed():
    Color = dict(red=request.args["c"])
    os.system("paint " + Color["red"])  # BST202
    return "ok"
'''


def test_marked_lines_are_the_findings():
    assert_marked(ENUMS)


def test_bastion_check(tmp_path):
    assert_checked_apps({"app.py": ENUMS}, tmp_path)
