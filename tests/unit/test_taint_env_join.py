"""The join of states (environments.py), which finds the values that differ by comparing
identities in C: on random states that meet as a walk's do (branches of one state: its keys in
its order, some values replaced, names added, request items dropped; or keys reordered), the
same keys in the same order (the first state's, then the names the others add, in their order),
and the same values, as a name-by-name comparison; `same_env` as one."""

from __future__ import annotations

import random

import pytest

from bastion.analyzers.taint.domain import Origin, Step, constant, join, source
from bastion.analyzers.taint.environments import join_env, same_env

POOL = [constant(n) for n in ("a", "b", 1, None)] + [
    source(Origin("remote", "Request data", n, n), Step(n, 0, n, 1, "read")) for n in range(3)]


def _joined_by_name(*envs):
    """The join read name by name: every name of any state, but a request item (`[`) only if
    every state holds it; a value the states share is kept as it is."""
    live = [e for e in envs if e is not None]
    if not live:
        return None
    out = live[0]
    for other in live[1:]:
        merged = {}
        for key in [*out, *(k for k in other if k not in out)]:
            if key[0] == "[" and not (key in out and key in other):
                continue
            mine, value = out.get(key), other.get(key)
            merged[key] = value if mine is None else mine if value is None or mine is value \
                else join(mine, value)
        out = merged if other is not out else out
    return out


def _identical(a, b) -> bool:
    return all(getattr(a, slot) == getattr(b, slot) for slot in a.__slots__ if slot != "items") \
        and (a.items is None) == (b.items is None) \
        and (a.items is None or a.items.keys() == b.items.keys()
             and all(_identical(v, b.items[k]) for k, v in a.items.items()))


def _branch(rng: random.Random, env: dict) -> dict:
    out = dict(env)
    for key in rng.sample(list(out), k=min(len(out), rng.randrange(4))):
        if key[0] == "[" and rng.random() < 0.5:
            del out[key]
        else:
            out[key] = rng.choice(POOL)
    for n in range(rng.randrange(3)):
        out[rng.choice(("", "[request.args]")) + f"new{rng.randrange(6)}_{n}"] = rng.choice(POOL)
    if rng.random() < 0.2:  # another order: a name bound again after a deletion
        items = list(out.items())
        rng.shuffle(items)
        out = dict(items)
    return out


@pytest.mark.parametrize("seed", range(400))
def test_the_join_is_the_name_by_name_join(seed):
    rng = random.Random(seed)
    base = {f"{rng.choice(('', '[request.form]'))}v{n}": rng.choice(POOL)
            for n in range(rng.randrange(1, 60))}
    states = [_branch(rng, base) for _ in range(rng.randrange(1, 4))]
    joined, expected = join_env(*states), _joined_by_name(*states)
    assert list(joined) == list(expected)
    assert all(_identical(joined[k], expected[k]) for k in joined)
    assert same_env(joined, dict(joined)) and same_env(states[0], states[0].copy())
    changed = dict(joined)
    for key in rng.sample(list(changed), k=min(len(changed), 2)):
        changed[key] = changed[key].evolve(kind="another")
        assert not same_env(joined, changed)
