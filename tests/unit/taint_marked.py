"""Whole modules as taint cases: each line that must report ends with `# BST2xx` (the rule), and
no other line may report."""

from __future__ import annotations

import re

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()


def marked_and_found(source: str) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """(the marked (line, rule) pairs, the reported ones); lines count from 0, as findings do."""
    expected = {(i, m.group(1)) for i, line in enumerate(source.splitlines())
                if (m := re.search(r"# (BST2\d\d)$", line))}
    found = {(f.line, f.rule_id) for f in ANALYZER.analyse_file(source, "case.py")}
    return expected, found


def assert_marked(source: str) -> None:
    """Some line is marked, and the marked lines are exactly those reported."""
    expected, found = marked_and_found(source)
    assert expected and found == expected
