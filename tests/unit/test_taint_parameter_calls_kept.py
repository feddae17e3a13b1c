"""The calls in parameter lists (FastAPI's `Depends(...)`, `Annotated` metadata), which a
keystroke's module context reads of every function, are kept by function node for the next text
(factories.parameter_calls' memo): after edits that change, move, break and restore functions,
the kept answer is the one read afresh, and a warm analyzer's findings are a fresh one's."""

from __future__ import annotations

import random

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.factories import parameter_calls
from bastion.engine.cache import LRU

HEADER = ("import os\nfrom typing import Annotated\nfrom fastapi import Depends, FastAPI, Header\n"
          "app = FastAPI()\n\n\n"
          "def current_user(x_user: str = Header()):\n    return x_user\n\n\n"
          "def fixed_user():\n    return 'admin'\n\n\n")
# the view's dependency: one that returns the request's header, one that returns a constant, none
DEFAULTS = ["Depends(current_user)", "Depends(fixed_user)", "'nobody'"]


def module(defaults: list[str], extra: str = "") -> str:
    views = [f"@app.get('/v{i}')\ndef v{i}(user: str = {d}):\n    os.system('id ' + user)\n"
             for i, d in enumerate(defaults)]
    views.append("class Jobs:\n"
                 "    def run(self, who: Annotated[str, Depends(current_user)], n=Depends(fixed_user)):\n"
                 "        return who\n\n    def stop(self, *, why=Header(), how=None):\n        return why\n")
    return HEADER + extra + "\n\n".join(views)


def versions(rng: random.Random, count: int):
    defaults = [rng.choice(DEFAULTS) for _ in range(6)]
    for _ in range(count):
        action = rng.randrange(4)
        extra = ""
        if action == 0:
            defaults[rng.randrange(len(defaults))] = rng.choice(DEFAULTS)
        elif action == 1:  # lines above every view: the nodes move
            extra = "\n" * rng.randrange(1, 4)
        elif action == 2:  # a broken view: its block does not parse
            defaults[rng.randrange(len(defaults))] = "Depends(current_user"
        yield module(defaults, extra)
        if action == 2:
            defaults = [d if d != "Depends(current_user" else DEFAULTS[0] for d in defaults]


def functions_of(tree) -> list:
    return [*(n for n in tree.body if n.__class__.__name__ == "FunctionDef"),
            *(m for n in tree.body if n.__class__.__name__ == "ClassDef" for m in n.body)]


@pytest.mark.parametrize("seed", range(4))
def test_kept_parameter_calls_are_the_fresh_ones(seed):
    parser, memo = BlockParser(), LRU(64)
    reused, last = 0, set()
    for text in versions(random.Random(seed), 30):
        tree = parser.parse(text)
        definitions = list(tree.body)
        kept = parameter_calls(definitions, memo)
        # the same call nodes, in the same order, as read from this tree without the memo
        assert kept == parameter_calls(definitions), text
        nodes = {id(f) for f in functions_of(tree)}
        reused += len(nodes & last)
        last = nodes
    assert reused > 0  # the block parser handed back unchanged functions: the memo served them


@pytest.mark.parametrize("seed", range(2))
def test_warm_analysis_of_dependencies_equals_fresh_analysis(seed):
    warm = TaintAnalyzer()
    for text in versions(random.Random(seed), 12):
        assert described(warm.analyse_file(text, "deps.py")) == described(
            TaintAnalyzer().analyse_file(text, "deps.py")), text


def described(findings) -> list[tuple]:
    return [(f.rule_id, f.span, f.message) for f in findings]


def test_a_dependency_changed_in_a_kept_module_changes_the_finding():
    """The vulnerable view (a header through `current_user`) and its safe twin (`fixed_user`),
    one keystroke apart in a document analysed before."""
    warm = TaintAnalyzer()
    safe = module(["Depends(fixed_user)"] * 3)
    vulnerable = module(["Depends(fixed_user)", "Depends(current_user)", "Depends(fixed_user)"])
    sink = vulnerable.split("\n").index("def v1(user: str = Depends(current_user)):") + 1
    assert not warm.analyse_file(safe, "deps.py")
    assert [(f.rule_id, f.span.start_line) for f in warm.analyse_file(vulnerable, "deps.py")] == [
        ("BST202", sink)]
    assert not warm.analyse_file(safe, "deps.py")
