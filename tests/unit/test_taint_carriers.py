"""The carriers of a module's analysis (relevance.py's `Carriers`: the settled functions whose
callers are interpreted next) ask each outcome once, not once a round: over `done` growing
round by round, `Carriers.of` answers what asking every outcome answers; and a call chain
three rounds deep is followed to its sink, as a fresh analysis of each function would."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_models, load_taint_rules
from bastion.analyzers.taint.relevance import Carriers, source_holders

MODELS = load_models()


def _outcome(carries: bool, holder: bool) -> SimpleNamespace:
    kind = next(iter(source_holders(MODELS))) if holder else "str"
    return SimpleNamespace(carries_taint=lambda: carries,
                           summary=SimpleNamespace(returns=SimpleNamespace(kind=kind)))


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=4), min_size=1, max_size=4))
def test_each_round_the_carriers_are_those_of_every_outcome(rounds):
    carriers, done, holders = Carriers(MODELS), {}, source_holders(MODELS)
    for settled in rounds:
        for carries, holder in settled:
            done[f"f{len(done)}"] = _outcome(carries, holder)
        every = [name for name, o in done.items() if o.carries_taint() or o.summary.returns.kind in holders]
        assert carriers.of(done) == every


CHAIN = """import os
from flask import Flask, request
app = Flask(__name__)


def read():
    return request.args['q']


def middle():
    return read()


def outer():
    return middle()


def run():
    os.system(outer())
"""


def test_a_chain_three_rounds_deep_reaches_its_sink():
    analyzer = TaintAnalyzer(MODELS, load_taint_rules())
    found = analyzer.analyse_file(CHAIN, "app.py")
    assert [f.rule_id for f in found] == ["BST202"], found  # `run`'s, the module's one sink
    typed = CHAIN.replace("'q'", "'qq'")
    assert analyzer.analyse_file(typed, "app.py") == TaintAnalyzer(MODELS, load_taint_rules()).analyse_file(
        typed, "app.py")
