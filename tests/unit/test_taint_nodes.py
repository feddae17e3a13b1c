"""`nodes`, the taint analysis's fast walk, finds the nodes `ast.walk` yields (but the shared
expression contexts), each once, on every tree of the fixtures and of Bastion's own sources."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from bastion.analyzers.taint.nodes import nodes
from bastion.parsing import parse_code

ROOT = Path(__file__).resolve().parents[2]


def _trees():
    for folder in (ROOT / "tests" / "fixtures", ROOT / "server" / "bastion" / "analyzers"):
        for path in sorted(folder.rglob("*.py")):
            try:
                yield parse_code(path.read_text(encoding="utf-8"))
            except (SyntaxError, ValueError, UnicodeDecodeError):
                continue


def test_nodes_are_those_ast_walk_yields_each_once():
    trees = 0
    for tree in _trees():
        trees += 1
        for root in [tree, *(n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]:
            walked = Counter(id(n) for n in ast.walk(root) if not isinstance(n, ast.expr_context))
            assert Counter(id(n) for n in nodes(root)) == walked
    assert trees > 100


def test_nodes_reach_every_kind_of_field():
    tree = parse_code("match x:\n    case {'k': [a, *rest]} if a:\n        global g\n"
                      "        d = {**e, 1: f'{b!r:>{w}}'}\n"
                      "async def f(*, k=lambda: (yield)):\n    async with a as (b, c):\n"
                      "        del b[c]\n")
    kinds = {type(n).__name__ for n in nodes(tree)}
    assert kinds == {type(n).__name__ for n in ast.walk(tree)
                     if not isinstance(n, ast.expr_context)}
    assert {"MatchMapping", "MatchStar", "Global", "JoinedStr", "FormattedValue", "Yield",
            "withitem", "arguments", "Delete"} <= kinds


def test_nodes_come_in_ast_walks_order():
    """What keeps a list of what it finds (the calls handing a name on, helpers.py; argparse's
    declarations, argparse_walk.py) reads the nodes in `ast.walk`'s order, breadth first."""
    for tree in _trees():
        walked = [n for n in ast.walk(tree) if not isinstance(n, ast.expr_context)]
        found = nodes(tree)
        assert len(found) == len(walked)
        assert all(a is b for a, b in zip(found, walked, strict=True))


def test_nodes_of_a_node_built_without_its_fields():
    """A node built in code may lack fields (no `args` nor `keywords` on Python 3.11): read as
    absent, as `getattr(node, field, None)` reads them."""
    call = ast.Call(func=ast.Name(id="f"))
    assert nodes(call) == [call, call.func]
