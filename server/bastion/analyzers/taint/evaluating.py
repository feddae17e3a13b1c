"""The environment a walk of expressions reads while it lasts: `Evaluator.evaluating_in`'s
context, kept out of expressions.py (the evaluator's own state and expression rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


class Evaluating:
    """`Evaluator.evaluating_in`'s context: an object's, not a generator's (`contextmanager`),
    which cost 2.4 us a use against 0.7 (load ~8), some 180 uses a function in the benchmark's
    long views (each guard's test)."""

    __slots__ = ("_ev", "_env", "_saved")

    def __init__(self, ev: Evaluator, env: dict) -> None:
        self._ev, self._env = ev, env

    def __enter__(self) -> None:
        self._saved = self._ev.env
        self._ev.env = self._env

    def __exit__(self, *_exception: object) -> None:
        self._ev.env = self._saved
