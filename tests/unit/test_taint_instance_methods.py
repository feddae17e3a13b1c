"""Taint analysis: a method reads the fields of the instance it is called on, however the
instance got them: a record's generated `__init__` (a dataclass, a NamedTuple: `FetchJob(url=
request.json["url"]).execute()`), or a fluent setter returning `self`
(`Archiver().set_target(name).run()`). Each vulnerable case has a safe twin: the field the method
reads holds a constant and the request data is in another."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
FLASK = ("import subprocess\nfrom dataclasses import dataclass\nfrom typing import NamedTuple\n"
         "import requests\nfrom flask import Flask, request\napp = Flask(__name__)\n")
DATACLASS = FLASK + """
@dataclass
class FetchJob:
    url: str
    note: str = ""

    def execute(self):
        return requests.get(self.url, timeout=5).status_code

@app.post("/fetch")
def fetch():
    FetchJob({url}, note={note}).execute()
    return "ok"
"""
NAMED_TUPLE = FLASK + """
class FetchJob(NamedTuple):
    url: str
    note: str

    def execute(self):
        return requests.get(self.url, timeout=5).status_code

@app.post("/fetch")
def fetch():
    job = FetchJob(url={url}, note={note})
    job.execute()
    return "ok"
"""
FLUENT = FLASK + """
class Archiver:
    def __init__(self):
        self.target = "."
        self.note = ""

    def set_target(self, name):
        self.target = name
        return self

    def set_note(self, note):
        self.note = note
        return self

    def run(self):
        subprocess.run("tar czf /tmp/out.tgz " + self.target, shell=True)
        return "ok"

@app.route("/archive")
def archive():
    return Archiver().set_target({url}).set_note({note}).run()
"""
TAINTED = 'request.args["q"]'


def taint_findings(source: str) -> list[str]:
    return [f.rule_id for f in ANALYZER.analyse_file(source, "case.py") if f.rule_id.startswith("BST2")]


@pytest.mark.parametrize(("case", "rule"), [(DATACLASS, "BST213"), (NAMED_TUPLE, "BST213"), (FLUENT, "BST202")],
                         ids=["dataclass", "namedtuple", "fluent"])
def test_a_method_reads_the_field_the_instance_was_given(case, rule):
    assert taint_findings(case.format(url=TAINTED, note='"n"')) == [rule]
    assert taint_findings(case.format(url='"https://api.example.com/"', note=TAINTED)) == []
