"""Incremental taint analysis equals analysis from scratch: a warm analyzer (block, function and
call caches filled by the previous versions) and a fresh one agree after random edits of the
realistic apps, findings and paths included."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analyzer import TaintAnalyzer

APPS = Path(__file__).resolve().parents[1] / "fixtures" / "taint_apps"
INSERTS = ["    name = escape(name)", "    host = shlex.quote(host)", "    url = 'https://example.com/'",
           "    x = request.args['x']", "", "    pass", "def helper(value):\n    return value",
           "    return", "    if DEBUG:", "'''", "    term = os.path.basename(term)"]


def edits(text: str, rng: random.Random, count: int):
    lines = text.split("\n")
    for _ in range(count):
        n = rng.randrange(len(lines))
        action = rng.randrange(4)
        if action == 0 and len(lines) > 5:
            del lines[n]
        elif action == 1:
            lines.insert(n, rng.choice(INSERTS))
        elif action == 2:
            lines[n] = lines[n] + rng.choice(["  # edit", "x", ")", " + request.args['y']"])
        else:
            lines.insert(n, lines[rng.randrange(len(lines))])
        yield "\n".join(lines)


def described(findings) -> list[tuple]:
    return [(f.rule_id, f.span, f.message, f.confidence, f.steps) for f in findings]


@pytest.mark.parametrize("app", ["flask_shop.py", "django_blog.py", "fastapi_files.py"])
@pytest.mark.parametrize("seed", range(2))
def test_warm_analysis_equals_fresh_analysis(app, seed):
    text = (APPS / app).read_text(encoding="utf-8")
    warm = TaintAnalyzer()
    warm.analyse_file(text, app)
    for version in edits(text, random.Random(seed), 15):
        assert described(warm.analyse_file(version, app)) == described(
            TaintAnalyzer().analyse_file(version, app)), version


def test_a_body_model_field_retyped_outside_the_view_changes_its_verdict():
    """A view's parameters are classified once per text of the view and of what it depends on:
    the body model's field types are part of that, though they are outside the view."""
    template = ("import os\nfrom fastapi import FastAPI\nfrom pydantic import BaseModel\n"
                "app = FastAPI()\nclass Job(BaseModel):\n    count: {kind}\n"
                "@app.post('/p')\ndef p(job: Job):\n    os.system(f'ping -c {{job.count}} localhost')\n")
    warm = TaintAnalyzer()
    found = [[f.rule_id for f in warm.analyse_file(template.format(kind=kind), "api.py")]
             for kind in ("int", "str", "int")]
    assert found == [[], ["BST202"], []]


def test_forgetting_the_caches_changes_no_result():
    """The engine drops the analyzers' edit caches when the last document closes
    (`Engine.clear_cache`): the next analysis must give the same findings."""
    from bastion.config import Config
    from bastion.engine.registry import create_engine

    engine = create_engine()
    text = ("import os\nfrom flask import Flask, request\napp = Flask(__name__)\n\n\n"
            "@app.route('/a')\ndef a():\n    os.system('ls ' + request.args['d'])\n    return ''\n")
    before = engine.analyse(text, "app.py", Config()).findings
    engine.clear_cache()
    after = engine.analyse(text, "app.py", Config()).findings
    assert [f.rule_id for f in after] == [f.rule_id for f in before] and "BST202" in {
        f.rule_id for f in after}


def test_the_path_does_not_depend_on_string_hashes():
    """Two arguments of the same path length reach the sink through a helper: which path the
    finding shows was chosen by a set's iteration order, so it changed with PYTHONHASHSEED."""
    import os
    import subprocess
    import sys

    probe = ("from bastion.analyzers.taint.analyzer import TaintAnalyzer\n"
             "SRC = 'import os\\nimport sys\\ndef pick(a, b):\\n    return a + b\\ndef main():\\n"
             "    first = sys.argv[1]\\n    second = sys.argv[2]\\n    os.system(pick(first, second))\\n'\n"
             "print([[s.message for s in f.steps] for f in "
             "TaintAnalyzer(incremental=False).analyse_file(SRC, 't.py')])\n")
    outputs = {subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
               for seed in range(1, 7)}
    assert len(outputs) == 1, outputs
    assert "assigned to `first`" in outputs.pop()


