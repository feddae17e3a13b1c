"""helper_paths.py lists every way through a helper's body: for each run of a generated helper
(`if` tests of its parameters, early returns, raises, assignments, calls, a `try` of a call),
exactly one listed path agrees with the truth each of its tests had, and it returns what the
run returned; a run that raises agrees with none (property, hypothesis)."""

from __future__ import annotations

import ast
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.helper_paths import helper_paths

PARAMS = ("a", "b", "c")
TESTS = ("a", "not b", "a and c", "b or c")
LEAVES = ("return True", "return False", "return a", "raise ValueError()", "x = 1", "pass",
          "note(a)", "try:\n    check(b)\nexcept ValueError:\n    return 'handled'")


def _blocks(depth: int) -> st.SearchStrategy[list[str]]:
    statement = st.sampled_from(LEAVES) if depth == 0 else st.one_of(
        st.sampled_from(LEAVES),
        st.tuples(st.sampled_from(TESTS), _blocks(depth - 1), st.one_of(st.none(), _blocks(depth - 1)))
        .map(lambda t: f"if {t[0]}:\n" + _indent(t[1])
             + (f"else:\n{_indent(t[2])}" if t[2] is not None else "")))
    return st.lists(statement, min_size=1, max_size=4)


def _indent(block: list[str]) -> str:
    return "".join("    " + line + "\n" for s in block for line in s.splitlines())


def _run(source: str, values: dict[str, bool]) -> tuple[str, object]:
    def check(value):
        if not value:
            raise ValueError(value)
    scope = {"note": lambda _: None, "check": check}
    exec(source, scope)  # noqa: S102 (generated from the constants above)
    try:
        return "returned", scope["f"](**values)
    except ValueError:
        return "raised", None


def _agrees(path, values: dict[str, bool]) -> bool:
    if isinstance(path.returned, ast.Constant) and path.returned.value == "handled" and values["b"]:
        return False  # the handler's path: `check(b)` raised
    for step in path.steps:
        if isinstance(step, tuple) and bool(eval(ast.unparse(step[0]), {}, dict(values))) != step[1]:  # noqa: S307
            return False
        if isinstance(step, ast.Expr) and ast.unparse(step) == "check(b)" and not values["b"]:
            return False  # the call raised: this path is the handler's
    return True


@settings(max_examples=examples(300), deadline=None)
@given(_blocks(2))
def test_one_path_per_run(body):
    source = f"def f({', '.join(PARAMS)}):\n" + _indent(body)
    paths = helper_paths(ast.parse(source).body[0])
    if paths is None:  # beyond the bounds
        return
    for combination in itertools.product((False, True), repeat=len(PARAMS)):
        values = dict(zip(PARAMS, combination, strict=True))
        outcome, returned = _run(source, values)
        agreeing = [p for p in paths if _agrees(p, values)]
        if outcome == "raised":
            assert agreeing == [], source
            continue
        assert len(agreeing) == 1, (source, values)
        assert eval(ast.unparse(agreeing[0].returned), {}, dict(values)) == returned, source  # noqa: S307
