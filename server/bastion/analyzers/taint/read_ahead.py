"""The function a walk is in, for a read of all of its statements: what such a read finds in a
later statement decides what an earlier one does, so the walk is marked, and no state after it
is resumed from when a later statement is edited (resume.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator


def whole_function(ev: Evaluator) -> Function | None:
    """`ev.function` (a statements.Interpreter's; None for an expression walk), marked read."""
    function = ev.function
    if function is not None:
        ev.read_ahead = True
    return function
