"""States that know what was written in them since they were forked (states.py): on random
walks of forks, writes, deletions, joins and comparisons, every `State` holds what a plain dict
put through the same steps holds, and the joins and `same_env` of states answer as the
name-by-name join and comparison of those dicts do, in the same key order. A write into a state
after it was forked (a `finally` run in the state a handler started from, a branch written into
the state before it) and plain dicts among the states (a guard's `{**env, name: value}`) are
among the steps. About a fifth of such walks' joins take the short way (only the names written
since the state both sides come from; the rest meet a state written after its fork, or a plain
dict); a test below joins with the full comparison taken away."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.unit.test_taint_env_join import _identical, _joined_by_name

from bastion.analyzers.taint import environments, states
from bastion.analyzers.taint.domain import Origin, Step, constant, source
from bastion.analyzers.taint.environments import _same, join_env, same_env
from bastion.analyzers.taint.states import State, fork, since_common

POOL = [constant(n) for n in ("a", "b", 1, None)] + [
    source(Origin("remote", "Request data", n, n), Step(n, 0, n, 1, "read")) for n in range(3)]
KEYS = [f"v{n}" for n in range(8)] + ["[request.args]['q']", "[request.form]['p']", "self.x"]


@pytest.fixture(autouse=True)
def _small_states_tracked(monkeypatch):
    """Every state a `State`, however few its names (the walk tracks only large ones)."""
    monkeypatch.setattr(states, "_TRACKED_FROM", 0)


def _same_by_name(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.keys() == b.keys() and all(_same(v, b[k]) for k, v in a.items())


def _agree(state: dict, plain: dict) -> None:
    assert list(state) == list(plain)
    assert all(_identical(state[k], plain[k]) for k in state)


STEPS = st.lists(st.tuples(
    st.sampled_from(("set", "delete", "pop", "fork", "plain", "join", "join3", "same", "update")),
    st.integers(0, 50), st.integers(0, 50), st.sampled_from(KEYS), st.sampled_from(POOL)),
    min_size=1, max_size=60)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(POOL), max_size=8), STEPS)
def test_states_hold_and_join_as_plain_dicts_do(start, steps):
    states: list[dict] = [fork(start)]
    plains: list[dict] = [dict(start)]
    for op, i, j, key, value in steps:
        i, j = i % len(states), j % len(states)
        state, plain = states[i], plains[i]
        if op == "set":  # a bind, or a `finally` writing into a state already forked
            state[key] = value
            plain[key] = value
        elif op in ("delete", "pop") and key in plain:
            if op == "delete":
                del state[key]
            else:
                state.pop(key)
            del plain[key]
        elif op == "update":
            state.update({key: value})
            plain.update({key: value})
        elif op == "fork":
            states.append(fork(state))
            plains.append(dict(plain))
        elif op == "plain":  # a guard's narrowed copy: no history
            states.append({**state, key: value})
            plains.append({**plain, key: value})
        elif op in ("join", "join3"):
            others = (i, j) if op == "join" else (i, j, (i + j) % len(states))
            states.append(join_env(*(states[n] for n in others)))
            plains.append(_joined_by_name(*(plains[n] for n in others)))
        elif op == "same":
            assert same_env(states[i], states[j]) == _same_by_name(plains[i], plains[j])
        for n in (i, j, -1):
            _agree(states[n], plains[n])


def test_a_branch_and_the_state_it_left_compare_only_what_the_branch_wrote(monkeypatch):
    before = fork({f"v{n}": constant(n) for n in range(50)})
    branch = fork(before)
    branch["v3"] = POOL[4]
    branch["new"] = POOL[5]
    assert since_common(before, branch) == (before, {"v3", "new"})
    monkeypatch.setattr(environments, "_join_scanned", None)  # the short way or nothing
    joined = join_env(branch, before)
    assert list(joined) == list(branch) and joined["v3"].taint and joined["v7"] is before["v7"]
    assert same_env(joined, join_env(joined, before))


def test_a_state_written_after_it_was_forked_is_compared_whole():
    """`try: return ... finally: x = ...`: the state the handler forked is written into
    afterwards; its forks no longer say where they differ from it."""
    before = fork({"a": POOL[0], "b": POOL[1]})
    handler = fork(before)
    handler["a"] = POOL[4]
    before["b"] = POOL[5]  # written after the fork
    assert since_common(before, handler) is None
    joined = join_env(handler, before)
    assert joined["b"].taint and joined["a"].taint
    assert type(joined) is State


def test_a_small_state_is_a_plain_dict(monkeypatch):
    monkeypatch.setattr(states, "_TRACKED_FROM", 40)
    assert type(fork({"a": POOL[0]})) is dict
    large = fork({f"v{n}": POOL[0] for n in range(40)})
    assert type(large) is State and fork(large).base is large
