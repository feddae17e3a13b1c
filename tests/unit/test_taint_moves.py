"""Lines inserted or removed above a function leave its analysis reusable: the function cache
(analysis.py) finds it at its new line and shifts it (moves.py). A warm analyzer's results after
such edits are those of a fresh analysis: findings with their paths, verdicts, function ranges."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

APPS = Path(__file__).resolve().parents[1] / "fixtures" / "taint_apps"
TEXTS = {name: (APPS / name).read_text(encoding="utf-8")
         for name in ("flask_shop.py", "django_blog.py", "fastapi_files.py")}
MODELS, RULES = load_models(), load_taint_rules()
WHOLE = ["x = 1", "import os", "def helper(value):", "    return value", "    pass", "# note"]


def _analyzer() -> TaintAnalyzer:
    return TaintAnalyzer(MODELS, RULES)


@st.composite
def line_edits(draw):
    """A fixture app and the texts of a few edits that insert or remove blank or whole lines."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].split("\n")
    texts = []
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["blank", "blank", "copy", "whole", "remove"]))
        if action == "blank":
            lines.insert(at, draw(st.sampled_from(["", "    ", "\t"])))
        elif action == "copy":  # a line of the text, again, elsewhere
            lines.insert(at, lines[draw(st.integers(0, len(lines) - 1))])
        elif action == "whole":
            lines.insert(at, draw(st.sampled_from(WHOLE)))
        elif len(lines) > 1:
            del lines[at]
        texts.append("\n".join(lines))
    return name, texts


def _result(analyzer: TaintAnalyzer, text: str, name: str):
    result = analyzer._result(text, name)
    return attrs.astuple(result, recurse=False)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=line_edits())
def test_moved_functions_are_analysed_as_from_scratch(edits):
    name, texts = edits
    warm = _analyzer()
    warm.analyse_file(TEXTS[name], name)
    for text in texts:
        assert _result(warm, text, name) == _result(_analyzer(), text, name), text


def test_a_function_below_an_inserted_line_is_not_analysed_again():
    text = TEXTS["flask_shop.py"]
    analyzer = _analyzer()
    first = analyzer._result(text, "flask_shop.py")
    lines = text.split("\n")
    middle = len(lines) // 2
    counted = []
    moved = "\n".join(lines[:middle] + [""] + lines[middle:])
    from bastion.analyzers.taint import analysis
    original = analysis._analyse

    def counting(function, *args, **kwargs):
        counted.append(function.name)
        return original(function, *args, **kwargs)

    analysis._analyse = counting
    try:
        second = analyzer._result(moved, "flask_shop.py")
    finally:
        analysis._analyse = original
    assert len(second.findings) == len(first.findings) > 0
    assert counted == []


def test_top_level_code_after_a_longer_function_is_placed_again():
    """The module's top-level code is one text of statements far apart: a line added inside a
    function between them moves the ones below though that text stays the same."""
    before = "import os, sys\nos.system(sys.argv[1])\ndef f():\n    return 1\nos.system(sys.argv[2])\n"
    after = before.replace("def f():\n", "def f():\n    x = 2\n")
    warm = _analyzer()
    assert [f.span.start_line for f in warm.analyse_file(before, "m.py")] == [1, 4]
    assert [f.span.start_line for f in warm.analyse_file(after, "m.py")] == [1, 5]


@pytest.mark.parametrize("body", ["    if 1: return True\n    return mode in modes\n",
                                  "    return len(mode) < 100\n"])
def test_a_helper_no_longer_read_as_a_test_changes_its_callers(body):
    """A helper called in a condition is read as a test by its body (helper_guards.py), not by
    its summary: a body that stops proving (a path returning True untested, a test of its length)
    changes what the caller's branch proves, though the caller's text stays and its place may
    move."""
    text = ("import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n"
            "def allowed(mode, modes=('fast', 'slow')):\n    return mode in modes\n"
            "@app.route('/t')\ndef tool():\n    mode = request.args['m']\n    if allowed(mode):\n"
            "        subprocess.run(f'tool --mode {mode}', shell=True)\n    return 'ok'\n")
    warm = _analyzer()
    assert warm.analyse_file(text, "g.py") == []
    edited = text.replace("    return mode in modes\n", body)
    assert [f.rule_id for f in warm.analyse_file(edited, "g.py")] == ["BST202"]


HANDLER = ("import os\nimport tornado.web\nclass Base(tornado.web.RequestHandler):\n    pass\n"
           "class H(Base):\n    def get(self):\n        os.system('ping ' + self.get_argument('h'))\n")


@pytest.mark.parametrize("edited", [
    HANDLER.replace("(tornado.web.RequestHandler)", "(object)"),
    HANDLER.replace("(tornado.web.RequestHandler):\n", "(tornado.web.RequestHandler):\nx = 1\n"),
    HANDLER.replace("(tornado.web.RequestHandler):\n", "(object):\n\n"),
])
def test_a_method_no_longer_a_handlers_is_analysed_again(edited):
    """Whether a method is a handler's (an entry) is the module context's reading of its class's
    bases, not its text: a base class edited, or left broken, changes it in place or moved."""
    warm = _analyzer()
    assert [f.rule_id for f in warm.analyse_file(HANDLER, "h.py")] == ["BST202"]
    assert warm.analyse_file(edited, "h.py") == []
