"""How many examples a property test draws. On the main Python each test draws the count it
names; scripts/test-all.sh sets BASTION_HYPOTHESIS_SHARE (0.25) for the other Pythons' runs,
where a property test draws that share of it (at least 10, at most its own count): half the
unit tests' time is property tests, and what differs between versions (parsing, the standard
library) shows in most examples, while rare inputs are searched for on the main Python, in
full."""

from __future__ import annotations

import os

from hypothesis import settings

SHARE = float(os.environ.get("BASTION_HYPOTHESIS_SHARE") or 1)


def examples(count: int) -> int:
    return count if SHARE >= 1 else min(count, max(10, round(count * SHARE)))


if SHARE < 1:  # the tests that name no count draw hypothesis' default, 100
    settings.register_profile("versions", max_examples=examples(100))
    settings.load_profile("versions")
