"""Leftovers of the web and injection sweeps: the Python running the analysed program as an
interpreter (`[sys.executable, "-c", code]`), each vulnerable line marked (taint_marked.py)
beside its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

# `sys.executable` is the interpreter running the program: `-c` runs its next argument as code,
# `-m pip` a module the program names; a script path first makes the rest its arguments.
SYS_EXECUTABLE = '''\
import subprocess
import sys

from flask import Flask, request

SCRIPT = "tools/report.py"
app = Flask(__name__)


@app.route("/run")
def run():
    py = sys.executable
    subprocess.run([py, "-I", "-c", request.args["code"]])  # BST202
    code = request.args["code"]
    subprocess.run([sys.executable, "-c", code])  # BST202
    subprocess.run([sys.executable, "-m", "pip", "--version"])
    subprocess.run([sys.executable, SCRIPT, request.args["code"]])
    subprocess.run([sys.executable, "-c", "print(1)", request.args["code"]])
    return "ok"
'''

APPS = {"sys_executable": SYS_EXECUTABLE}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_marked_lines_are_exactly_those_reported(name):
    assert_marked(APPS[name])
