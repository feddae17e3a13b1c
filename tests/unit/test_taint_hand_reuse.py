"""`hand_requests` takes each unedited caller's handings from the last keystroke (helpers.py
`_LastHandings`): a key typed in one function body walks that function's calls alone; and
whatever the edits (a view handing the request to a helper or not, a handler handing
`self.request`, the helper's parameter renamed, a caller's parameter shadowing `request`, a
`g.x` store, a queue put, a registration added in another function, a class's bases, a method
registering another by `self`), a warm analyzer's results are a fresh one's."""

from __future__ import annotations

from functools import partial

from hypothesis import HealthCheck, given, settings
from tests.hypothesis_budget import examples
from tests.unit.slot_edits import assert_warm_is_fresh, edit_runs, filled, result

from bastion.analyzers.taint import helpers
from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

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


def test_a_key_in_one_body_walks_its_calls_alone(monkeypatch):
    """A key typed in `a` walks `a`'s calls for `hand_requests`; on main every function's
    (each of Page's 21 methods too) was looked up again."""
    warm = TaintAnalyzer(MODELS, RULES)
    warm.analyse_file(_text({"view": 1}), "app.py")
    walked: list[str] = []
    original = helpers.handed

    def counting(node, memo, text=None):
        walked.append(node.name)
        return original(node, memo, text)

    monkeypatch.setattr(helpers, "handed", counting)
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
