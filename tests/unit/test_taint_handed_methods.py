"""The request handed to a method of an instance of this module's class (`Reader().command(
request)`), read there through a method of the request (`req.get_json()`, `req.get_data()`):
the request's source of that name, as for a function of another module (handed_requests.py,
the method's result keyed by its name in calls.py). Another argument read through a method is
any of its data, by no model (medium confidence)."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

APP = '''\
import os
from flask import Flask, request

app = Flask(__name__)


class Reader:
    def command(self, req):
        return req.get_json()["cmd"]

    def payload(self, req):
        return req.get_data(as_text=True)

    def default(self, req):
        return "uptime"

    def stripped(self, text):
        return text.strip_all()


@app.route("/run", methods=["POST"])
def run():
    os.system(CALL)
    return "ok"
'''


@pytest.mark.parametrize(("call", "expected"), [
    ("Reader().command(request)", [("BST202", "HIGH")]),
    ("Reader().payload(request)", [("BST202", "HIGH")]),
    ("Reader().default(request)", []),
    ("Reader().stripped(request.form['cmd'])", [("BST202", "MEDIUM")]),
    ("Reader().stripped('ls')", []),
])
def test_a_request_handed_to_a_method_is_read_through_its_methods(call, expected):
    found = ANALYZER.analyse_file(APP.replace("CALL", call), "case.py")
    assert [(f.rule_id, f.confidence.name) for f in found] == expected
