"""A long function's calls kept statement by statement by their lines (taint/helpers.py): seeded
edits replayed through one memo, each text parsed anew as the block parser parses the edited
function, answer what a fresh walk of the same tree answers; a statement walked again only when
its lines changed."""

from __future__ import annotations

import ast
import random

import pytest

from bastion.analyzers.taint import helpers
from bastion.engine.cache import LRU

NAMES = ("request", "req", "data", "self.request", "self.form", "item", "x")
CALLEES = ("load", "parse", "Job.from_request", "audit", "helper", "obj.save")


def _statement(rng: random.Random) -> str:
    callee, name = rng.choice(CALLEES), rng.choice(NAMES)
    shapes = (f"{callee}({name})", f"v = {callee}({rng.choice(NAMES)}, {name})",
              f"{callee}(key={name})", f"if {name}:\n        {callee}(1, {name})",
              f"a = {callee}({name}); b = {rng.choice(CALLEES)}({rng.choice(NAMES)})",
              f"s = '''{callee}(\n{name})'''", f"{callee}(*{name})", f"w = ({callee}(\n        {name}))")
    return rng.choice(shapes)


def _source(rng: random.Random, statements: int) -> list[str]:
    lines = ["import os", "", "@app.route('/x')", f"def view({rng.choice(NAMES[:3])}, pk=load(x)):"]
    for _ in range(statements):
        lines.extend(("    " + _statement(rng)).split("\n"))
    return [*lines, "    return None", "", "def after():", "    audit(req)", ""]


def _edit(rng: random.Random, lines: list[str]) -> None:
    body = [n for n, line in enumerate(lines) if line.startswith("    ") and 4 <= n < len(lines) - 4]
    at, how = rng.choice(body), rng.randrange(5)
    if how == 0:
        lines[at] += "  # " + rng.choice("abc")
    elif how == 1:
        lines[at:at] = ("    " + _statement(rng)).split("\n")
    elif how == 2 and lines[at].rstrip().endswith(")"):
        for old in NAMES:  # the same lines, columns and callee: one argument renamed
            if old in lines[at]:
                lines[at] = lines[at].replace(old, rng.choice(NAMES), 1)
                break
    elif how == 3:
        for old in CALLEES:
            if old in lines[at]:
                lines[at] = lines[at].replace(old, rng.choice(CALLEES), 1)
                break
    else:
        lines.insert(at, "")


def _view(tree: ast.Module) -> ast.FunctionDef:
    return next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "view")


def _replay(seed: int, edits: int, walked: list[ast.AST]) -> int:
    """Checks each edit's answers; the count of statements walked but for a new source's first
    two texts (the first walked whole, the next statement by statement)."""
    rng = random.Random(seed)
    lines, memo, again, new = _source(rng, 60), LRU(4096), 0, 2
    for edit in range(edits):
        text = "\n".join(lines)
        try:
            tree = ast.parse(text)
        except SyntaxError:
            lines, new = _source(rng, 60), 2
            continue
        node = _view(tree)
        fresh_calls, fresh_handed = helpers._walked(node)
        walked.clear()
        handed = helpers.handed(node, memo, text)
        again += 0 if new else sum(isinstance(n, ast.stmt) for n in walked)
        new = max(new - 1, 0)
        assert sorted(handed, key=repr) == sorted(fresh_handed, key=repr), (seed, edit)
        names = sorted(fresh_calls | {"view", "after", "nothing"})
        assert helpers.called_here(names, tree, memo, text) == helpers.called_here(names, tree, None)
        _edit(rng, lines)
    return again


@pytest.mark.parametrize("seed", range(6))
def test_kept_statements_answer_as_a_fresh_walk(seed, monkeypatch):
    walked: list[ast.AST] = []
    real = helpers._walked
    monkeypatch.setattr(helpers, "_walked", lambda node: walked.append(node) or real(node))
    assert _replay(seed, 60, walked) < 60 * 3  # a keystroke walks what it edited, not the function


def test_a_kept_statement_is_not_walked_again(monkeypatch):
    lines = _source(random.Random(9), 60)
    text = "\n".join(lines)
    memo = LRU(4096)
    helpers.handed(_view(ast.parse(text)), memo, text)  # walked whole: met the first time
    helpers.handed(_view(ast.parse(text)), memo, text)  # a new node of it: kept by statement
    walked: list[ast.AST] = []
    real = helpers._walked
    monkeypatch.setattr(helpers, "_walked", lambda node: walked.append(node) or real(node))
    at = next(n for n, line in enumerate(lines) if n > 20 and line.startswith("    ") and "'''" not in line)
    lines[at] += "  # typed"
    text = "\n".join(lines)
    helpers.handed(_view(ast.parse(text)), memo, text)
    statements = [n for n in walked if isinstance(n, ast.stmt)]
    assert len(statements) == 1 and statements[0].lineno == at + 1


@pytest.mark.parametrize("text", [
    "\r\n".join(_source(random.Random(3), 60)),  # `\r` counts lines the find does not
    "\n" * 3 + "\n".join(_source(random.Random(3), 60)),  # not the tree's text
    "\n".join(_source(random.Random(3), 60)).replace("def view(", "def other("),
])
def test_text_that_does_not_place_the_tree_is_not_read(text):
    node = _view(ast.parse("\n".join(_source(random.Random(3), 60))))
    assert helpers._line_starts(node, text) is None
    assert helpers._line_starts(node, "\n".join(_source(random.Random(3), 60))) is not None
