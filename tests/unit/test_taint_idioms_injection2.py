"""A second sweep of the injection idioms (SQL, command, code, XPath, LDAP, deserialization,
XXE, log, template) as library documentation and real apps write them, each vulnerable line
marked (taint_marked.py) beside its safe twin: the cases the first idiom tests missed or
reported wrongly."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked, editor_found, marked_and_found

# jsonpickle's `loads` and cloudpickle's `load` / `loads` are their `decode` / pickle's own;
# `full_load` is `load(..., Loader=FullLoader)`, which builds the Python objects a tag names.
DESERIALIZE = '''\
import cloudpickle
import jsonpickle
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/state", methods=["POST"])
def state():
    obj = jsonpickle.loads(request.get_data(as_text=True))  # BST209
    plain = jsonpickle.loads("{}")
    fn = cloudpickle.loads(request.data)  # BST209
    cfg = yaml.full_load(request.stream)  # BST209
    docs = list(yaml.full_load_all(request.stream))  # BST209
    safe = yaml.safe_load(request.stream)
    also_safe = yaml.load(request.stream, Loader=yaml.SafeLoader)
    return "ok"
'''

APPS = {"deserialize.py": DESERIALIZE}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_analyzer_and_the_editor_report_exactly_the_marked_lines(name):
    assert_marked(APPS[name])
    assert editor_found(APPS[name], name) == marked_and_found(APPS[name])[0]
