"""Functions made from values and closures (issue 12, detect63's leftovers), each case beside a
safe twin: a name a nested function declares `nonlocal` and rebinds is what the call left it; a
partial's sink is reported where the partial is called (`run()`), not where it is made, also a
partial called at once (`partial(subprocess.run, shell=True)(q)`); `"{}".format(*args)` of a list
of known length prints the elements its fields name; `operator.itemgetter(0)` picks the element
it names. A line that must report ends with its rule."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

NONLOCAL = '''\
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/append")
def append():
    total = ""
    q = request.args["q"]

    def add():
        nonlocal total
        total = total + q
    add()
    os.system(total)  # BST202


@app.route("/count")
def count():
    q = request.args["q"]
    total = "ls"

    def measure():
        nonlocal total
        if q:
            total = "uptime"
    measure()
    os.system(total)
'''

PARTIALS = '''\
import functools
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/bound")
def bound():
    run = functools.partial(os.system, request.args["q"])
    run()  # BST202
    functools.partial(os.system, "uptime")()


@app.route("/shell")
def shell():
    q = request.args["q"]
    functools.partial(subprocess.run, shell=True)(q)  # BST202
    functools.partial(subprocess.run, shell=True)("echo %d" % len(q))


@app.route("/named")
def named():
    q = request.args["q"]
    run = functools.partial(subprocess.run, shell=True)
    run("uptime")
    run(q)  # BST202
'''

SPREAD_AND_PICKED = '''\
import operator
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/echo")
def echo():
    args = ["x", request.args["q"]]
    os.system("echo {}".format(*args))
    os.system("echo {} {}".format(*args))  # BST202
    os.system("echo {1}".format(*args))  # BST202


@app.route("/first")
def first():
    pick = operator.itemgetter(0)
    os.system(pick(["ls", request.args["q"]]))
    os.system(operator.itemgetter(0)(request.args.getlist("x")))  # BST202
    os.system(operator.itemgetter(1)(["ls", request.args["q"]]))  # BST202
'''

APPS = {"nonlocal_names.py": NONLOCAL, "partials.py": PARTIALS, "spread_and_picked.py": SPREAD_AND_PICKED}


def test_function_values_carry_what_they_hold(tmp_path):
    """The analyser reports each app's marked lines alone, and one `bastion check` over them all
    does too, with the rule's CWE."""
    for source in APPS.values():
        assert_marked(source)
    assert_checked_apps(APPS, tmp_path)
