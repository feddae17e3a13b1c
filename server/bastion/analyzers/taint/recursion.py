"""A recursive cycle's first round: before any member's summary is known, a call of a member
returns nothing yet (`UNREACHED`, which a join leaves out) and reaches no sink, so the rounds
after it (analysis.py's fixpoint) climb from what the base cases return: `def unwrap(text, n):
return unwrap(text, n - 1) if n else "x"` returns "x", a constant, not its parameter as a call
of code not modelled would carry it. A cycle not settled within the rounds keeps its last
round's summaries, as it did before."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import UNREACHED
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.signatures import numbered

if TYPE_CHECKING:
    from bastion.analyzers.taint.callees import CalleeMemo
    from bastion.analyzers.taint.entries import Function


def is_cycle(component: list[Function], callees_of: CalleeMemo) -> bool:
    """Whether the call graph's component is recursive: several functions, or one calling itself."""
    return len(component) > 1 or component[0].name in callees_of(component[0])


def seed_cycle(members: list[Function], summaries: dict[str, Summary]) -> None:
    """The members not summarised yet start as returning nothing and reaching no sink."""
    for function in members:
        if function.name not in summaries:
            params = numbered(function.node.args, function.implicit_params)
            summaries[function.name] = Summary(tuple(params), UNREACHED, ())
