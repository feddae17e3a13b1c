"""A `NameSet` (matchers.py) has no `__bool__` or `__len__`: a call at each of the engine's many
truth tests of one cost 6 % of the calls a typed key makes. So `if entry.validated_models:` is
always true, whatever the model declares; whether a set names anything is `.exact or .globs`.
This scan of the analyzers' source finds a truth test of a model's `NameSet` field (or of a
parameter annotated `NameSet`) before it reads as a check and is not one."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import attrs

import bastion
from bastion.analyzers.taint.entry_models import EntryModel
from bastion.analyzers.taint.specs import FormModel

ANALYZERS = Path(bastion.__file__).resolve().parent / "analyzers"
FIELDS = frozenset(field.name for model in (EntryModel, FormModel) for field in attrs.fields(model)
                   if field.type == "NameSet")
# attributes named as a model's NameSet field that hold something else, which has a truth value
OTHERS = {("taint/modules.py", "self.bases"),  # the resolver's folders, a tuple
          ("taint/scoped_hooks.py", "imports.registrars")}  # a tuple of names, or None


def _tested(tree: ast.AST) -> Iterator[ast.expr]:
    """The expressions whose truth the code asks for."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            yield node.test
        elif isinstance(node, ast.BoolOp):
            yield from node.values
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node.operand
        elif isinstance(node, ast.comprehension):
            yield from node.ifs
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("any", "all", "bool", "filter") and node.args:
            last = node.args[-1]
            yield last.elt if isinstance(last, ast.GeneratorExp) else last


def _name_sets(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            declared = {arg.arg for arg in (*node.args.args, *node.args.kwonlyargs)
                        if arg.annotation is not None and ast.unparse(arg.annotation) == "NameSet"}
            found += [ast.unparse(test) for test in _tested(node)
                      if isinstance(test, ast.Name) and test.id in declared]
        elif isinstance(node, ast.Module):
            found += [ast.unparse(test) for test in _tested(node)
                      if isinstance(test, ast.Attribute) and test.attr in FIELDS]
    return found


def test_no_truth_test_of_a_name_set():
    found = [(path.relative_to(ANALYZERS).as_posix(), text) for path in sorted(ANALYZERS.rglob("*.py"))
             for text in _name_sets(path.read_text(encoding="utf-8"))]
    assert [hit for hit in found if hit not in OTHERS] == []


def test_the_scan_finds_one():
    assert FIELDS >= {"validated_models", "class_routes", "class_decorators", "clean_fields"}
    assert _name_sets("if entry.validated_models:\n    pass\n") == ["entry.validated_models"]
    assert _name_sets("x = any(e.class_routes for e in entries)\n") == ["e.class_routes"]
    assert _name_sets("def f(models: NameSet):\n    return models and 1\n") == ["models"]
    assert _name_sets("if entry.validated_models.exact or entry.validated_models.globs:\n"
                      "    pass\n") == []
