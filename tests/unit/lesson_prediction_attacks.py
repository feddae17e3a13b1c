"""Lesson attacks that predict a generator (for tests/unit/test_lesson_attacks.py): the Mersenne
Twister behind `random` is rebuilt from 624 of its 32-bit outputs, and the example's own code,
run on the rebuilt copy, gives the value it is about to produce. An attack returns whether it
worked."""

from __future__ import annotations

import random
import types
from pathlib import Path

_WORD = 0xFFFFFFFF


def _undo_right(value: int, shift: int) -> int:
    result = value
    for _ in range(32 // shift + 1):
        result = value ^ (result >> shift)
    return result


def _undo_left(value: int, shift: int, mask: int) -> int:
    result = value
    for _ in range(32 // shift + 1):
        result = value ^ ((result << shift) & mask & _WORD)
    return result


def untemper(output: int) -> int:
    """The state word behind one 32-bit output: MT19937's tempering, step by step backwards."""
    word = _undo_right(output, 18)
    word = _undo_left(word, 15, 0xEFC60000)
    word = _undo_left(word, 7, 0x9D2C5680)
    return _undo_right(word, 11)


def rebuilt(outputs: list[int]) -> random.Random:
    """A generator in the state the observed one is in after 624 consecutive outputs: those words
    are a full state, and index 624 makes the next call regenerate it as MT19937 does."""
    clone = random.Random()
    clone.setstate((3, (*(untemper(output) for output in outputs), 624), None))
    return clone


def reset_code_prediction(code: dict, tmp: Path) -> bool:
    """The lesson's story: request ids from `random.getrandbits(32)` (the generator the whole
    process shares, here the test's own `random` module) give 624 outputs; the attacker then
    asks for the victim's reset code and computes it by running `make_reset_code` on the rebuilt
    generator. `secrets` draws from the operating system, which the copy does not predict."""
    make = code["make_reset_code"]
    request_ids = [random.getrandbits(32) for _ in range(624)]
    on_copy = types.FunctionType(make.__code__, {**make.__globals__, "random": rebuilt(request_ids)},
                                 make.__name__, make.__defaults__)
    predicted = on_copy()
    return make() == predicted
