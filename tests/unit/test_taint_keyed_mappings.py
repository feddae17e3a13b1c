"""A dict whose keys are the request's and whose values are constants (issue 12): `{k: "ls" for
k in request.args}` and `dict.fromkeys(request.args, "ls")` hold the request's names as keys
only. A read by a constant key (`flags["x"]`, `flags.get("x", "pwd")`) gets a value, a constant:
silent (both were reported, keys and values in one slot). Iterating the dict, its `keys()`, a
join of it, or a comprehension whose values are the request's, still report."""

from tests.unit.taint_marked import assert_checked_apps, assert_marked

VIEWS = '''import os
from collections import OrderedDict

from flask import Flask, request

app = Flask(__name__)


@app.route("/flags")
def flags_view():
    flags = {name: "ls" for name in request.args}
    os.system(flags.get("x", "pwd"))
    os.system(flags["y"])
    for name in flags:
        os.system(name)  # BST202
    os.system(" ".join(flags.keys()))  # BST202
    return "ok"


@app.route("/defaults")
def defaults_view():
    marks = dict.fromkeys(request.args, "ls")
    os.system(marks["x"])
    ordered = OrderedDict.fromkeys(request.args.getlist("n"))
    os.system(str(ordered.get("n")))
    os.system(",".join(marks))  # BST202
    return "ok"


@app.route("/values")
def values_view():
    copied = {name: value for name, value in request.args.items()}
    os.system(copied["x"])  # BST202
    named = {"cmd": name for name in request.args}
    os.system(named["cmd"])  # BST202
    return "ok"
'''


def test_a_constant_key_of_a_dict_keyed_by_the_request_reads_its_values():
    assert_marked(VIEWS)


def test_bastion_check_reads_the_keys_apart(tmp_path):
    assert_checked_apps({"keyed.py": VIEWS}, tmp_path)
