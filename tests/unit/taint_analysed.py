"""Which functions a taint analyzer interprets for a text (not served from its cache): the
keystroke tests' measure of what an edit costs."""

from __future__ import annotations

from bastion.analyzers.taint import analysis
from bastion.analyzers.taint.analyzer import TaintAnalyzer


def analysed(analyzer: TaintAnalyzer, text: str, name: str, monkeypatch,
             step: str = "_analyse") -> list[str]:
    """`step`: another of analysis.py's steps taking the function first (`function_key`: the
    functions whose cache key is made)."""
    counted: list[str] = []
    original = getattr(analysis, step)

    def counting(function, *args, **kwargs):
        counted.append(function.name)
        return original(function, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(analysis, step, counting)
        analyzer.analyse_file(text, name)
    return counted
