"""Golden: each rule's fix, applied to its lesson's `vulnerable` example, gives exactly the
lesson's `fixed` example (the first fix offered; lessons are written to match it)."""

from __future__ import annotations

import pytest

from bastion.catalog.loader import load_rule_files
from bastion.catalog.paths import rules_dir
from bastion.fixes.base import fixable_rules
from bastion.fixes.testing import apply, findings, fixes

SPECS = [s for s in load_rule_files(rules_dir())[0] if s.id in fixable_rules()]
# Rules with a fix for some forms, whose lesson shows a form no mechanical fix can handle.
NOT_MECHANICAL = {
    "B406": "`import xml.sax` binds `xml`: swapping it for defusedxml would change every use",
    "B409": "the lesson uses pulldom.START_ELEMENT, which defusedxml.pulldom does not provide",
    "BST101": "PyJWT verifies only with a key and an algorithm list; the fix is offered when the "
              "call already passes both, the lesson's call passes neither",
}


def test_lessons_cover_the_fixable_rules():
    assert len(SPECS) >= 25


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_fix_turns_vulnerable_into_fixed(spec):
    vulnerable, expected = spec.lesson.vulnerable, spec.lesson.fixed
    assert findings(vulnerable, spec.id), f"{spec.id}: the vulnerable example reports nothing"
    good, rejected = fixes(vulnerable, spec.id)
    if spec.id in NOT_MECHANICAL:
        assert not good, f"{spec.id} now has a fix for its lesson: remove it from NOT_MECHANICAL"
        return
    assert good, f"{spec.id}: no fix offered for the lesson ({[r for _, r in rejected]})"
    assert apply(vulnerable, good[0]) == expected, (
        f"{spec.source_file}: `fixed` differs from what {good[0].title!r} produces:\n"
        + apply(vulnerable, good[0]))
