"""A sink called through a name bound to it (issue 12): `fn = eval` or `r = os.system` in a view,
`loader = pickle.loads` and `run = os.system` bound once at module level, then `fn(expr)`,
`loader(data)`, `run(cmd)`: each call is the sink's, as `from os import system as run` makes it.
The twins bind a name to a callable no model calls a sink (`len`, `print`), or rebind the
module-level name, and stay silent. In-process and through `bastion check`."""

from tests.unit.taint_marked import assert_checked_apps, assert_marked

VIEWS = '''import os
import pickle

from flask import Flask, request

app = Flask(__name__)
loader = pickle.loads
run = os.system
show = print
later = os.system
later = print


@app.route("/calc")
def calc():
    fn = eval
    fn(request.args["expr"])  # BST206
    size = len
    size(request.args["expr"])
    return "ok"


@app.route("/ping")
def ping():
    shell = os.system
    shell("ping " + request.args["host"])  # BST202
    return "ok"


@app.route("/load")
def load():
    loader(request.get_data())  # BST209
    return "ok"


@app.route("/run")
def run_view():
    run(request.args["cmd"])  # BST202
    show(request.args["cmd"])
    later(request.args["cmd"])
    return "ok"
'''


def test_a_sink_called_through_a_name_bound_to_it_reports():
    assert_marked(VIEWS)


def test_bastion_check_reports_the_aliased_sinks(tmp_path):
    assert_checked_apps({"aliases.py": VIEWS}, tmp_path)
