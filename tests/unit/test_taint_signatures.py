"""Taint analysis: a function's parameters in the subsets the analysis reads (taint/signatures.py),
over every form a parameter list takes: positional-only (`/`), keyword-only (`*`), defaults
(a keyword-only one without, one of `None`), `*args`, `**kwargs`, and a lambda's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bastion.analyzers.taint import signatures
from bastion.analyzers.taint.signatures import (
    by_keyword,
    default_values,
    every,
    named,
    numbered,
    packed,
    positional,
)


def _args(source: str) -> ast.arguments:
    node = ast.parse(source).body[0]
    if isinstance(node, ast.Expr):  # a lambda
        assert isinstance(node.value, ast.Lambda)
        return node.value.args
    assert isinstance(node, ast.FunctionDef)
    return node.args


def _names(params: list[ast.arg]) -> list[str]:
    return [p.arg for p in params]


FULL = "def f(self, a, b=1, /, c=2, *rest, d, e=None, g=3, **kw): pass"
LAMBDA = "lambda x, /, y=1, *more, z, **options: x"


def test_every_form_of_a_def():
    args = _args(FULL)
    assert _names(positional(args)) == ["self", "a", "b", "c"]
    assert _names(named(args)) == ["self", "a", "b", "c", "d", "e", "g"]
    assert _names(by_keyword(args)) == ["c", "d", "e", "g"]  # not the positional-only ones
    assert _names(packed(args)) == ["rest", "kw"]
    assert _names(every(args)) == ["self", "a", "b", "c", "rest", "d", "e", "g", "kw"]
    assert numbered(args, 1) == ["a", "b", "c", "*rest", "d", "e", "g", "**kw"]
    assert numbered(args, 0)[0] == "self"


def test_defaults_by_parameter():
    """Positional defaults are right-aligned; a keyword-only one without a default (`d`) has
    none, one of `None` (`e`) has the constant."""
    found = {p.arg: ast.unparse(d) for p, d in default_values(_args(FULL)).items()}
    assert found == {"b": "1", "c": "2", "e": "None", "g": "3"}


def test_a_lambdas_parameters():
    args = _args(LAMBDA)
    assert _names(positional(args)) == ["x", "y"]
    assert _names(named(args)) == ["x", "y", "z"]
    assert _names(by_keyword(args)) == ["y", "z"]
    assert _names(every(args)) == ["x", "y", "more", "z", "options"]
    assert numbered(args, 0) == ["x", "y", "*more", "z", "**options"]
    assert {p.arg: ast.unparse(d) for p, d in default_values(args).items()} == {"y": "1"}


@pytest.mark.parametrize(("source", "all_names", "called"), [
    ("def f(): pass", [], []),
    ("def f(*args): pass", ["args"], ["*args"]),
    ("def f(**kw): pass", ["kw"], ["**kw"]),
    ("def f(*, only): pass", ["only"], ["only"]),
    ("lambda: 0", [], []),
])
def test_sparse_lists(source, all_names, called):
    """No parameter of a kind: an empty list of it. `numbered` skips only positional ones: a
    method's `*args` stays when it declares no `self` to skip, as the summaries numbered it."""
    args = _args(source)
    assert _names(every(args)) == all_names
    assert numbered(args, 1) == called
    assert positional(args) == [] and default_values(args) == {}


def _parameter_list_reads() -> set[tuple[str, str]]:
    """(module, top-level function) of every read of an `ast.arguments` kind list in the taint
    package outside signatures.py."""
    found = set()
    for path in sorted(TAINT.glob("*.py")):
        if path.name == "signatures.py":
            continue
        for top in ast.parse(path.read_text(encoding="utf-8")).body:
            found.update((path.name, getattr(top, "name", "<module>")) for node in ast.walk(top)
                         if isinstance(node, ast.Attribute) and node.attr in _KIND_LISTS
                         and isinstance(node.ctx, ast.Load))
    return found


_KIND_LISTS = frozenset({"posonlyargs", "kwonlyargs", "kw_defaults"})
TAINT = Path(signatures.__file__).resolve().parent


def test_the_taint_package_lists_parameters_only_through_signatures():
    """A new hand-written list of a function's parameters (`[*args.posonlyargs, *args.args]`)
    takes one subset or another by mistake. These read the lists on purpose, on the keystroke
    path: the first positional parameter without building a list, a keyword-only membership test,
    and a function's defaults in order without `default_values`' dict (factories.py)."""
    assert _parameter_list_reads() == {("entries.py", "first_param"), ("entry_params.py", "entry_params"),
                                       ("factories.py", "_own_calls")}