def test_a_text_asked_for_findings_then_verdicts_is_hashed_once(monkeypatch):
    """The engine asks the analyzer twice per keystroke with the same text (`analyse_file`, then
    `retract`): the whole text's digest (0.2 ms for _pydecimal.py) is taken once; an equal text
    that is another object is hashed again (identity is what is remembered, not equality)."""
    from bastion.analyzers.taint import analyzer as module

    hashed: list[int] = []
    real = module.blake2b

    def counting(data=b"", **kwargs):
        hashed.append(len(data))
        return real(data, **kwargs)

    monkeypatch.setattr(module, "blake2b", counting)
    text = (APPS / "flask_shop.py").read_text(encoding="utf-8")
    taint = TaintAnalyzer()
    findings = taint.analyse_file(text, "shop.py")
    assert findings and taint.retract(text, "shop.py", []) == {}
    size = len(text.encode("utf-8"))
    assert hashed.count(size) == 1
    taint.analyse_file("".join(list(text)), "shop.py")
    assert hashed.count(size) == 2


@settings(max_examples=examples(500), deadline=None)
@given(text=st.lists(st.sampled_from(["a", "\n", "\r", "\r\n", "\u2028", "\x0c", " "]),
                     max_size=30).map("".join))
def test_python_lines_from_a_split_are_text_lines(text):
    """The analyzer hands its `split_lines(text)` to `analyse_module`, which takes the lines
    Python counts from it when the text has no "\\r": the same as `text_lines(text)`."""
    from bastion.analyzers.taint.analysis import python_lines
    from bastion.model.text import split_lines, text_lines

    assert python_lines(text, split_lines(text)) == text_lines(text) == python_lines(text)


def test_the_lines_of_a_text_the_block_parser_split_are_not_split_again(monkeypatch):
    """Without "\\r", the analyzer's `split_lines(text)` is the block parser's `text.split("\\n")`
    of the same text: taken from the parser (0.3 ms for _pydecimal.py), with the same findings."""
    from bastion.analyzers.taint import analyzer as module

    split: list[str] = []
    real = module.split_lines
    monkeypatch.setattr(module, "split_lines", lambda text: split.append(text) or real(text))
    text = (APPS / "flask_shop.py").read_text(encoding="utf-8")
    found = described(TaintAnalyzer().analyse_file(text, "shop.py"))
    assert found and split == []
    crlf = text.replace("\n", "\r\n")
    assert described(TaintAnalyzer().analyse_file(crlf, "shop.py")) == found and split == [crlf]


def test_a_content_type_set_in_another_method_of_the_handler_changes_its_write():
    """A Tornado handler's `write` is judged by the Content-Type its class sets in any method
    (sinks.py): a method added after the one that writes changes its verdict, though the
    writing method's text and place stay."""
    head = ("import tornado.web\nfrom tornado.web import RequestHandler\nclass H(RequestHandler):\n"
            "    def get(self):\n        self.write(self.get_argument('name'))\n")
    typed = head + ("    def set_default_headers(self):\n"
                    "        self.set_header('Content-Type', 'application/json')\n")
    warm = TaintAnalyzer()
    assert [f.rule_id for f in warm.analyse_file(head, "h.py")] == ["BST203"]
    assert warm.analyse_file(typed, "h.py") == []


def test_a_one_off_analyzer_keeps_no_function_outcomes_and_finds_the_same():
    """A scan reads each file once: the outcomes an editor's analyzer keeps per function (with
    the function's tree) would be found again only for a copied function, and were a quarter of
    a scan's memory. The findings are the same, the vulnerable function's and not its twin's."""
    src = ("import os\nimport shlex\nfrom flask import request\n\n"
           "def run():\n    os.system('ls ' + request.args['d'])\n\n"
           "def run_quoted():\n    os.system('ls ' + shlex.quote(request.args['d']))\n")
    one_off, editor = TaintAnalyzer(incremental=False), TaintAnalyzer()
    found = one_off.analyse_file(src, "app.py")
    assert [f.span.start_line for f in found] == [5]  # 0-based: `run`'s call
    assert found == editor.analyse_file(src, "app.py")
    assert one_off._functions is None and len(editor._functions) > 0
