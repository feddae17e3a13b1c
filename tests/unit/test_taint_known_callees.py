"""`CalleeMemo.known`, the callees the analysis reads without a call, is what the memo answers
for each function whose name it holds: in a module defining each name once, its `found`; in one
defining a name twice (two nested views of one name), nothing, as a hidden definition's callees
are not its name's (callees.py)."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_texts
from bastion.engine.cache import LRU

MODELS = load_models()
HEADER = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n\n\n"
ONCE = HEADER + """def run(cmd):
    os.system(cmd)


@app.route('/a')
def view():
    return run(request.args['q'])
"""
TWICE = HEADER + """def run(cmd):
    os.system(cmd)


def register(debug):
    if debug:
        @app.route('/a')
        def view():
            return run(request.args['q'])
    else:
        @app.route('/a')
        def view():
            return view()
"""


def _memo(text: str) -> tuple:
    module = module_context(ast.parse(text), MODELS, None, None, text)
    memo = CalleeMemo(module, function_texts(module, python_lines(text)), LRU(256))
    return module, memo


def test_known_callees_are_the_memos_answers():
    for text in (ONCE, TWICE):
        module, memo = _memo(text)
        for function in module.functions:
            memo(function)
        for function in module.functions:
            if function.name in memo.known:
                assert memo.known[function.name] == memo(function), (text, function.name)
    module, memo = _memo(TWICE)
    assert len({f.name for f in module.functions}) < len(module.functions)  # a name twice
    assert memo.known == {}

