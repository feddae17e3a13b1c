"""Taint analysis through `bastion check`: `d.setdefault(k, [])` of a local dict returns the
slot, the default stored in it first, so `groups.setdefault(k, []).append(v)` changes that slot as
`groups[k].append(v)` does: `",".join(groups["user"])` holds the request's values, while a
slot given numbers only, or another slot, does not (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/tags")
def tags():
    groups = {}
    for key in request.args:
        groups.setdefault("user", []).append(request.args[key])
        groups.setdefault("count", []).append(str(len(key)))
    subprocess.check_output("echo " + ",".join(groups["count"]), shell=True)
    return subprocess.check_output("echo " + ",".join(groups["user"]), shell=True)  # BST202


@app.route("/numbers")
def numbers():
    groups = {}
    for key in request.args:
        groups.setdefault("user", []).append(request.args.get(key, 0, type=int))
    return subprocess.check_output("echo " + ",".join(map(str, groups["user"])), shell=True)


@app.route("/by_key")
def by_key():
    groups = {}
    for key, value in request.args.items():
        groups.setdefault(key[:1], set()).add(value)
    return subprocess.check_output("echo " + " ".join(groups.get("a", ())), shell=True)  # BST202


@app.route("/default")
def default():
    options = {"mode": "fast"}
    mode = options.setdefault("mode", request.args.get("mode", ""))
    level = options.setdefault("level", request.args.get("level", ""))
    subprocess.check_output("run --mode " + mode, shell=True)
    return subprocess.check_output("run --level " + level, shell=True)  # BST202
'''


def test_setdefault_returns_the_slot_it_fills(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)
