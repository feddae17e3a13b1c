"""Taint analysis through `bastion check`: ruamel.yaml's `YAML(typ="unsafe")` (also with
`pure=True`, built in the view or at module level) builds any Python object a posted document
names, so its `load` of request data is deserialization of untrusted data; its default
round-trip loader and `typ="safe"` build plain data and stay silent (marked lines:
taint_marked.py). The views return counts: a loaded document returned as a page is another
finding's matter."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
from flask import Flask, request
from ruamel.yaml import YAML

app = Flask(__name__)
UNSAFE = YAML(typ="unsafe", pure=True)
SAFE = YAML(typ="safe")


@app.route("/inline", methods=["POST"])
def inline():
    return {"n": len(YAML(typ="unsafe").load(request.data))}  # BST209


@app.route("/bound", methods=["POST"])
def bound():
    yaml = YAML(typ="unsafe", pure=True)
    return {"n": len(yaml.load_all(request.data))}  # BST209


@app.route("/global", methods=["POST"])
def global_loader():
    return {"n": len(UNSAFE.load(request.data))}  # BST209


@app.route("/safe", methods=["POST"])
def safe():
    return {"n": len(YAML().load(request.data)) + len(YAML(typ="safe").load(request.data))
            + len(SAFE.load(request.data))}
'''


def test_ruamel_unsafe_loader_deserializes(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)
