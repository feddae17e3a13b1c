"""Walks a keystroke repeated though their answer could not change: the `getattr(self, ...)`
picks of a dispatching method (callees.py asks them at each key: kept by the method's node), an
`__init__`'s stored parameters (each constructor call asked them: kept for the analysis), the
line a `pass` is read in place of (block_mends.read_text: read down the statements holding it,
not every node of the top-level statement). Results stay a fresh analyzer's."""

from __future__ import annotations

import ast

import attrs

from bastion.analyzers.taint import callees, constant_instances
from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.block_mends import read_text
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()
APP = '''import subprocess
from flask import Flask, request

app = Flask(__name__)


class Holder:
    def __init__(self, text):
        self.text = text


class Commands:
    def run(self, name, arg):
        handler = getattr(self, "cmd_" + name)
        return handler(arg)

    def cmd_ping(self, host):
        return subprocess.call("ping -c 1 " + host, shell=True)

    def cmd_echo(self, text):
        return text


@app.route("/run")
def run_view():
    first, second, third = Holder("ls"), Holder("pwd"), Holder("id")
    subprocess.call(first.text + second.text + third.text, shell=True)
    return Commands().run(request.args["name"], request.args["arg"])


def helper(value):
    return value
'''


def _counting(monkeypatch, module, name: str) -> list[object]:
    calls: list[object] = []
    original = getattr(module, name)

    def counted(node):
        calls.append(node)
        return original(node)

    monkeypatch.setattr(module, name, counted)
    return calls


def _typed(text: str, snippet: str) -> list[str]:
    at = text.index("    return value\n")
    return [text[:at] + "    " + snippet[:count] + "\n" + text[at:] for count in range(1, len(snippet) + 1)]


def _result(analyzer: TaintAnalyzer, text: str):
    return attrs.astuple(analyzer._result(text, "app.py"), recurse=False)


def test_a_key_in_another_function_does_not_walk_the_dispatching_method(monkeypatch):
    warm = TaintAnalyzer(MODELS, RULES)
    first = warm.analyse_file(APP, "app.py")
    assert "BST202" in {f.rule_id for f in first}  # cmd_ping, picked from the request
    for text in _typed(APP, "value = value.strip()"):
        with monkeypatch.context() as patched:
            picks = _counting(patched, callees, "picks")
            found = _result(warm, text)
        assert picks == []  # each key walked `run` on main
        assert found == _result(TaintAnalyzer(MODELS, RULES), text)


def test_an_init_is_read_once_an_analysis_however_many_constructor_calls(monkeypatch):
    stored = _counting(monkeypatch, constant_instances, "stored_params")
    TaintAnalyzer(MODELS, RULES).analyse_file(APP, "app.py")
    assert len(stored) == 1  # three `Holder(...)` calls: three reads (of two walks each) on main


def test_a_mended_line_is_read_where_the_tree_holds_its_pass():
    text = "class A:\n    def f(self):\n        if x:\n            y = (\n        return 1\n"
    tree = ast.parse("class A:\n    def f(self):\n        if x:\n            pass\n        return 1\n")
    assert read_text(tree, text, {3: "            pass"}).split("\n")[3] == "            pass"
    # at another column (the tree's pass is not that line's), or a line with no pass: as typed
    assert read_text(tree, text, {3: "        pass"}) == text
    assert read_text(tree, text, {4: "        pass"}) == text
