"""A keystroke takes the last text's findings of the hits an unedited function's outcome still
holds (hit_findings.KeptFindings), made anew where a line they read is another; a warm
analyzer's findings are a fresh one's."""

from __future__ import annotations

import ast

from bastion.analyzers.taint import hit_findings
from bastion.analyzers.taint.analysis import analyse_module
from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.hit_findings import KeptFindings, hit_finding
from bastion.analyzers.taint.model_files import load_models
from bastion.model.text import split_lines

MODELS, RULES = load_models(), load_taint_rules()

TEXT = """import os
import subprocess
from flask import Flask, request

app = Flask(__name__)


def build(name):
    return "ls " + name


@app.route("/a")
def a():
    return subprocess.call(build(request.args["q"]), shell=True)


@app.route("/b")
def b():
    target = request.args["t"]
    return os.system(target)


@app.route("/c")
def c():
    {typed}
    return "ok"
"""


def _made(analyzer: TaintAnalyzer, text: str, monkeypatch) -> list[int]:
    """The lines of the hits whose findings `text`'s analysis made anew."""
    made: list[int] = []

    def counting(hit, *args):
        made.append(hit.node.lineno - 1)
        return hit_finding(hit, *args)

    with monkeypatch.context() as patched:
        patched.setattr(hit_findings, "hit_finding", counting)
        analyzer.analyse_file(text, "app.py")
    return made


def _fresh(text: str) -> list:
    return TaintAnalyzer(MODELS, RULES).analyse_file(text, "app.py")


def test_a_key_in_another_view_makes_no_finding_again(monkeypatch):
    warm = TaintAnalyzer(MODELS, RULES)
    first = TEXT.format(typed="x = 1")
    assert len(_made(warm, first, monkeypatch)) == 2  # a's and b's flows
    typed = TEXT.format(typed="x = subprocess.call(request.args['c'], shell=True)")
    assert _made(warm, typed, monkeypatch) == [24]  # c's, the key's own
    assert warm.analyse_file(typed, "app.py") == _fresh(typed)
    deleted = TEXT.format(typed="x = 2")
    assert _made(warm, deleted, monkeypatch) == []
    assert warm.analyse_file(deleted, "app.py") == _fresh(deleted)


def test_a_hit_whose_line_changed_is_made_again():
    """A kept finding holds columns in characters of the lines it read: where one of those lines
    is another (a character of two bytes before the sink), the finding is made anew."""
    text = TEXT.format(typed="x = 1")
    lines = split_lines(text)
    rule = next(r for r in RULES if r.sink_class == "shell")
    hit = next(h for _f, h in analyse_module(ast.parse(text), MODELS).hits if h.node.lineno == 20)
    kept = KeptFindings()
    found = kept.finding(hit, rule, MODELS, lines)
    kept.done()
    assert kept.finding(hit, rule, MODELS, lines) is found
    kept.done()
    wider = list(lines)
    wider[19] = "é" + wider[19][2:]  # `os.system` one character left of its byte column
    again = kept.finding(hit, rule, MODELS, wider)
    assert again.span != found.span and again == hit_finding(hit, rule, MODELS, wider)
