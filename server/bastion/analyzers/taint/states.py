"""States that know what was written in them since they were forked, so that the join of two
branches of one state compares only the names either branch wrote, not all ~90 of a long
function's names (a scan of every name cost ~48,000 instructions a join, 12 % of a 300-statement
view's walk).

A `State` is a dict (every reader and writer of `ev.env` keeps using it as one) that records
the keys set or deleted in it (`written`) since it was copied from `base`, and counts its own
writes (`version`). What a fork says about its base holds only while the base is unchanged
since (`at == base.version`): a walk that writes into a state after forking it (a `finally`
run in the state a handler started from) makes every fork of it fall back to the full
comparison, never to a wrong one. A plain dict (a guard's `{**env, ...}`, a resumed walk's
snapshot) has no history: its joins compare every name, as before. A state keeps the states
it comes from alive while it lives (a 300-statement view's walk peaks at ~236 KB, not ~115).
"""

from __future__ import annotations

_DEPTH = 6  # how many forks up a join looks for the state both sides come from
# Below this many names a state is a plain dict: comparing every name of it costs less than
# recording each write (a 25-statement view's states: +1.7 % instructions when tracked).
_TRACKED_FROM = 40


class State(dict):
    __slots__ = ("base", "at", "version", "written")

    # Every way of changing a dict, recorded (a write that bypassed these would leave a fork
    # claiming a key unchanged that is not).

    def __setitem__(self, key, value) -> None:
        dict.__setitem__(self, key, value)
        self.written.add(key)
        self.version += 1

    def __delitem__(self, key) -> None:
        dict.__delitem__(self, key)
        self.written.add(key)
        self.version += 1

    def pop(self, key, *default):
        self.written.add(key)
        self.version += 1
        return dict.pop(self, key, *default)

    def popitem(self):
        key, value = dict.popitem(self)
        self.written.add(key)
        self.version += 1
        return key, value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def update(self, *others, **pairs) -> None:
        for key, value in dict(*others, **pairs).items():
            self[key] = value

    def __ior__(self, other):
        self.update(other)
        return self

    def clear(self) -> None:
        self.written.update(self)
        self.version += 1
        dict.clear(self)


def fork(env: dict) -> dict:
    """A copy of `env` to write into, which remembers it came from `env` (a large one)."""
    if len(env) < _TRACKED_FROM:
        return dict(env)
    out = State(env)
    if type(env) is State:
        out.base, out.at = env, env.version
    else:
        out.base, out.at = None, 0
    out.version, out.written = 0, set()
    return out


def descended(env: dict, base: State, written: set) -> State:
    """A copy of `env`, which differs from `base` (unchanged since) only at `written`."""
    out = State(env)
    out.base, out.at = base, base.version
    out.version, out.written = 0, written
    return out


def _lineage(env: State) -> list[State]:
    """`env` and the states it comes from, each unchanged since the next was forked from it."""
    chain = [env]
    for _ in range(_DEPTH):  # counted, not measured: no len() call a step (~650 calls a long view)
        parent = env.base
        if parent is None or env.at != parent.version:
            break
        chain.append(parent)
        env = parent
    return chain


def since_common(a: dict, b: dict) -> tuple[State, set] | None:
    """The nearest state `a` and `b` both come from, unchanged since, and every key either
    may differ from it at; None when they have no such history (a plain dict, or a state
    written into after it was forked)."""
    if type(a) is not State or type(b) is not State:
        return None
    # the usual meetings first: a branch and the state it left (an `if` without `else`, a loop
    # round), two branches of one state (~18 of ~27 lineage walks a long view); forks of forks
    # through their lineage
    if b.base is a and b.at == a.version:
        return a, b.written
    if a.base is b and a.at == b.version:
        return b, a.written
    base = a.base
    if base is not None and b.base is base and a.at == b.at == base.version:
        return base, a.written | b.written  # two branches of one state (`if` / `else`)
    mine, theirs = _lineage(a), _lineage(b)
    for down, state in enumerate(theirs):
        for up, other in enumerate(mine):
            if other is state:
                written: set = set()
                for step in (*mine[:up], *theirs[:down]):
                    written |= step.written
                return state, written
    return None
