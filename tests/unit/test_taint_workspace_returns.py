"""What a function of another workspace module returns keeps its slots apart at the call, as a
same-file function's does (summaries._shaped): the fields of the instance a classmethod factory
of jobs.py builds (`Job.make(request.args["q"])`), the nested keys of a dict a helper builds.
The request object handed to such a function (`Job.from_request(request)`, `get_cmd(request)`)
is read there as in the view, through its attributes and its methods (`req.get_json()`,
handed_requests.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.test_taint_workspace_records import _attached, workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
JOBS = '''
from flask import request


def query():
    return {"run": {"cmd": "ls -l", "query": request.args.get("q")}}


def settings(q):
    return {"run": {"cmd": "ls -l", "query": q}}


class Job:
    def __init__(self, cmd, note=""):
        self.cmd = cmd
        self.note = note

    @classmethod
    def make(cls, value):
        return cls("true", note=value)

    @classmethod
    def make_cmd(cls, value):
        return cls(value)

    @classmethod
    def from_request(cls, req):
        return cls(req.args["c"])

    @classmethod
    def safe_from_request(cls, req):
        return cls("ls", note=req.args["c"])


def get_cmd(req):
    return req.args["c"]


def get_method(req):
    return req.method


def get_json_cmd(req):
    return req.get_json()["c"]


def get_data_cmd(req):
    return req.get_data(as_text=True)


def get_default(req):
    return "ls"


class Task:
    def __init__(self, cmd):
        self.cmd = cmd

    @classmethod
    def from_json(cls, req):
        return cls(req.get_json(silent=True)["c"])
'''
VIEWS = '''
import os

from flask import Flask, request

from app.jobs import (
    Job,
    Task,
    get_cmd,
    get_data_cmd,
    get_default,
    get_json_cmd,
    get_method,
    query,
    settings,
)

app = Flask(__name__)


@app.route("/run")
def run():
    {body}
    return "ok"
'''
# (vulnerable, safe twin)
PAIRS = [
    ('os.system(settings(request.args["q"])["run"]["query"])',
     'os.system(settings(request.args["q"])["run"]["cmd"])'),
    ('os.system(Job.make_cmd(request.args["q"]).cmd)', 'os.system(Job.make(request.args["q"]).cmd)'),
    # a source another module returns in a slot, with no tainted argument
    ('os.system(query()["run"]["query"])', 'os.system(query()["run"]["cmd"])'),
    # the request handed to a function of another module
    ('os.system(Job.from_request(request).cmd)', 'os.system(Job.safe_from_request(request).cmd)'),
    ('os.system(get_cmd(request))', 'os.system(get_method(request))'),
    # read there through a method of the request
    ('os.system(get_json_cmd(request))', 'os.system(get_default(request))'),
    ('os.system(get_data_cmd(request))', 'os.system(get_default(request))'),
    ('os.system(Task.from_json(request).cmd)', 'os.system(Job.safe_from_request(request).cmd)'),
]


def _taint(root: Path, body: str, compute: bool) -> list[tuple[str, str]]:
    found = workspace_findings(ANALYZER, root, {"jobs.py": JOBS, "views.py": VIEWS.format(body=body)},
                               compute)
    return [(f.rule_id, f.confidence.name) for f in found]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize(("vulnerable", "safe"), PAIRS)
def test_slots_of_another_module_s_return(tmp_path, vulnerable, safe, compute):
    assert _taint(tmp_path, vulnerable, compute) == [("BST202", "HIGH")]
    assert _taint(tmp_path, safe, compute) == []


def test_a_stale_summary_s_slots_are_medium_confidence(tmp_path):
    """In the editor, a module edited since its summaries were published: still used, each
    slot of what it returns at medium confidence."""
    body = PAIRS[1][0]
    _taint(tmp_path, body, True)
    path = tmp_path / "app" / "views.py"
    text = path.read_text()
    with _attached(ANALYZER, tmp_path, False) as store:
        store.prepare(text, str(path))
        store.changed(str(tmp_path / "app" / "jobs.py"))
        found = [(f.rule_id, f.confidence.name) for f in ANALYZER.analyse_file(text, str(path))
                 if f.rule_id.startswith("BST")]
    assert found == [("BST202", "MEDIUM")]
