"""What `hand_requests` (helpers.py) keeps from one keystroke to the next: each function's
facts (whether a call can hand it the request, and by which name; whether it holds one to hand
on) and each caller's handings, by the `Function` object, which `functions_of` hands back
while the function's node and classification are unchanged (context_reuse.py), and the
request kinds combined from them.

A keystroke in one body makes that function alone anew: its facts and handings are computed,
every other function's are read by comprehensions over the module's functions (no call per
function), and the combined request kinds are reused while the handings and the functions
they reach are the same objects. Calling into a per-caller cache for each of argparse.py's
128 functions, and the combination at each key, cost it 0.7 ms a key.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.nodes import twins
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function

_KEY = (b"hand requests",)

# a function's facts: (the function, the name a call hands it the request by or None, the class
# name a call of the class reaches its `__init__` by or None, whether it holds a request to hand
# on (an entry's request parameter, a handler's `self`), id of its node, id of the function, what
# a call reaches of it (helpers._hand_facts) or None)
Facts = tuple


class LastHandings:
    """The facts and handings of the last `hand_requests` of a generation (the import aliases
    and the models: what a handing's kind reads besides its caller)."""

    def __init__(self, generation: tuple) -> None:
        self.generation = generation
        self.facts: dict[int, Facts] = {}
        self.aliases_hold: bool | None = None  # whether a module-level name holds a request
        self._names: frozenset[str] | None = None  # the handed-to names the handings are for
        self._handings: dict[int, tuple] = {}  # by id of the caller's Function
        self._last: list[Facts] = []  # the last call's facts
        self._combined: tuple | None = None  # (the handings, the targets, their kinds)

    def update(self, functions: list[Function], facts_of: Callable[[Function], Facts]) -> list[Facts]:
        """Each function's facts, the ones new since the last call computed."""
        facts = self.facts
        keys = list(map(id, functions))
        new = [(k, f) for k, f in zip(keys, functions, strict=True) if k not in facts]
        for key, function in new:
            facts[key] = facts_of(function)
        if new or len(facts) != len(keys):
            self.facts = {key: facts[key] for key in keys}  # the functions gone dropped
        return list(self.facts.values())

    def handings(self, facts: list[Facts], names: frozenset[str], memo: LRU | None,
                 compute: Callable[[Function], tuple]) -> list[tuple]:
        """Each caller's handings to the functions `names`: computed for the callers new since
        the last call (or whose node is a twin of a kept one, handings holding no lines)."""
        if names != self._names:
            self._names, self._handings, self._last = names, {}, []
        kept = self._handings
        fresh = [fact for fact in facts if fact[5] not in kept]
        if fresh:
            # the last call's callers by node (still alive in `_last`: no new node has their ids);
            # what a handing reads of one read only of a fresh caller's node (a call a caller:
            # 128 a key in argparse.py)
            by_node = {fact[4]: fact for fact in self._last}
            for fact in fresh:
                caller, reads = fact[0], _reads(fact[0])
                found = _kept(by_node, kept, caller.node, reads)
                if found is None and memo is not None:
                    found = next((f for twin in twins(memo, caller.node)
                                  if (f := _kept(by_node, kept, twin, reads)) is not None), None)
                kept[fact[5]] = found if found is not None else compute(caller)
        if fresh or len(kept) != len(facts):
            self._handings = {fact[5]: kept[fact[5]] for fact in facts}
        self._last = facts
        return list(self._handings.values())

    def combined(self, handings: list[tuple], targets: list[tuple],
                 combine: Callable[[], list[tuple]]) -> list[tuple]:
        """`combine()`: the request kinds of each of `targets` (what a call reaches of a
        function, helpers._hand_facts), the last when the handings and targets are equal."""
        pairs = [h for h in handings if h]
        last = self._combined
        if last is None or last[0] != pairs or last[1] != targets:
            last = self._combined = (pairs, targets, combine())
        return last[2]


def _reads(caller: Function) -> tuple:
    """What a handing's kind reads of its caller besides its node (helpers._request_kind)."""
    return (caller.entry, caller.request_params, caller.self_kind)


def _kept(by_node: dict[int, Facts], kept: dict[int, tuple], node: ast.AST, reads: tuple
          ) -> tuple | None:
    """The handings kept of the last call's caller at `node`, if it read `reads`."""
    fact = by_node.get(id(node))
    if fact is None or fact[0].node is not node:
        return None
    was = _reads(fact[0])
    return kept[fact[5]] if was[0] is reads[0] and was[1:] == reads[1:] else None


def last_handings(memo: LRU | None, generation: tuple) -> LastHandings:
    """The last call's store when it had this generation, else an empty one (a new one without
    a memo)."""
    kept = memo.get(_KEY) if memo is not None else None
    if kept is None or kept.generation != generation:
        kept = LastHandings(generation)
        if memo is not None:
            memo.put(_KEY, kept)
    return kept
