"""A guard helper's summary is run again with its parameters as normalized paths only when its
body names a path containment test (helper_guards._reads): for generated helpers, the proofs
are those of running it again always (property, hypothesis)."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint import helper_guards
from bastion.analyzers.taint.analysis import analyse_module
from bastion.analyzers.taint.model_files import load_models

HEADER = """import os
from pathlib import Path

BASE = "/srv/files"
ROOT = Path(BASE)
ALLOWED = {"a", "b"}


def check(p):
"""
TESTS = ("p.startswith(BASE + os.sep)", "os.path.commonpath([BASE, p]) == BASE", "BASE in p.parents",
         "p.is_relative_to(ROOT)", "p.isdigit()", "p in ALLOWED", "real.startswith(BASE + os.sep)",
         "not p", "real.is_relative_to(ROOT)")
STATEMENTS = st.one_of(
    st.sampled_from(("real = os.path.realpath(p)", "real = Path(p).resolve()", "p.relative_to(ROOT)")),
    st.tuples(st.sampled_from(TESTS), st.booleans(), st.booleans()).map(
        lambda t: f"if {'not ' if t[1] else ''}({t[0]}):\n        return {t[2]}"))
MODELS = load_models()


def _proves(text: str) -> tuple:
    result = analyse_module(ast.parse(text), MODELS)
    return next(o.summary.proves for o in result.outcomes if o.function == "check")


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(STATEMENTS, max_size=4), st.sampled_from(TESTS))
def test_the_containment_filter_loses_no_proof(body, last):
    text = HEADER + "".join(f"    {s}\n" for s in body) + f"    return {last}\n"
    filtered = _proves(text)
    reads = helper_guards._reads
    helper_guards._reads = lambda node: (reads(node)[0], True)
    try:
        assert _proves(text) == filtered, text
    finally:
        helper_guards._reads = reads
