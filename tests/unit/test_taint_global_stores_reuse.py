"""The writes of request data into module state (global_stores.py) are read member by member of
a class: a keystroke in one method of a big class, which the block parser makes anew with its
other members' nodes, reads that method's writes again, not the whole class's (a class of 125
methods, `_pydecimal.Decimal`, had made each key 2.7x the Python calls). A `global` declared in
one method says nothing of another method's names."""

from __future__ import annotations

from tests.unit.slot_edits import assert_warm_is_fresh

from bastion.analyzers.taint import global_stores
from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()

METHOD = '''
    def step{i}(self):
        self.value{i} = request.args.get("v{i}", "")
        return {i}
'''


def _text(typed: str = "") -> str:
    methods = "".join(METHOD.format(i=i) for i in range(30))
    return ("import os\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
            f"class Runner:\n    def go(self):\n        os.system(self.value3){typed}\n{methods}\n\n"
            "RUNNER = Runner()\n")


def test_a_key_in_one_method_reads_that_methods_writes_alone(monkeypatch):
    read: list[int] = []
    original = global_stores._writes

    def counting(definition, *args):
        read.append(definition.lineno)
        return original(definition, *args)

    analyzer = TaintAnalyzer(MODELS, RULES)
    analyzer.analyse_file(_text(), "app.py")
    monkeypatch.setattr(global_stores, "_writes", counting)
    findings = analyzer.analyse_file(_text("  # typed"), "app.py")
    assert read == [9]  # `go`, where the key was typed
    assert [f.rule_id for f in findings] == ["BST202"]  # `self.value3`, a shared field


def test_a_global_declared_in_one_method_is_not_another_methods():
    text = '''import os

from flask import Flask, request

app = Flask(__name__)
LAST = "ls"


class Handler:
    def first(self):
        global LAST
        LAST = "ls"

    def second(self):
        LAST = request.args["cmd"]
        return LAST


@app.route("/run")
def run():
    os.system(LAST)
'''
    assert not TaintAnalyzer(MODELS, RULES).analyse_file(text, "app.py")
    declared = text.replace("    def second(self):\n", "    def second(self):\n        global LAST\n")
    assert [f.rule_id for f in TaintAnalyzer(MODELS, RULES).analyse_file(declared, "app.py")] == ["BST202"]


def test_a_warm_analyzer_after_keys_in_methods_is_a_fresh_one():
    texts = [_text("  # a"), _text(""), _text("\n        self.value4 = 1"),
             _text("\n        RUNNER.value5 = request.args['x']"), _text()]
    assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), _text(), texts)
