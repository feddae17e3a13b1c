"""Taint analysis through `bastion check`: a shell command with a quoted host and a count
(`f"traceroute -m {hops} {shlex.quote(host)}"`, as the subprocess and shlex documentation
build one) is reported when the count is request text, and silent when the count is converted
to a number first (`int(...)`, Werkzeug's `get(..., type=int)`), the host quoted either way
(marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

APP = '''\
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/trace")
def trace():
    host = request.args["host"]
    hops = request.args["hops"]
    subprocess.run(f"traceroute -m {hops} {shlex.quote(host)}", shell=True)  # BST202
    return "ok"


@app.route("/trace-counted")
def trace_counted():
    host = request.args["host"]
    hops = int(request.args["hops"])
    subprocess.run(f"traceroute -m {hops} {shlex.quote(host)}", shell=True)
    return "ok"


@app.route("/trace-typed")
def trace_typed():
    host = request.args["host"]
    hops = request.args.get("hops", 30, type=int)
    subprocess.run(f"traceroute -m {hops} {shlex.quote(host)}", shell=True)
    return "ok"
'''


def test_a_counted_hop_limit_is_no_injection(tmp_path):
    assert_checked_apps({"trace.py": APP}, tmp_path)
