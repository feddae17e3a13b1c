"""A long function's text facts kept statement by statement by their lines (taint/text_facts.py,
`nodes.kept_by_statements`): seeded edits replayed through one memo, each text parsed anew as
the block parser parses the edited function, answer what a fresh walk of the same tree answers,
on generated views and on every function of the stdlib set, edited; a statement is walked
again only when its lines changed."""

from __future__ import annotations

import ast
import random
import sysconfig
from pathlib import Path

import pytest

from bastion.analyzers.taint import text_facts as facts_module
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.text_facts import text_facts
from bastion.engine.cache import LRU
from bastion.model.text import text_lines

STDLIB = Path(sysconfig.get_paths()["stdlib"])
RECEIVERS = ("self", "cls", "obj", "super()", "request")
NAMES = ("load", "parse", "audit", "run", "save")


def _statement(rng: random.Random) -> str:
    owner, name, other = rng.choice(RECEIVERS), rng.choice(NAMES), rng.choice(NAMES)
    shapes = (f"{owner}.{name}({other})", f"v = {name}({owner}.{other})", f"self.{name} = {other}(1)",
              f"self.{name}.append({other})", f"if {other}:\n        {owner}.{name}(key={other})",
              f"a = {name}(x); self.{other} = {owner}.{name}()", f"s = '''{name}(\n{other})'''",
              f"w = ({owner}.{name}(\n        self.{other}))", f"executor.submit(self.{name}, {other})")
    return rng.choice(shapes)


def _source(rng: random.Random, statements: int) -> list[str]:
    lines = ["import os", "", "class View(Base):", "    @route(audit('/x'))",
             "    def view(self, pk=load(x)) -> parse(y):"]
    for _ in range(statements):
        lines.extend(("        " + _statement(rng).replace("\n", "\n    ")).split("\n"))
    return [*lines, "        return None", "", "def after():", "    audit(req)", ""]


def _edit(rng: random.Random, lines: list[str]) -> None:
    """One of: a line deleted, a blank line, a comment typed, a statement inserted, one name
    changed for another of its length (the same lines and columns)."""
    how = rng.randrange(5)
    at = rng.choice([n for n, line in enumerate(lines[:-4]) if n >= 5 and line.startswith("        ")])
    if how == 0:
        del lines[at]
    elif how == 1:
        lines.insert(at, "")
    elif how == 2:
        lines[at] += "  # " + rng.choice("abc")
    elif how == 3:
        lines[at:at] = ("        " + _statement(rng).replace("\n", "\n    ")).split("\n")
    else:
        for old in (*NAMES, *RECEIVERS):
            if old in lines[at]:
                lines[at] = lines[at].replace(old, rng.choice([n for n in (*NAMES, *RECEIVERS)
                                                               if len(n) == len(old)]), 1)
                break


def _methods(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _view(tree: ast.Module) -> ast.FunctionDef:
    return next(n for n in _methods(tree) if n.name == "view")


def _check(text: str, memo: LRU) -> int:
    """Each function's facts through `memo` as a fresh walk's; how many functions it checked."""
    tree, lines = ast.parse(text), text_lines(text)
    functions = _methods(tree)
    for node in functions:
        function = Function(node, node.name)  # names repeat: a name's statements are another's
        assert text_facts(function, None, memo, lines) == text_facts(function, None), node.lineno
    return len(functions)


@pytest.mark.parametrize("seed", range(6))
def test_kept_statements_answer_as_a_fresh_walk(seed, monkeypatch):
    walked: list[ast.AST] = []
    real = facts_module._walked
    monkeypatch.setattr(facts_module, "_walked", lambda node: walked.append(node) or real(node))
    rng = random.Random(seed)
    lines, memo, again, new = _source(rng, 60), LRU(4096), 0, 2
    for _ in range(60):
        text = "\n".join(lines)
        try:
            ast.parse(text)
        except SyntaxError:
            lines, new = _source(rng, 60), 2
            continue
        walked.clear()
        _check(text, memo)
        # the statements walked again, not the functions the fresh walks walk whole
        again += 0 if new else sum(isinstance(n, ast.stmt) and not isinstance(n, ast.FunctionDef)
                                   for n in walked)
        new = max(new - 1, 0)
        _edit(rng, lines)
    assert again < 60 * 3  # a keystroke walks what it edited, not the function


def test_a_kept_statement_is_not_walked_again(monkeypatch):
    lines = _source(random.Random(9), 60)
    memo = LRU(4096)
    walked: list[ast.AST] = []
    real = facts_module._walked
    monkeypatch.setattr(facts_module, "_walked", lambda node: walked.append(node) or real(node))
    node = _view(ast.parse("\n".join(lines)))
    text_facts(Function(node, "View.view"), None, memo, lines)
    assert walked == [node]  # met the first time (a scan's): walked whole, no statement kept
    text_facts(Function(_view(ast.parse("\n".join(lines))), "View.view"), None, memo, lines)
    assert len(walked) > 60  # its next text's statements, each kept
    walked.clear()
    at = next(n for n, line in enumerate(lines) if n > 20 and line.startswith("        ")
              and "'''" not in line and not line.endswith(("(", "'", ":")))
    lines[at] += "  # typed"
    node = _view(ast.parse("\n".join(lines)))
    text_facts(Function(node, "View.view"), None, memo, lines)
    statements = [n for n in walked if isinstance(n, ast.stmt)]
    assert len(statements) == 1 and statements[0].lineno == at + 1


def _edited(text: str, rng: random.Random, shapes: int = 3) -> str:
    """`text` with three lines of each long function changed: a comment typed, a statement's
    line repeated, `self` renamed (`shapes` 1: comments alone, which always parse)."""
    lines = text_lines(text)
    for node in sorted(_methods(ast.parse(text)), key=lambda n: -n.lineno):
        if node.end_lineno - node.lineno < 40:
            continue
        for _ in range(3):
            at = rng.randrange(node.body[0].lineno - 1, node.end_lineno)
            line, how = lines[at], rng.randrange(shapes)
            if line.rstrip().endswith("\\"):
                continue
            if how == 0:
                lines[at] += "  # x"
            elif how == 1 and not line.rstrip().endswith(":"):
                lines.insert(at, line)
            else:
                lines[at] = line.replace("self.", "obj.", 1).replace("(self", "(other", 1)
    edited = "\n".join(lines)
    try:
        ast.parse(edited)
    except SyntaxError:  # a line repeated inside a bracket or after a continued line
        return _edited(text, rng, 1)
    return edited


# the stdlib set of the equivalence checks: the first 168 modules of the standard library's top
# level, by name
SET = sorted(STDLIB.glob("*.py"))[:168]


@pytest.mark.parametrize("part", range(4))
def test_every_function_of_the_stdlib_set_edited_answers_as_a_fresh_walk(part):
    rng, checked = random.Random(part), 0
    for path in SET[part::4]:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        memo = LRU(4096)
        checked += _check(text, memo)
        checked += _check(_edited(text, rng), memo)
    assert checked > 1000
