"""engine/records.py: what an analysis gathers from the records that contribute something
(`contributing`) is what it gathers from every record: the same findings, errors and
suppression comments in the same order, and for a line with comments in two units, the later
unit's."""

from __future__ import annotations

import random
from collections import namedtuple

from bastion.engine.context import Context
from bastion.engine.records import UnitRecord, contributing, directives_by_line

_Directive = namedtuple("_Directive", "line unit")


def _gathered(records: list[UnitRecord]) -> tuple:
    return ([f for r in records for f in r.findings], directives_by_line(records),
            [e for r in records for e in r.errors])


def test_the_contributing_records_gather_what_every_record_does():
    rng = random.Random(5)
    for _ in range(300):
        records = []
        for unit in range(rng.randrange(0, 30)):
            def items(prefix, unit=unit):
                return tuple(f"{prefix}{unit}.{n}" for n in range(rng.choice([0, 0, 0, 0, 1, 2])))
            directives = tuple(_Directive(rng.randrange(6), unit) for _ in range(rng.choice([0, 0, 0, 1, 2])))
            records.append(UnitRecord(Context(), items("f"), directives, items("e")))
        assert _gathered(contributing(records)) == _gathered(records)
