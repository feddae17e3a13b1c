"""Abstract states: a function's environment (name or `self.field` path -> value) at a point,
and the join of the states that meet after a branch, a loop or a `try`.

States that meet share most of their values (a branch changes a few names of many): when both
come from one state unchanged since (states.py), only the names either wrote are compared;
otherwise the values that differ are found by comparing identities in C (`compress` over
`map(is_not, ...)`). A long function's states hold a name per variable it has bound so far, and
each `if`, loop and `try` joins them.
"""

from __future__ import annotations

from itertools import compress
from operator import is_not

from bastion.analyzers.taint.domain import UNKNOWN, Value, join
from bastion.analyzers.taint.states import State, descended, fork, since_common


def join_env(*envs: dict | None) -> dict | None:
    """The states joined. A request item a read kept (`[request.args]['n']`, request_items.py)
    stays only if every state holds it: a state without it reads the item afresh."""
    out = None
    for other in envs:  # the first state met is `out`: no list of the live ones (~130 joins a view)
        if other is None or other is out:
            continue
        if out is None:
            out = other
            continue
        common = since_common(out, other)
        out = _join_scanned(out, other) if common is None else _join_written(out, other, *common)
    return out


def _join_written(out: State, other: State, base: State, written: set) -> State:
    """`out` and `other` joined, both `base` but at `written` (states.py): the same state,
    in the same order, as `_join_scanned` makes."""
    merged = descended(out, base, set(written))
    added = []
    for key in written:  # tested and read by the operators: no call of `get` a name
        mine = out[key] if key in out else None
        theirs = other[key] if key in other else None
        if mine is theirs:
            continue
        if theirs is None:
            if key[0] == "[":
                dict.__delitem__(merged, key)
        elif mine is None:
            if key[0] != "[":
                added.append(key)
        else:
            dict.__setitem__(merged, key, join(mine, theirs))
    if len(added) > 1:  # in `other`'s order, as a walk through it adds them
        order = {key: n for n, key in enumerate(other)}
        added.sort(key=order.__getitem__)
    for key in added:
        dict.__setitem__(merged, key, other[key])
    return merged


def _join_scanned(out: dict, other: dict) -> dict:
    """`out` and `other` joined by comparing every name (no history says where they differ);
    a fork of `out`, so that what comes of it has one."""
    merged = fork(out)
    keys = list(other)
    if _aligned(out, keys):
        # Branches of one state keep its key order: walk both in step, new keys last.
        for key in compress(keys, map(is_not, out.values(), other.values())):
            merged[key] = join(out[key], other[key])
        if len(keys) >= len(out):
            for key in keys[len(out):]:
                if key[0] != "[":
                    merged[key] = other[key]
        else:
            for key in list(out)[len(keys):]:
                if key[0] == "[":
                    del merged[key]
    else:
        # Keys in another order (a branch kept a request item the other did not, and every
        # key after it shifted): the values that differ or that `out` lacks, still found
        # by identity in C (`map(out.get, ...)` gives None for a key `out` lacks).
        found = len(keys)
        for key in compress(keys, map(is_not, map(out.get, keys), other.values())):
            mine = out.get(key)
            if mine is None:
                found -= 1
                if key[0] != "[":
                    merged[key] = other[key]
            else:
                merged[key] = join(mine, other[key])
        if len(out) > found:  # `out` has keys `other` lacks
            for key in out.keys() - other.keys():
                if key[0] == "[":
                    del merged[key]
    return merged


def _aligned(env: dict, keys: list[str]) -> bool:
    """Whether `env`'s keys and `keys` start alike, up to the shorter."""
    if len(keys) >= len(env):
        return list(env) == keys[:len(env)]
    return list(env)[:len(keys)] == keys


def _same(a: Value, b: Value) -> bool:
    if a is b:
        return True
    if (a.taint != b.taint or a.clean != b.clean or a.kind != b.kind
            or (a.const is UNKNOWN) != (b.const is UNKNOWN)):
        return False
    if (a.items is None) != (b.items is None):
        return False
    if a.items is not None:
        return a.items.keys() == b.items.keys() and all(_same(v, b.items[k]) for k, v in a.items.items())
    return True


def same_env(a: dict | None, b: dict | None) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    common = since_common(a, b)
    if common is not None:  # equal but where either was written since the state both come from
        for key in common[1]:
            mine, theirs = a.get(key), b.get(key)
            if mine is not theirs and (mine is None or theirs is None or not _same(mine, theirs)):
                return False
        return True
    if a.keys() != b.keys():
        return False
    if list(a) == list(b):  # the same order: compare the values that are not the same object
        differ = list(map(is_not, a.values(), b.values()))
        return all(map(_same, compress(a.values(), differ), compress(b.values(), differ)))
    return all(_same(v, b[k]) for k, v in a.items())


def owned(env: dict | None, shared: dict | None) -> dict | None:
    """`env`, copied when it is `shared` (a branch must not write into the state before it)."""
    return fork(env) if env is not None and env is shared else env


def joined_fields(fields: dict[str, Value], env: dict[str, Value] | None) -> dict[str, Value]:
    """`fields` with the `self` fields `env` holds joined in."""
    out = dict(fields)
    for key, value in (env or {}).items():
        if key.startswith("self."):
            out[key[5:]] = join(out[key[5:]], value) if key[5:] in out else value
    return out
