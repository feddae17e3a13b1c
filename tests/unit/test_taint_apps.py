"""Realistic multi-function apps (tests/fixtures/taint_apps): every line marked
`# expect: BSTnnn` reports exactly that rule, and no other line reports a taint rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

APPS = Path(__file__).resolve().parents[1] / "fixtures" / "taint_apps"
EXPECT = re.compile(r"# expect: (BST2\d\d)")


@pytest.mark.parametrize("app", ["flask_shop.py", "django_blog.py", "fastapi_files.py"])
def test_findings_and_silence(app):
    text = (APPS / app).read_text(encoding="utf-8")
    expected = {(n, m.group(1)) for n, line in enumerate(text.splitlines())
                for m in EXPECT.finditer(line)}
    found = {(f.line, f.rule_id) for f in TaintAnalyzer().analyse_file(text, app)}
    assert len(expected) >= 5
    assert found - expected == set(), "unexpected findings (expected silence)"
    assert expected - found == set(), "missed findings"
