"""A line being typed in a function (`x = subprocess.`, `x = subprocess.run(`) leaves the rest of
the module as it was: the block parser reads the function without that line (block_mends.py)
instead of leaving it out, and a short class is split by members when one does not parse, so a
keystroke analyses the edited function (and what its new text makes relevant), not its callers
nor, through a class's lost `__init__`, every function of the module (argparse.py: 76 functions at
the first broken key). A warm analyzer's results after each key are a fresh one's."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import attrs
import pytest
from tests.unit.taint_analysed import analysed

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()
ARGPARSE = "import subprocess\n" + (Path(sysconfig.get_paths()["stdlib"]) / "argparse.py").read_text(
    encoding="utf-8")
APP = '''import subprocess
from flask import Flask, request

app = Flask(__name__)


def archive(name):
    target = name + ".tgz"
    return subprocess.call("tar czf " + target, shell=True)


@app.route("/ping")
def ping():
    host = request.args["host"]
    subprocess.call("ping -c 1 " + host, shell=True)
    return "ok"


@app.route("/pack")
def pack():
    return archive(request.args["name"])
'''


def _analyzer() -> TaintAnalyzer:
    return TaintAnalyzer(MODELS, RULES)


def _result(analyzer: TaintAnalyzer, text: str, name: str):
    return attrs.astuple(analyzer._result(text, name), recurse=False)


def _typed(text: str, after: str, snippet: str) -> list[str]:
    """The texts of an Enter after the line `after` (its indentation) and each character of
    `snippet` typed on the new line."""
    lines = text.split("\n")
    at = lines.index(after) + 1
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
    return ["\n".join([*lines[:at], indent + snippet[:count], *lines[at:]])
            for count in range(len(snippet) + 1)]


def test_a_broken_short_class_keeps_its_other_members_and_the_next_class():
    """Namespace (18 lines) with `x = subprocess.` typed in its `__init__`: on main the class
    joined with _ActionsContainer was split as one class, which lost _ActionsContainer and its
    `__init__`, and held its methods."""
    lines = ARGPARSE.split("\n")
    at = lines.index("        for name in kwargs:")
    for typed in ("x =", "x = subprocess.", "x = subprocess.run(", "x = subprocess.run('ls"):
        broken = "\n".join([*lines[:at], "        " + typed, *lines[at:]])
        mended = "\n".join([*lines[:at], "        pass", *lines[at:]])
        assert ast.dump(BlockParser().parse(broken), include_attributes=True) == \
            ast.dump(ast.parse(mended), include_attributes=True), typed


@pytest.mark.parametrize(("after", "method"), [
    ("    def _get_handler(self):", "_ActionsContainer._get_handler"),  # a long class's
    ("def _copy_items(items):", "_copy_items"),  # a module-level function
])
def test_typing_in_argparse_analyses_the_edited_function_alone(monkeypatch, after, method):
    warm = _analyzer()
    warm.analyse_file(ARGPARSE, "argparse.py")
    texts = _typed(ARGPARSE, after, "x = subprocess.run(cmd)")
    found_again = 0
    for number, text in enumerate(texts):
        names = analysed(warm, text, "argparse.py", monkeypatch)
        # the first key, the Enter, moves the top-level lines below it: the module's own body is
        # analysed again where it is relevant (3.12's argparse.py; not 3.11's)
        moved = {"<module>"} if number == 0 else set()
        assert names in ([method], []) or set(names) - moved == {method}, text.count("\n")
        # a key typing a broken line reads the method as the last broken key did (`pass` there)
        found_again += not names
        # a fresh analysis of argparse.py costs ~1 s: every broken state's kind, and the last
        if number in (3, 15, 16, 19, 20, len(texts) - 1):
            assert _result(warm, text, "argparse.py") == _result(_analyzer(), text, "argparse.py")
    assert found_again >= 5  # `x =`, `x = subprocess.`, `x = subprocess.run(` ...: 6 of 24 keys


@pytest.mark.parametrize("after", ['    host = request.args["host"]', '    target = name + ".tgz"'])
def test_typing_in_a_flask_app_keeps_the_other_findings(monkeypatch, after):
    """The view's own finding stays while a line is typed above it (on main the view went from
    the module at each broken key, and its finding with it), and each key analyses at most the
    edited function and its caller."""
    warm = _analyzer()
    first = warm.analyse_file(APP, "app.py")
    assert sorted(f.rule_id for f in first) == ["BST202", "BST202"]
    for text in _typed(APP, after, "x = subprocess.run(host, shell=True)"):
        assert len(analysed(warm, text, "app.py", monkeypatch)) <= 2
        found = _result(warm, text, "app.py")
        assert found == _result(_analyzer(), text, "app.py")
        assert len([f for f in found[0] if f.rule_id == "BST202"]) >= 2
