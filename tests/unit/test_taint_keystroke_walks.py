"""Walks a keystroke repeated though their answer could not change: the `getattr(self, ...)`
picks of a dispatching method (callees.py asks them at each key: kept by the method's node), an
`__init__`'s stored parameters (each constructor call asked them: kept for the analysis), the
line a `pass` is read in place of (block_mends.read_text: read down the statements holding it,
not every node of the top-level statement); and the first key after opening a file, an Enter,
whose blocks below are parsed again to new nodes: what was found walking them but their lines
is found by the nodes the same text was parsed to before (block_twins.py). Results stay a fresh
analyzer's."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_taint_moved_callees import _same_as_fresh

from bastion.analyzers.taint import callees, constant_instances, factories, function_keys, helpers
from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.block_mends import read_text
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_texts
from bastion.analyzers.taint.model_files import load_models
from bastion.engine.cache import LRU

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

    def counted(node, *rest):
        calls.append(node)
        return original(node, *rest)

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


ARGPARSE = "import subprocess\n" + (Path(sysconfig.get_paths()["stdlib"]) / "argparse.py").read_text(
    encoding="utf-8")


def test_the_first_enter_in_argparse_walks_none_of_the_functions_it_moves(monkeypatch):
    """An Enter in _get_handler moves every block below it (~50, with _ActionsContainer's
    members): on main each was walked again for the module's calls (hand_requests), its
    class's Content-Type, whether it is a guard helper and its nested functions; now none is."""
    warm = TaintAnalyzer(MODELS, RULES)
    warm.analyse_file(ARGPARSE, "argparse.py")
    lines = ARGPARSE.split("\n")
    at = lines.index("    def _get_handler(self):") + 1
    entered = "\n".join([*lines[:at], "        ", *lines[at:]])
    with monkeypatch.context() as patched:
        walked = _counting(patched, helpers, "_walked")
        shapes = _counting(patched, function_keys, "_guard_shape")
        content = _counting(patched, callees, "sets_content_type")
        nesting = _counting(patched, factories, "_nesting")
        found = _result_of(warm, entered)
    assert (len(walked), len(shapes), len(nesting)) == (1, 1, 0)  # the edited method
    assert len(content) <= 30  # the classes' headers (bases, decorators), not their members
    assert found == _result_of(TaintAnalyzer(MODELS, RULES), entered)


def _result_of(analyzer: TaintAnalyzer, text: str):
    return attrs.astuple(analyzer._result(text, "argparse.py"), recurse=False)


def _long_class() -> str:
    """A class of more than 80 lines (parsed member by member), one member setting the
    Content-Type, one a guard helper, one dispatching by name."""
    members = [f"    def step{i}(self, value):\n        part = value.strip()\n"
               f"        return self.step{i - 1}(part)\n" for i in range(1, 24)]
    return ("class Handler(tornado.web.RequestHandler):\n"
            "    def step0(self, value):\n        return os.system('ping ' + value)\n\n"
            + "\n".join(members)
            + "\n    def page(self):\n        self.set_header('Content-Type', 'text/html')\n"
            "        self.write(self.get_argument('p'))\n"
            "\n    def run(self, name):\n        return getattr(self, 'step' + name)(name)\n"
            "\n    def get(self):\n        self.run(self.get_argument('n'))\n"
            "        return self.step23(self.get_argument('h'))\n")


MOVING = ("import os\nimport tornado.web\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
          "def is_safe(name):\n    return name.isalnum()\n\n\n"
          "class Box:\n    def __init__(self, text):\n        self.text = text\n\n"
          "    def show(self):\n        return self.text\n\n\n"
          "@app.route('/run')\ndef run():\n    name = request.args['n']\n    if is_safe(name):\n"
          "        os.system('ls ' + name)\n    os.system('ls ' + Box(name).show())\n    return 'ok'\n\n\n"
          + _long_class())


@st.composite
def _moves(draw, text: str) -> list[str]:
    """Texts after Enters and deleted lines anywhere, some undone (back to an earlier text: its
    blocks at their earlier lines again), so that blocks move back and forth."""
    texts, lines = [], text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["enter", "enter", "delete", "undo"]))
        at = draw(st.integers(0, len(lines) - 1))
        if action == "enter":
            lines.insert(at + 1, "")
        elif action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "undo" and texts:
            lines = draw(st.sampled_from([text, *texts])).split("\n")
        texts.append("\n".join(lines))
    return texts


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=_moves(MOVING))
def test_blocks_moved_back_and_forth_are_analysed_as_from_scratch(texts):
    _same_as_fresh(MOVING, texts, "app.py")


def _method_callees(parser: BlockParser, memo: LRU, text: str, name: str, monkeypatch) -> tuple:
    """The callees of `name` in `text`, and the methods whose callees were found again."""
    lines = text.split("\n")
    module = module_context(parser.parse(text), MODELS, memo, text=text, lines=lines)
    found = CalleeMemo(module, function_texts(module, lines), memo, lines)
    with monkeypatch.context() as patched:
        walked = _counting(patched, found, "_callees")
        callees_of = found(module.function_named(name))
        for function in module.functions:
            found(function)
    return callees_of, {function.name for function in walked}


def test_a_method_s_callees_are_kept_until_its_init_changes(monkeypatch):
    """A long class (parsed member by member): a key in one method finds the callees of that
    one alone (on main every method's, at every key); an edit of `__init__` making it call
    `setup` finds `setup`'s again, which no longer runs after `__init__`."""
    filler = "".join(f"    def other{i}(self):\n        return self.base\n\n" for i in range(30))
    text = ("class Job:\n    def __init__(self, base):\n        self.base = base\n\n"
            "    def setup(self, url):\n        self.url = url\n\n" + filler
            + "    def run(self):\n        return self.setup(self.base)\n")
    parser, memo = BlockParser(memo=LRU(4096)), LRU(4096)
    callees_of, _ = _method_callees(parser, memo, text, "Job.setup", monkeypatch)
    assert "Job.__init__" in callees_of
    typed = text.replace("        return self.setup(self.base)", "        return self.setup(self.bas)")
    _, walked = _method_callees(parser, memo, typed, "Job.setup", monkeypatch)
    assert walked == {"Job.run"}
    calling = typed.replace("        self.base = base\n",
                            "        self.base = base\n        self.setup(base)\n")
    callees_of, walked = _method_callees(parser, memo, calling, "Job.setup", monkeypatch)
    assert "Job.__init__" not in callees_of and "Job.setup" in walked
