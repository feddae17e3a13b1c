"""The relevance step (relevance.py) reads the answers a function's node keeps from the last
text (`CalleeMemo.kept_reads`) and searches only the others: over a document edited one
function at a time, parsed by the block parser (which reuses the nodes of the functions an edit
left alone), `relevant_functions` equals its answer for the text parsed afresh with no cache."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_texts
from bastion.analyzers.taint.relevance import relevant_functions
from bastion.engine.cache import LRU

MODELS = load_models()
HEADER = "import os, subprocess\nfrom flask import request\n"
# Each reads a source, holds a call a judged pattern flags, names one in a comment, or neither.
STATEMENTS = ["x = request.args['q']", "subprocess.call(a, shell=True)", "x = eval(a)",
              "# request.args", "x = 'select a from t'", "x = a + 1", "x = input()", "x = run(a)"]


def _module(bodies: list[int]) -> str:
    functions = [f"def f{n}(a):\n    {STATEMENTS[body]}\n    return a\n" for n, body in enumerate(bodies)]
    # a class: its methods are relevant with an `__init__` that reads a source
    functions.append(f"class C:\n    def __init__(self, a):\n        {STATEMENTS[bodies[0]]}\n"
                     "        pass\n\n    def m(self):\n        return 1\n")
    return HEADER + "\n".join(functions)


def _fresh(text: str) -> set[str]:
    module = module_context(ast.parse(text), MODELS, None, None, text)
    return relevant_functions(module, CalleeMemo(module, function_texts(module, python_lines(text)),
                                                 None), MODELS)


@settings(max_examples=examples(60), deadline=None)
@given(first=st.lists(st.integers(0, len(STATEMENTS) - 1), min_size=2, max_size=5),
       edits=st.lists(st.tuples(st.integers(0, 4), st.integers(0, len(STATEMENTS) - 1)),
                      min_size=1, max_size=8))
def test_kept_answers_equal_a_fresh_search(first, edits):
    parser, cache = BlockParser(), LRU(4096)
    bodies = list(first)
    for at, body in [(0, bodies[0]), *edits]:
        bodies[at % len(bodies)] = body
        text = _module(bodies)
        module = module_context(parser.parse(text), MODELS, cache, None, text)
        memo = CalleeMemo(module, function_texts(module, python_lines(text)), cache)
        assert relevant_functions(module, memo, MODELS) == _fresh(text), text


def _named_module(functions: list[tuple[int, int]]) -> str:
    """Functions whose names may repeat: a later one hides an earlier one's node."""
    return HEADER + "\n".join(f"def g{name}(a):\n    {STATEMENTS[body]}\n    return a\n"
                              for name, body in functions)


@settings(max_examples=examples(60), deadline=None)
@given(first=st.lists(st.tuples(st.integers(0, 2), st.integers(0, len(STATEMENTS) - 1)),
                      min_size=2, max_size=5),
       edits=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2), st.integers(0, len(STATEMENTS) - 1)),
                      min_size=1, max_size=8))
def test_kept_answers_follow_a_hidden_name(first, edits):
    """Renaming a function onto an earlier one's name (or off it) keeps the earlier node but
    changes the text its name stands for: its kept answer must not be read."""
    parser, cache = BlockParser(), LRU(4096)
    functions = list(first)
    for at, name, body in [(0, *functions[0]), *edits]:
        functions[at % len(functions)] = (name, body)
        text = _named_module(functions)
        module = module_context(parser.parse(text), MODELS, cache, None, text)
        memo = CalleeMemo(module, function_texts(module, python_lines(text)), cache)
        assert relevant_functions(module, memo, MODELS) == _fresh(text), text


@settings(max_examples=examples(60), deadline=None)
@given(first=st.lists(st.tuples(st.integers(0, 3), st.integers(0, len(STATEMENTS) - 1)),
                      min_size=3, max_size=6),
       edits=st.lists(st.tuples(st.sampled_from(["enter", "delete", "line"]), st.integers(0, 10 ** 4),
                                st.integers(0, len(STATEMENTS) - 1)), min_size=1, max_size=8))
def test_answers_of_moved_functions_equal_a_fresh_search(first, edits):
    """An Enter, a deleted line or a statement typed moves the functions below it: the block
    parser hands them back as new nodes, whose answers are found by their texts (functions
    whose names repeat among them)."""
    parser, cache = BlockParser(), LRU(4096)
    text = _named_module(first)
    for kind, at, body in [("enter", 0, 0), *edits]:
        lines = text.split("\n")
        at = 3 + at % (len(lines) - 3)  # below the imports and the first `def`
        if kind == "enter":
            lines.insert(at, "")
        elif kind == "delete" and not lines[at]:
            del lines[at]
        elif kind == "line" and lines[at - 1].startswith(("def", "    ")):  # in a function
            lines.insert(at, "    " + STATEMENTS[body])
        text = "\n".join(lines)
        module = module_context(parser.parse(text), MODELS, cache, None, text)
        memo = CalleeMemo(module, function_texts(module, python_lines(text)), cache)
        assert relevant_functions(module, memo, MODELS) == _fresh(text), text
