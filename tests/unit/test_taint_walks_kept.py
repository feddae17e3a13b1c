"""A one-off scan's taint analysis keeps each walk (`nodes`) by its root while the root's tree
lives (nodes.walks_kept): the engine's passes and the summary store's read the same shared tree,
and a root walked again is not walked again. The editor's analyses keep none: its block trees
are made anew as it types."""

from __future__ import annotations

import ast
import gc
import weakref

from bastion.analyzers.taint import nodes as walks
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.nodes import nodes, walks_kept
from bastion.parsing import parse_code

TEXT = ("import subprocess\nimport sys\n\n\ndef run(arg):\n    subprocess.call(arg, shell=True)\n\n\n"
        "def main():\n    run(sys.argv[1])\n")


def _names(found: list[ast.AST]) -> list[str]:
    return [n.id for n in found if isinstance(n, ast.Name)]


def test_a_root_walked_again_in_the_scope_is_read_from_its_first_walk():
    tree = parse_code("a = b\n")
    with walks_kept():
        first = nodes(tree)
        # changed behind the memo's back (a scan's trees never are): the kept walk tells
        tree.body.append(ast.Expr(ast.Name("c", ast.Load())))
        again = nodes(tree)
    assert _names(again) == _names(first) == ["a", "b"]
    assert again is not first and again[0] is tree  # a list of the caller's own, the root first
    assert _names(nodes(tree)) == ["a", "b", "c"]  # out of the scope: walked


def test_a_kept_walk_leaves_with_its_tree():
    with walks_kept():
        tree = parse_code("def f(x):\n    return g(x)\n")
        nodes(tree)
        nodes(tree.body[0])
        held = len(walks._WALKS.store)
        dropped = weakref.ref(tree)
        del tree
        gc.collect()
        assert dropped() is None
        assert len(walks._WALKS.store) == held - 2


def test_a_scan_keeps_the_walks_of_the_tree_it_analyses_and_the_editor_none():
    tree = parse_code(TEXT)
    run = tree.body[2]
    editor = TaintAnalyzer().analyse_file(TEXT, "/p/m.py", tree)
    assert walks._WALKS.store is None or weakref.ref(run) not in walks._WALKS.store
    scan = TaintAnalyzer(incremental=False).analyse_file(TEXT, "/p/m.py", tree)
    assert weakref.ref(run) in walks._WALKS.store
    assert [(f.rule_id, f.span) for f in scan] == [(f.rule_id, f.span) for f in editor]
    assert scan, "the text holds a flow: the comparison says something"
    assert walks._WALKS.kept is None  # the scope ended with the analysis
