"""A kept outcome holding a line at top level (moves.kept names its owner "", the line as it
was): nothing tells where that line is now. An edit between the function and the line (an Enter
in another function) moves the line, not the function nor its callees, and leaves the function's
cache key as it was; the outcome is analysed again, not taken with the line it held.

No outcome of tests/fixtures nor of the stdlib168 set holds such a line (their 2,600 cache entries
checked at typing115): the walk's steps are in the function or its callees. The test holds
cached_at to the rule its module's docstring states."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.moves import cached_at
from bastion.engine.cache import LRU

TEXT = "def f(x):\n    return x\n\n\nSTEP = 1\n"


class _Places:
    """A text's places where `f` stays on its first line."""

    def span(self, name: str) -> tuple[int, int] | None:
        return {"f": (0, 1)}.get(name)


def _cached(owners: tuple) -> object:
    node = ast.parse(TEXT).body[0]
    cache: LRU = LRU(8)
    outcome = object()
    cache.put(b"key", (outcome, node, owners))
    return cached_at(cache, b"key", node, _Places()), outcome


def test_an_outcome_holding_a_top_level_line_is_not_taken_where_the_line_may_have_moved():
    found, _ = _cached((("", 4, 4),))
    assert found is None


def test_an_outcome_holding_lines_of_its_own_function_alone_is_taken():
    found, outcome = _cached(())
    assert found is outcome
    found, outcome = _cached((("f", 0, 1),))
    assert found is outcome
