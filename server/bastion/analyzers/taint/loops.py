"""Loops in the flow-sensitive walk: `for` and `while` run their body from the state at the
loop's head, joined with the state each round ends in, until it settles (at most LOOP_ROUNDS
rounds, then the state is taken as is); `break` and `continue` hand their states to the
innermost loop (`Interpreter.loops`). A loop known to run at least once (a non-empty constant,
`while True`) does not leave with the state from before it.

Separate from statements.py because the fixed point of a loop is its own concern. The functions
are the `Interpreter`'s `s_<node>` methods themselves, assigned in its class body, so that its
dispatch costs what it did when they were defined there.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.environments import join_env, same_env
from bastion.analyzers.taint.folding import not_empty, truth_of
from bastion.analyzers.taint.guards import refine
from bastion.analyzers.taint.states import fork

if TYPE_CHECKING:
    from bastion.analyzers.taint.statements import Interpreter

LOOP_ROUNDS = 3


def _loop(ev: Interpreter, node: ast.For | ast.AsyncFor | ast.While, enter, at_least_once: bool):
    """The state at the loop's head once it settles, and the states at its `break`s. A loop
    known to run its body at least once (`at_least_once`) does not leave with the state
    from before it: its first round is run apart, from that state."""
    head = ev.env
    breaks: list = []
    if at_least_once:
        head = _round(ev, node, enter, head, breaks)
        if head is None:  # every path of the body breaks, returns or raises
            return None, breaks
    for _ in range(LOOP_ROUNDS):
        widened = join_env(head, _round(ev, node, enter, head, breaks))
        if same_env(widened, head):
            break
        head = widened
    return head, breaks


def _round(ev: Interpreter, node: ast.For | ast.AsyncFor | ast.While, enter, head: dict,
           breaks: list) -> dict | None:
    """One run of the body from `head`: the state it continues with (None: it never does)."""
    ev.loops.append(([], []))
    ev.env = fork(head)
    enter()
    ev.block(node.body)
    round_breaks, continues = ev.loops.pop()
    breaks.extend(round_breaks)
    return join_env(ev.env, *continues)


def for_loop(ev: Interpreter, node: ast.For) -> None:
    values = ev.eval(node.iter)
    element = values.iterated()
    if values.kind is not None and not element.taint:
        # an object whose iteration reads the request: `async for msg in ws` of a websocket
        element = ev.source_value(values.kind + ".__iter__", node.iter) or element
    head, breaks = _loop(ev, node, lambda: ev.bind(node.target, element, "iterated into"),
                         not_empty(ev, node.iter, values))
    ev.env = head
    if head is not None:
        ev.block(node.orelse)
    ev.env = join_env(ev.env, *breaks)


def while_loop(ev: Interpreter, node: ast.While) -> None:
    truth = truth_of(ev.eval(node.test))
    if truth is False:
        ev.block(node.orelse)
        return

    def enter() -> None:
        ev.env = refine(ev, node.test, ev.env, True)
    head, breaks = _loop(ev, node, enter, truth is True)
    if head is not None:
        # the test as the loop's head meets it, after the body changed what it reads
        ev.env = head
        truth = truth_of(ev.eval(node.test))
        ev.env = None if truth is True else refine(ev, node.test, head, False)
        ev.block(node.orelse)
    ev.env = join_env(ev.env, *breaks)


def break_loop(ev: Interpreter, node: ast.Break) -> None:
    if ev.loops:
        ev.loops[-1][0].append(ev.env)
    ev.env = None


def continue_loop(ev: Interpreter, node: ast.Continue) -> None:
    if ev.loops:
        ev.loops[-1][1].append(ev.env)
    ev.env = None

