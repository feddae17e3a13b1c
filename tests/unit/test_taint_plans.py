"""The call-graph plan a text takes from the last one (plans.py) is the one walked anew in the
same tree: after random edits of a document whose block parser reuses the unedited functions'
nodes, `Plan.closure`, `Plan.components` (and whether each is a cycle) and `Plan.callers` of a
few sets answer what callgraph.py's walks answer with a memo that keeps nothing; and a key that
changes no function's callees walks nothing again."""

from __future__ import annotations

import ast

from hypothesis import example, given, settings
from tests.hypothesis_budget import examples
from tests.unit.block_documents import block_versions, documents

from bastion.analyzers.taint import plans
from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_models, load_taint_rules
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.callgraph import callers, closure, components
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_texts
from bastion.analyzers.taint.plans import Plan
from bastion.engine.cache import LRU

MODELS = load_models()
HEADER = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n\n\n"
# blocks whose edges change with other blocks: a callee defined or not, defined twice, a cycle
# made or broken, a class's ancestors
BLOCKS = [
    "def helper(value):\n    return run(value)",
    "def run(cmd):\n    os.system(cmd)",
    "def run(cmd):\n    return ping(cmd)",
    "def ping(n):\n    return pong(n)",
    "def pong(n):\n    return ping(n) + helper(n)",
    "def pong(n):\n    return n",
    "@app.route('/a')\ndef view():\n    return helper(request.args['q'])",
    "@app.route('/b')\ndef other():\n    return Repo('x').read(request.args['q'])",
    "class Base:\n    def read(self, name):\n        return run(name)",
    "class Repo(Base):\n    def fetch(self):\n        return self.read(1)",
    "class Repo:\n    def read(self, name):\n        return pong(name)",
]


def plan_answers(module, text: str, cache: LRU | None) -> list:
    """The closures and components of each function alone, of every function and of the first
    half, and their callers; with `cache`, as a `Plan` of a document's next text answers them."""
    memo = CalleeMemo(module, function_texts(module, python_lines(text)), cache)
    plan = Plan(cache, module, memo)
    names = [f.name for f in module.functions]
    asked = [{name} for name in names] + [set(names), set(names[:len(names) // 2])]
    answers = []
    for wanted in asked:
        found = plan.closure(wanted) if cache is not None else closure(wanted, module, memo)
        walked = plan.components(wanted) if cache is not None else [
            (c, len(c) > 1 or c[0].name in memo(c[0])) for c in components(module, memo, wanted)]
        answers.append((sorted(found), [([id(f) for f in c], cycle) for c, cycle in walked]))
    # the callers of each function alone and of all, none settled or the first third (a name
    # defined twice too: each definition's facts are its own, whichever is asked first)
    for done in ({}, dict.fromkeys(names[:len(names) // 3])):
        for called in [[name] for name in names] + [names]:
            found = plan.callers(called, done) if cache is not None else callers(called, module, memo, done)
            answers.append(sorted(found))
    plan.done()
    return answers


@settings(max_examples=examples(100), deadline=None)
@example([[3, 4, 6, 0, 1], [3, 5, 6, 0, 1]])  # a cycle broken
@example([[0, 1, 6], [0, 2, 3, 4, 6]])  # `run` now calls into a cycle
@example([[0, 1], [0, 1, 1]])  # `run` defined twice
@example([[8, 9, 7], [8, 10, 7]])  # `Repo` no longer a `Base`
@example([[6, 1], [1, 6]])  # two functions that call nothing swapped: the walk's roots in another order
@given(block_versions(BLOCKS))
def test_the_plan_taken_from_the_last_text_is_the_one_walked_anew(versions):
    cache = LRU(4096)
    for text, tree in documents(HEADER, BLOCKS, versions):
        module = module_context(tree, MODELS, cache, None, text)
        assert plan_answers(module, text, cache) == plan_answers(module, text, None), text


TEXT = HEADER + "\n\n".join(BLOCKS[b] for b in (0, 1, 3, 4, 6, 7, 8, 9)) + "\n"


def test_a_key_that_changes_no_edge_walks_nothing_again(monkeypatch):
    """A key typed in a string of `view` changes no function's callees: the walks of the last
    text are taken (on main, `closure` and `components` walked every relevant function's edges
    at each key); a key that adds a call walks again, and answers as a fresh analyzer does."""
    analyzer = TaintAnalyzer(MODELS, load_taint_rules())
    analyzer.analyse_file(TEXT, "app.py")
    walks = []
    for name in ("closure", "components"):
        original = getattr(plans, name)
        monkeypatch.setattr(plans, name,
                            lambda *a, _o=original, _n=name, **k: walks.append(_n) or _o(*a, **k))
    typed = TEXT.replace("helper(request.args['q'])", "helper(request.args['qq'])")
    assert typed != TEXT
    analyzer.analyse_file(typed, "app.py")
    assert walks == []
    called = typed.replace("return helper(request.args['qq'])", "return helper(request.args['qq']) + run(1)")
    assert called != typed
    found = analyzer.analyse_file(called, "app.py")
    assert walks
    assert found == TaintAnalyzer(MODELS, load_taint_rules()).analyse_file(called, "app.py")


def test_each_definition_of_a_name_has_its_own_facts_whichever_is_asked_first():
    """`run` defined twice, calling nothing of the module then `ping`: each definition's facts
    are its node's in either order of asking (on main they were kept by name, the first asked
    answering for both), and the name's callees, which the walks read, its last definition's
    (the one a call in a function body reaches); the first is `run@1` (rebound.py), with its own."""
    text = HEADER + "\n\n".join(BLOCKS[b] for b in (1, 2, 3, 5)) + "\n"
    for backwards in (False, True):
        module = module_context(ast.parse(text), MODELS, None, None, text)
        memo = CalleeMemo(module, function_texts(module, python_lines(text)), LRU(64))
        first, last = [f for f in module.functions if f.name in ("run@1", "run")]
        for function in ([last, first] if backwards else [first, last]):
            memo.facts(function)
            memo(function)
        assert "ping" not in memo.facts(first).plain and "ping" in memo.facts(last).plain
        assert memo(first) == memo.found["run@1"] == frozenset()
        assert memo(last) == memo.found["run"] == frozenset({"ping"})
