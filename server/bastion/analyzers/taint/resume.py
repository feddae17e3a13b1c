"""Resuming a long function's walk where an edit starts: a keystroke in a 300-statement view
changes one statement, and the walk of the statements before it would find what it found at the
last text. While a long function is being edited (analysed again with the same inputs, see
`Checkpoints`), the walk keeps the interpreter's whole state after each top-level statement; the
next walk of the function with the same inputs (`function_keys.inputs_key`: everything its cache
key covers but its text) starts from the state after the last statement that is unchanged, and
so is every statement before it, with the lines between them, at the same place.

A state is everything the walk leaves behind it (`STATE`): the environment, the hits and
verdicts so far, what returns and `self` fields it met, what a name was parsed or matched from,
what escaped, the helpers' budget. A statement whose walk read the whole function
(read_ahead.py) may depend on a later one: no state after it is kept.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.closures import Budget
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.statements import Interpreter
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.engine.cache import LRU

RESUMED_FROM = 24  # top-level statements: a shorter function is walked again whole
KEPT = 4  # functions whose states are kept: the most recently edited ones
# names bound in one function's kept states, at most: a state per statement makes them grow
# with the square of its length (the benchmark's 300-statement view keeps about 15,000)
KEPT_NAMES = 50_000
MET = 1024  # (inputs) of the functions walked once: a next walk of one is an edit's
HELD_AS = b"kept walk states"  # the key of a function cache's `Checkpoints`

# Containers the walk changes in place, by their type (copied when kept and when resumed; kept
# only when not empty: a state is kept after each statement, and few containers fill up), then
# `env`, values the walk replaces, and what it reads but never changes (the same in a walk with
# the same inputs). Between top-level statements `loops`, `raising` and `reading_top` are empty.
COPIED = {"hits": list, "held": list, "seen": dict, "returned_fields": dict, "parsed_from": dict,
          "host_from": dict, "matched_from": dict, "handed_on": set, "escaped": set,
          "rebound_inside": set, "attributed": set, "loops": list, "raising": list, "reading_top": dict,
          "documents": dict}
HELD = ("returns", "returned", "yielded", "statement", "depth", "handed")
STATE = ("env", *COPIED, *HELD, "names", "budget")
CONSTANT = ("module", "models", "summaries", "class_name", "fields", "function", "sql_strings",
            "aliases", "declared_types", "module_names", "global_reads", "dispatcher",
            "walrus_targets")  # `aliases`: `names`'; `declared_types`, `module_names`,
# `global_reads`: memos; `walrus_targets`: None between statements (a comprehension's, restored)
_COPIED_OF = operator.attrgetter(*COPIED)
_HELD_OF = operator.attrgetter(*HELD)

# what makes an interpreter's walk of a body (`Interpreter.run`)
Walker = Callable[[Interpreter], Callable[[list[ast.stmt]], None]]


@attrs_classes.frozen
class Walked:
    signatures: tuple  # per top-level statement: its place and its lines with those before it
    states: tuple  # the state after each statement, up to the first that read ahead


class Checkpoints:
    """The kept states, by the walked function's inputs (owned by the function cache's owner)."""

    def __init__(self) -> None:
        self._met: LRU[bytes, bool] = LRU(MET)
        self._walked: LRU[bytes, Walked] = LRU(KEPT)

    def walker(self, function: Function, inputs_of: Callable[[], bytes], lines: list[str]
               ) -> Walker | None:
        """What walks the body of `function` with an interpreter, keeping its states; None
        when it is walked whole and none are kept (short, or walked the first time). A method
        is not resumed: its walk reads its class, and is run again with `__init__`'s fields."""
        node = function.node
        if function.class_node is not None or function.name == MODULE_BODY \
                or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                or len(node.body) < RESUMED_FROM:
            return None
        inputs = inputs_of()
        if self._met.get(inputs) is None:
            self._met.put(inputs, True)
            return None
        signatures = statement_signatures(node, lines)
        walked = self._walked.get(inputs)

        def walker(interpreter: Interpreter) -> Callable[[list[ast.stmt]], None]:
            def walk(body: list[ast.stmt]) -> None:
                states = _walk(interpreter, body, walked, signatures)
                self._walked.put(inputs, Walked(signatures, states))
            return walk
        return walker


def checkpoints_in(cache: LRU) -> Checkpoints:
    """The `Checkpoints` kept in a function cache (analysis.py): they live as long as it does,
    and go when it is emptied (new models)."""
    found = cache.get(HELD_AS)
    if not isinstance(found, Checkpoints):
        found = Checkpoints()
        cache.put(HELD_AS, found)
    return found


def statement_signatures(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> tuple:
    """Each top-level statement's place and lines, with the lines since the last one's end (the
    first's, since the function's first line: its decorators and parameters)."""
    out = []
    end = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
    for statement in node.body:
        start = min(end, statement.lineno - 1)
        out.append((statement.lineno, statement.col_offset, statement.end_lineno,
                    statement.end_col_offset, tuple(lines[start:statement.end_lineno])))
        end = statement.end_lineno
    return tuple(out)


def resume_point(walked: Walked, signatures: tuple) -> int:
    """How many statements are unchanged since the kept walk, whose states it has."""
    most = min(len(walked.states), len(signatures))
    for index in range(most):
        if walked.signatures[index] != signatures[index]:
            return index
    return most


def _walk(interpreter: Interpreter, body: list[ast.stmt], walked: Walked | None,
          signatures: tuple) -> tuple:
    start = resume_point(walked, signatures) if walked is not None else 0
    states = list(walked.states[:start]) if walked is not None else []
    if start:
        restore(interpreter, states[-1])
    room = KEPT_NAMES - sum(len(state[0] or ()) for state in states)
    for statement in body[start:]:
        if interpreter.env is None:
            break
        interpreter.block([statement])
        if not interpreter.read_ahead and room > 0:
            states.append(kept(interpreter))
            room -= len(interpreter.env or ())
    return tuple(states)


def kept(interpreter: Interpreter) -> tuple:
    env, names = interpreter.env, interpreter.names
    return (None if env is None else env.copy(),
            tuple(value.copy() if value else None for value in _COPIED_OF(interpreter)),
            _HELD_OF(interpreter), names if names is interpreter.module.env else _copy_env(names),
            interpreter.budget.left)


def restore(interpreter: Interpreter, state: tuple) -> None:
    env, copied, held, names, left = state
    interpreter.env = None if env is None else env.copy()
    for (name, empty), value in zip(COPIED.items(), copied, strict=True):
        setattr(interpreter, name, empty() if value is None else value.copy())
    for name, value in zip(HELD, held, strict=True):
        setattr(interpreter, name, value)
    interpreter.names = names if names is interpreter.module.env else _copy_env(names)
    interpreter.aliases = interpreter.names.aliases
    interpreter.budget = Budget(left)


def _copy_env(names: Env) -> Env:
    return Env(dict(names.aliases), set(names.imports))
