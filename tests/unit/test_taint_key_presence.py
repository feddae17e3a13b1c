"""Taint analysis through `bastion check`: which keys a dict surely holds (key_presence.py). A
key of a dict display keeps its value through `setdefault`, a key no display gave reads
`get`'s default alone, and a `defaultdict` of a constant factory reads that constant for a key
never stored, and one of a container factory (`defaultdict(list)`) an empty list that
`d[k].append(v)` fills in that slot (a display's lists too); a `del`, a store, or paths that
disagree on the keys make presence unknown again (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

APP = '''\
import collections
import os
from collections import defaultdict
from flask import Flask, request

app = Flask(__name__)


@app.route("/setdefault")
def setdefault():
    data = request.args["q"]
    held = {"k": "ls"}
    held.setdefault("k", data)
    os.system(held["k"])
    os.system(held.setdefault("k", data))
    empty = {}
    empty.setdefault("k", data)
    os.system(empty["k"])  # BST202
    empty.setdefault("k", "ls")
    os.system(empty["k"])  # BST202
    gone = {"k": "ls"}
    del gone["k"]
    gone.setdefault("k", data)
    os.system(gone["k"])  # BST202
    maybe = {"k": "ls"} if request.args.get("x") else {}
    maybe.setdefault("k", data)
    os.system(maybe["k"])  # BST202
    return "ok"


@app.route("/get")
def get():
    data = request.args["q"]
    os.system({"a": data}.get("b", "ls"))
    os.system({"a": data}.get("a", "ls"))  # BST202
    os.system({"a": "ls"}.get("a", data))
    stored = {"a": "ls"}
    stored["b"] = data
    os.system(stored.get("b", "ls"))  # BST202
    os.system(stored.get(request.args["k"], "ls"))  # BST202
    return "ok"


@app.route("/defaultdict")
def default():
    data = request.args["q"]
    words = collections.defaultdict(str)
    words["j"] = data
    os.system("ls " + words["k"])
    os.system("ls " + words["j"])  # BST202
    named = defaultdict(lambda: "pwd")
    os.system(named["k"])
    named["k"] = data
    os.system(named["k"])  # BST202
    return "ok"


@app.route("/lists")
def lists():
    data = request.args["q"]
    groups = defaultdict(list)
    groups["user"].append(data)
    groups["admin"].append("root")
    os.system("id " + ",".join(groups["user"]))  # BST202
    os.system("id " + ",".join(groups["admin"]))
    os.system("id " + ",".join(groups["none"]))
    by_key = defaultdict(list)
    by_key[request.args["k"]].append(data)
    os.system("id " + ",".join(by_key["x"]))  # BST202
    fixed = defaultdict(list)
    for name in ("a", "b"):
        fixed[name].append("root")
    os.system("id " + ",".join(fixed["a"]))
    shown = {"a": [], "b": []}
    shown["a"].append(data)
    os.system("id " + " ".join(shown["a"]))  # BST202
    os.system("id " + " ".join(shown["b"]))
    return "ok"
'''


def test_key_presence(tmp_path):
    assert_checked_apps({"app.py": APP}, tmp_path)
