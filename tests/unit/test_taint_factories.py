"""Taint analysis: instances a classmethod or staticmethod factory builds from the request
(`Job.from_request(request)`): the fields the factory sets on the instance it returns
(`job = cls(); job.cmd = ...`, or `cls(cmd=...)` through `__init__`) hold what it stored, each
in its own field. Vulnerable cases with their safe twins: the factory stores a constant in the
field the view uses and the request value in another. What any helper returns keeps its slots
apart at the call the same way (summaries._shaped): a dict it builds, keys nested."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
FLASK = "import os\nimport subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n"
SET_ON_INSTANCE = FLASK + """
class Job:
    cmd = "true"
    note = ""

    @classmethod
    def from_request(cls, req):
        job = cls()
        job.cmd = {cmd}
        job.note = {note}
        return job
"""
WITH_INIT = FLASK + """
class Job:
    def __init__(self, cmd, note=""):
        self.cmd = cmd
        self.note = note
"""
THROUGH_INIT = WITH_INIT + """
    @classmethod
    def from_request(cls, req):
        return cls(cmd={cmd}, note={note})
"""
STATIC = WITH_INIT + """
    @staticmethod
    def from_request(req):
        return Job({cmd}, note={note})
"""
VIEW = """
@app.route("/run")
def run():
    job = Job.from_request(request)
    subprocess.run(job.cmd, shell=True)
    return "ok"
"""
# a factory handed the request data itself, not the request
FROM_VALUE = WITH_INIT + """
    @classmethod
    def make(cls, value):
        job = cls("true")
        job.{field} = value
        return job

@app.route("/run")
def run():
    job = Job.make(request.args["c"])
    os.system(job.cmd)
    return "ok"
"""
TAINTED = 'req.args["c"]'


def findings(source: str):
    return ANALYZER.analyse_file(textwrap.dedent(source), "case.py")


def taint_findings(source: str) -> list[tuple[str, str]]:
    return [(f.rule_id, f.confidence.name) for f in findings(source) if f.rule_id.startswith("BST")]


@pytest.mark.parametrize("factory", [SET_ON_INSTANCE, THROUGH_INIT, STATIC],
                         ids=["set-on-instance", "through-init", "staticmethod"])
def test_factory_fields(factory):
    vulnerable = factory.format(cmd=TAINTED, note='"n"') + VIEW
    safe = factory.format(cmd='"ls -l"', note=TAINTED) + VIEW
    assert taint_findings(vulnerable) == [("BST202", "HIGH")]
    assert taint_findings(safe) == []
    # the constant command is known: the pattern finding on `shell=True` is retracted
    assert not any(f.rule_id == "B602" for f in findings(safe))


def test_factory_handed_the_value():
    assert taint_findings(FROM_VALUE.format(field="cmd")) == [("BST202", "HIGH")]
    assert taint_findings(FROM_VALUE.format(field="note")) == []


HELPER_DICT = FLASK + """
def settings(query):
    return {"run": {"cmd": "ls -l", "query": query}}

@app.route("/run")
def run():
    cfg = settings(request.args["q"])
    os.system(cfg["run"][%r])
    return "ok"
"""


def test_nested_keys_of_a_returned_dict():
    assert taint_findings(HELPER_DICT % "query") == [("BST202", "HIGH")]
    assert taint_findings(HELPER_DICT % "cmd") == []


# a method of the instance reads the field the factory set (`Service.from_request(request).ping()`)
METHOD_VIEW = """
    def ping(self):
        return subprocess.run("ping -c1 " + self.cmd, shell=True)

@app.route("/ping")
def ping():
    {call}
    return "ok"
"""


@pytest.mark.parametrize("factory", [SET_ON_INSTANCE, THROUGH_INIT, STATIC],
                         ids=["set-on-instance", "through-init", "staticmethod"])
@pytest.mark.parametrize("call", ["Job.from_request(request).ping()",
                                  "job = Job.from_request(request)\n    job.ping()"])
def test_a_method_reads_the_field_the_factory_set(factory, call):
    vulnerable = factory.format(cmd=TAINTED, note='"n"') + METHOD_VIEW.format(call=call)
    safe = factory.format(cmd='"localhost"', note=TAINTED) + METHOD_VIEW.format(call=call)
    assert taint_findings(vulnerable) == [("BST202", "HIGH")]
    assert taint_findings(safe) == []


# the caller sets the field after building the instance, then calls the method that reads it
SET_AFTER = WITH_INIT + METHOD_VIEW.format(call='job = Job({built})\n    job.cmd = {set}\n    job.ping()')


def test_a_method_reads_the_field_its_caller_set():
    assert taint_findings(SET_AFTER.format(built='"ls"', set='request.args["c"]')) == [("BST202", "HIGH")]
    # the field set again with a constant replaces what the instance was built with
    assert taint_findings(SET_AFTER.format(built='request.args["c"]', set='"ls"')) == []
