"""Golden: each rule's first fix, applied to its own fixture (tests/fixtures/fix_golden/RULE.py),
gives exactly RULE.fixed.py.

The fixtures are the fixes' own, not the lessons' examples: a lesson's `fixed` example shows the
best practice a reviewer would accept (validation, `--`, a stored salt ...), which is more than a
mechanical rewrite of one statement can write, so the two are free to differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.fixes.base import fixable_rules
from bastion.fixes.testing import apply, findings, fixes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fix_golden"
RULES = sorted(fixable_rules())


def test_every_fixable_rule_has_a_golden_fixture():
    missing = [rule for rule in RULES if not (FIXTURES / f"{rule}.py").is_file()]
    assert not missing, missing
    assert len(RULES) >= 25


@pytest.mark.parametrize("rule", RULES)
def test_fix_turns_the_fixture_into_its_golden_result(rule):
    vulnerable = (FIXTURES / f"{rule}.py").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{rule}.fixed.py").read_text(encoding="utf-8")
    assert findings(vulnerable, rule), f"{rule}: the fixture reports nothing"
    good, rejected = fixes(vulnerable, rule)
    assert good, f"{rule}: no fix offered ({[r for _, r in rejected]})"
    assert apply(vulnerable, good[0]) == expected, (
        f"{rule}.fixed.py differs from what {good[0].title!r} produces:\n"
        + apply(vulnerable, good[0]))

