"""Arguments after a constant `--` past the program are operands, not options (issue 12): no
argument injection (BST217) there, while one before it, after a wrapper's own `--` (`sudo --
git ...`) or after a `--` the request gives stays reported. Cases written from the POSIX
utility conventions (guideline 10) and the subprocess, os and pexpect documentation."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

OPERANDS = '''\
import os
import subprocess

import pexpect
from flask import Flask, request

app = Flask(__name__)


@app.route("/1")
def option():
    return subprocess.check_output(["git", "log", request.args["r"]])  # BST217


@app.route("/2")
def operand():
    return subprocess.check_output(["git", "log", "--", request.args["r"]])


@app.route("/3")
def before_the_end_of_options():
    return subprocess.check_output(["git", "log", request.args["r"], "--", "x"])  # BST217


@app.route("/4")
def the_wrappers_end_of_options():
    return subprocess.check_output(["sudo", "--", "git", "log", request.args["r"]])  # BST217


@app.route("/5")
def exec_operand():
    os.execv("/usr/bin/git", ["git", "log", "--", request.args["r"]])


@app.route("/6")
def exec_option():
    os.execv("/usr/bin/git", ["git", "log", request.args["r"]])  # BST217


@app.route("/7")
def spawn_operand():
    return pexpect.spawn("git", ["log", "--", request.args["r"]])


@app.route("/8")
def separator_from_the_request():
    sep = request.args["s"]
    return subprocess.check_output(["git", "log", sep, request.args["r"]])  # BST217
'''


def test_marked_lines_are_the_findings():
    assert_marked(OPERANDS)
