"""The check of a stored rule table's shape (`rule_tables._is_toml`), read a level at a time,
answers as the plain reading, an item and its depth at a time, answers: on any nesting of
TOML's values and of what no TOML document holds, and at the depth limit."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.rule_tables import _MAX_DEPTH, _is_toml

_SCALARS = (str, int, float, bool)


def _plain(value: object) -> bool:
    """The reading before the level-at-a-time one."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is dict:
            if depth >= _MAX_DEPTH or not all(type(key) is str for key in item):
                return False
            stack.extend((child, depth + 1) for child in item.values())
        elif kind is list:
            if depth >= _MAX_DEPTH:
                return False
            stack.extend((child, depth + 1) for child in item)
        elif kind not in _SCALARS:
            return False
    return True


class _Table(dict):
    pass


_LEAVES = st.one_of(st.text(max_size=3), st.integers(), st.floats(allow_nan=False), st.booleans(),
                    st.none(), st.just(datetime.date(2024, 1, 1)), st.just((1,)), st.just(b"x"))
_KEYS = st.one_of(st.text(max_size=3), st.text(max_size=3), st.integers(0, 3), st.none())
_VALUES = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4),
    st.dictionaries(st.text(max_size=3), inner, max_size=4),
    st.dictionaries(st.text(max_size=3), inner, max_size=2).map(_Table)), max_leaves=25)


@settings(max_examples=examples(500))
@given(_VALUES)
def test_the_level_reading_answers_as_the_plain_one(value):
    assert _is_toml(value) == _plain(value)


@given(st.lists(st.sampled_from(["list", "dict"]), min_size=_MAX_DEPTH - 2, max_size=_MAX_DEPTH + 2),
       st.sampled_from([1, None, "s", [], {}]))
def test_at_the_depth_limit_both_readings_agree(kinds, bottom):
    value: object = bottom
    for kind in kinds:
        value = [value, "x"] if kind == "list" else {"k": value, "n": 1}
    assert _is_toml(value) == _plain(value)
    assert _is_toml({"a": 1, "b": [value]}) == _plain({"a": 1, "b": [value]})
