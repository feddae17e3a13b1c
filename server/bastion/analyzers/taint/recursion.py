"""A recursive cycle's first round: before any member's summary is known, a call of a member
returns nothing yet (`UNREACHED`, which a join leaves out) and reaches no sink, so the rounds
after it (analysis.py's fixpoint) climb from what the base cases return: `def unwrap(text, n):
return unwrap(text, n - 1) if n else "x"` returns "x", a constant, not its parameter as a call
of code not modelled would carry it. A cycle not settled within the rounds keeps its last
round's summaries, as it did before.

In a round, a member is not analysed again while the summaries of the members its last
analysis asked for (`_Reads`) have the fingerprints they had then (`settle_cycle`): the others
it may ask for do not change meanwhile (those of functions outside the cycle are settled before
it, its callers' are not made yet), so its outcome would be the one it has and its summary
unchanged, as the analysis cache's key holds (function_keys.py: the callees' fingerprints). A
cold stdlib323 scan analysed 1,130 members again in rounds, a fifth of its analyses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import UNREACHED
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.signatures import numbered

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function


def seed_cycle(members: list[Function], summaries: dict[str, Summary]) -> None:
    """The members not summarised yet start as returning nothing and reaching no sink."""
    for function in members:
        if function.name not in summaries:
            params = numbered(function.node.args, function.implicit_params)
            summaries[function.name] = Summary(tuple(params), UNREACHED, ())


class _Reads(dict):
    """A copy of the summaries a member is analysed with, noting the names its analysis asks."""

    def __init__(self, summaries: dict[str, Summary]) -> None:
        super().__init__(summaries)
        self.asked: set[str] = set()

    def get(self, name: str, default: Summary | None = None) -> Summary | None:
        self.asked.add(name)
        return super().get(name, default)

    def __getitem__(self, name: str) -> Summary:
        self.asked.add(name)
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        self.asked.add(name)
        return super().__contains__(name)


def settle_cycle(members: list[Function], settle: Callable[[Function, dict[str, Summary]], bool],
                 summaries: dict[str, Summary], fingerprint: Callable[[str], bytes | None],
                 rounds: int, fresh: bool) -> None:
    """`settle` each member with `summaries` (whether its summary changed), then round after
    round (`rounds` at most) until none changes. A member is not analysed again while the
    members' summaries its last analysis asked for have the `fingerprint`s (None: none yet) they
    had then (see the header). Not `fresh` (the editor's analysis cache: an outcome may be one
    kept, or a walk resumed past some asks), every member counts as asked for."""
    names = {f.name for f in members}
    read: dict[str, list[tuple[str, bytes | None]]] = {}

    def analysed(function: Function) -> bool:
        before = {name: fingerprint(name) for name in names}
        if not fresh:
            read[function.name] = [(name, before[name]) for name in sorted(names)]
            return settle(function, summaries)
        view = _Reads(summaries)
        changed = settle(function, view)
        summaries[function.name] = dict.__getitem__(view, function.name)
        asked = view.asked & names
        read[function.name] = [(name, before[name]) for name in sorted(asked)]
        return changed

    def again(function: Function) -> bool:
        if all(fingerprint(name) == last for name, last in read[function.name]):
            return False
        return analysed(function)

    for function in members:
        analysed(function)
    for _ in range(rounds):
        if not any([again(f) for f in members]):
            break
