"""`hand_requests` takes each unedited caller's handings from the last keystroke (helpers.py
`_LastHandings`): a key typed in one function body walks that function's calls alone; and
whatever the edits (a view handing the request to a helper or not, a handler handing
`self.request`, the helper's parameter renamed, a caller's parameter shadowing `request`, a
`g.x` store, a queue put, a registration added in another function, a class's bases, a method
registering another by `self`), a warm analyzer's results are a fresh one's."""

from __future__ import annotations

import ast
from functools import partial

from hypothesis import HealthCheck, given, settings
from tests.hypothesis_budget import examples
from tests.unit.slot_edits import assert_warm_is_fresh, edit_runs, filled, result

from bastion.analyzers.taint import helpers
from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.model_files import load_models
from bastion.engine.cache import LRU

MODELS, RULES = load_models(), load_taint_rules()

SLOTS = {
    "view": ("    value = other(request)", "    value = fetch(request)", "    value = fetch(name)",
             "    value = fetch(request)\n    x = fe"),
    "param": ("def fetch(req):", "def fetch(r):", "def fetch(req, extra=None):"),
    "shadow": ("def later(name):", "def later(request):"),
    "handler": ("        return 1", "        return fetch(self.request)", "        return fetch(self)"),
    "store": ("    return 2", "    g.user = request.args['u']\n    return 2",
              "    JOBS.put(request.args['j'])\n    return 2",
              "    app.add_url_rule('/l', view_func=loose)\n    return 2"),
    "base": ("tornado.web.RequestHandler", "object", "Mixin, tornado.web.RequestHandler"),
    "serve": ("        return 0", "        return asyncio.start_server(self.on_client, 'h', 1)"),
    "typed": ("    return 3", "    return subprocess.call(g.user, shell=True)",
              "    return subprocess.call(JOBS.get(), shell=True)"),
}

TEMPLATE = """import asyncio
import queue
import subprocess

import tornado.web
from flask import Flask, g, request

app = Flask(__name__)
JOBS = queue.Queue()


{param}
    return subprocess.call(req.args["q"], shell=True)


def other(req):
    return req


@app.route("/a")
def a():
    name = request.args["n"]
{view}
    return value


{shadow}
    return fetch(request)


def setup():
{store}


def loose(host):
{typed}


class Mixin:
    def run(self):
        return subprocess.call(self.get_argument("m"), shell=True)


class Page({base}):
    def get(self):
{handler}

    def serve(self):
{serve}

    async def on_client(self, reader, writer):
        line = await reader.readline()
        subprocess.call(line, shell=True)
""" + "".join(f"""
    def part{i}(self):
        return {i}
""" for i in range(20))


_text = partial(filled, TEMPLATE, SLOTS)


def _asked(monkeypatch, name: str) -> list[str]:
    """The names of the nodes or functions `helpers.<name>` is asked of from now on."""
    asked: list[str] = []
    original = vars(helpers)[name]

    def recording(first, *rest):
        asked.append(first.name)
        return original(first, *rest)

    monkeypatch.setattr(helpers, name, recording)
    return asked


def test_a_key_in_one_body_walks_its_calls_alone(monkeypatch):
    """A key typed in `a` walks `a`'s calls for `hand_requests`; on main every function's
    (each of Page's 21 methods too) was looked up again."""
    warm = TaintAnalyzer(MODELS, RULES)
    warm.analyse_file(_text({"view": 1}), "app.py")
    walked = _asked(monkeypatch, "handed")
    warm.analyse_file(_text({"view": 3}), "app.py")
    assert walked == ["a"]
    fresh = TaintAnalyzer(MODELS, RULES)
    assert result(warm, _text({"view": 3})) == result(fresh, _text({"view": 3}))


def test_a_helper_handed_the_request_reports_only_while_it_is():
    """`fetch(request)` in the view makes `req.args` request data; `fetch(name)` does not
    (the name is request data itself, reported as an argument)."""
    warm = TaintAnalyzer(MODELS, RULES)
    lines = {}
    for view in (1, 0, 1):
        found = warm.analyse_file(_text({"view": view, "shadow": 1}), "app.py")
        lines[view] = {f.span.start_line for f in found if f.rule_id == "BST202"}
    assert 12 in lines[1] and 12 not in lines[0], lines


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=edit_runs(TEMPLATE, SLOTS))
def test_a_warm_analyzer_after_edits_is_a_fresh_one(texts):
    assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), _text({}), texts)


def test_a_key_in_one_function_reads_the_others_facts_kept(monkeypatch):
    """A key typed in `other` asks no method whether a call can hand it the request
    (`_factory`: a staticmethod's or classmethod's); on main each of the module's 24 methods was
    asked again at every key. The request kinds are a fresh context's."""
    parser, memo = BlockParser(memo=LRU(4096)), LRU(4096)

    def typed(digits: str) -> str:
        return _text({"view": 1}).replace("    return req\n", f"    return req or {digits}\n")

    def context(text: str):
        return module_context(parser.parse(text), MODELS, memo, text=text, lines=text.split("\n"))
    context(typed("1"))
    context(typed("12"))
    asked = _asked(monkeypatch, "_factory")
    warm = context(typed("123"))
    assert asked == []
    monkeypatch.undo()
    fresh = module_context(ast.parse(typed("123")), MODELS, LRU(4096), text=typed("123"),
                           lines=typed("123").split("\n"))
    kinds = [(f.name, f.request_kinds) for f in warm.functions]
    assert kinds == [(f.name, f.request_kinds) for f in fresh.functions]
    assert ("req", "flask.request") in dict(kinds)["fetch"]



def test_a_key_in_one_body_reads_the_kept_caller_at_its_node_alone(monkeypatch):
    """A key typed in `other` asks what a handing reads (`_reads`) of the callers it made anew
    (`other`, the module's top-level code) and of the last text's function at each one's node:
    on main, of each of the last text's ~30 functions too."""
    from bastion.analyzers.taint import hand_reuse

    def typed(digits: str) -> str:
        return _text({"view": 1}).replace("    return req\n", f"    return req or {digits}\n")
    warm = TaintAnalyzer(MODELS, RULES)
    warm.analyse_file(typed("1"), "app.py")
    asked: list[str] = []
    original = hand_reuse._reads
    monkeypatch.setattr(hand_reuse, "_reads", lambda caller: asked.append(caller.name) or original(caller))
    warm.analyse_file(typed("12"), "app.py")
    assert sorted(asked) == ["<module>", "<module>", "other"], asked
    monkeypatch.undo()
    fresh = TaintAnalyzer(MODELS, RULES)
    assert result(warm, typed("12")) == result(fresh, typed("12"))
