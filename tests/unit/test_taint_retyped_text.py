"""With workspace summaries (the editor), a text the taint analyzer met before (typed back over)
is found by the imports it kept of that text, not parsed again (analyzer.py, `Imports`): its
results equal those of an analyzer without caches, while the workspace's summaries are
published, go stale and change between the visits."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.modules import ModuleResolver, import_table
from bastion.analyzers.taint.workspace import SummaryStore
from bastion.analyzers.taint.workspace_entries import imports_of, reads_scoped

HELPERS = [
    "from flask import request, g\nimport os\n\ndef run(cmd):\n    os.system(cmd)\n\n"
    "def user_input():\n    return request.args['q']\n\ndef remember():\n    g.name = request.args['n']\n",
    "import shlex\n\ndef run(cmd):\n    return shlex.quote(cmd)\n\ndef user_input():\n    return 'x'\n\n"
    "def remember():\n    pass\n",
]
HEADS = ["import helpers", "from helpers import run, user_input",
         "try:\n    from helpers import run\nexcept ImportError:\n    run = None", "import os"]
VIEWS = ["@app.route('/a')\ndef a():\n    helpers.run(request.args['x'])",
         "@app.route('/b')\ndef b():\n    run(user_input())",
         "@app.route('/c')\ndef c():\n    helpers.remember()\n    os.system(g.name)",
         "@app.route('/d')\ndef d():\n    run(request.args['y'"]  # being typed: does not parse


def _text(heads: tuple[int, ...], views: tuple[int, ...]) -> str:
    return "\n".join(["import os", "from flask import Flask, request, g", *(HEADS[i] for i in heads),
                      "app = Flask(__name__)", *(VIEWS[i] for i in views)]) + "\n"


TEXTS = [_text((0,), (0, 2)), _text((1,), (1,)), _text((2,), (1, 3)), _text((0, 1), (0, 1, 2)),
         _text((3,), (0,)), _text((0,), (0, 2, 3))]
WARM, COLD = TaintAnalyzer(), TaintAnalyzer()


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("retyped")


steps = st.lists(st.one_of(st.tuples(st.just("analyse"), st.integers(0, len(TEXTS) - 1)),
                           st.tuples(st.just("prepare"), st.integers(0, len(TEXTS) - 1)),
                           st.tuples(st.just("helpers"), st.integers(0, len(HELPERS) - 1))),
                 min_size=1, max_size=10)


@settings(max_examples=examples(120), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@example([("prepare", 0), ("analyse", 0), ("helpers", 1), ("analyse", 1), ("analyse", 0)])
@example([("prepare", 0), ("analyse", 0), ("helpers", 1), ("prepare", 0), ("analyse", 0)])
@given(steps=steps)
def test_a_text_met_again_gives_the_results_of_a_fresh_analysis(root, steps):
    (root / "helpers.py").write_text(HELPERS[0])
    path = str(root / "views.py")
    store = SummaryStore([str(root)], WARM.models, WARM.version, compute=False)
    WARM.forget()
    WARM.workspace = COLD.workspace = store
    try:
        for action, index in steps:
            if action == "prepare":
                store.prepare(TEXTS[index], path)
            elif action == "helpers":
                (root / "helpers.py").write_text(HELPERS[index])
                store.changed(str(root / "helpers.py"))
            else:
                text = TEXTS[index]
                COLD.forget()
                expected = (COLD.analyse_file(text, path), COLD.left_out(text, path))
                assert (WARM.analyse_file(text, path), WARM.left_out(text, path)) == expected
    finally:
        WARM.workspace = COLD.workspace = None


def test_a_text_met_again_is_not_parsed_again(root):
    (root / "helpers.py").write_text(HELPERS[0])
    path = str(root / "views.py")
    WARM.forget()
    WARM.workspace = SummaryStore([str(root)], WARM.models, WARM.version, compute=False)
    parsed = []
    parse = WARM._parser.parse
    WARM._parser.parse = lambda text, whole=None: parsed.append(text) or parse(text, whole)
    try:
        for text in [TEXTS[0], TEXTS[1], *TEXTS[2:], TEXTS[0], TEXTS[1]]:
            WARM.analyse_file(text, path)
    finally:
        del WARM._parser.parse
        WARM.workspace = None
    assert parsed == TEXTS


@pytest.mark.parametrize("text", [
    *TEXTS, "import flask\nif x:\n    import helpers\nelse:\n    from . import helpers",
    "from flask import g as h, request\nfrom helpers import *"])
def test_the_imports_kept_are_those_the_tree_gives(root, text):
    (root / "helpers.py").write_text(HELPERS[0])
    (root / "__init__.py").write_text("")
    tree = BlockParser().parse(text)
    resolver = ModuleResolver([str(root)])
    kept = imports_of(tree, text)
    path = str(root / "views.py")
    assert import_table(kept.statements, path, resolver) == import_table(tree, path, resolver, text)
    assert kept.flask_g == reads_scoped(tree)
