"""`kept_parts` when a keystroke changes the number of top-level definitions (a `def` typed, two
joined): the very nodes of the unchanged start and end keep their last parts, the others are
asked anew, and the parts equal those asked of every definition (context_parts.py)."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.context_parts import kept_parts
from bastion.engine.cache import LRU


def _definition(name: str) -> ast.stmt:
    return ast.parse(f"def {name}():\n    pass\n").body[0]


def _asked(memo: LRU, definitions: list[ast.stmt], key: object = None) -> tuple[list, list[str]]:
    asked: list[str] = []

    def part(node: ast.stmt) -> tuple[str, int]:
        asked.append(node.name)
        return (node.name, id(node))
    return kept_parts(memo, b"test", key, definitions, part), asked


def test_a_definition_typed_between_others_is_the_only_one_asked():
    memo = LRU(16)
    a, b, c, d = map(_definition, "abcd")
    _asked(memo, [a, b, c, d])
    new = _definition("new")
    parts, asked = _asked(memo, [a, b, new, c, d])
    assert asked == ["new"]
    assert parts == [(n.name, id(n)) for n in (a, b, new, c, d)]
    parts, asked = _asked(memo, [a, c, d])  # `b` and `new` joined into `c`'s node
    assert asked == []
    assert parts == [(n.name, id(n)) for n in (a, c, d)]


def test_another_key_asks_every_definition_again():
    memo = LRU(16)
    a, b = map(_definition, "ab")
    _asked(memo, [a, b], key=1)
    assert _asked(memo, [a, b, _definition("c")], key=2)[1] == ["a", "b", "c"]


# each step: a position and either a new definition there or the one there dropped
STEP = st.tuples(st.integers(0, 10 ** 6), st.booleans(), st.booleans())


@settings(max_examples=examples(200), deadline=None)
@given(st.integers(0, 6), st.lists(STEP, min_size=1, max_size=10))
def test_kept_parts_equal_every_definition_asked(start, steps):
    """Random insertions, removals and replacements of definitions (nodes by identity): the parts
    kept equal those asked of each, and no node met at the end that was there before is asked."""
    memo = LRU(16)
    definitions = [_definition(f"f{i}") for i in range(start)]
    _asked(memo, definitions)
    made = start
    for at, insert, replace in steps:
        at %= len(definitions) + 1
        if insert or not definitions:
            definitions = [*definitions[:at], _definition(f"f{made}"), *definitions[at:]]
            made += 1
        elif replace:
            at %= len(definitions)
            definitions = [*definitions[:at], _definition(f"f{made}"), *definitions[at + 1:]]
            made += 1
        else:
            at %= len(definitions)
            definitions = [*definitions[:at], *definitions[at + 1:]]
        parts, _ = _asked(memo, definitions)
        assert parts == [(n.name, id(n)) for n in definitions]
