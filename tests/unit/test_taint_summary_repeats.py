"""A summary holds each sink hit once (results.distinct_hits): loop rounds, recursive cycles and
callers that apply a callee's sinks repeat hits, which callers multiplied (a recursive method of
doctest.py: 2,604 sinks, 104 distinct). Without the repeats the findings, their paths and the
verdicts are the same."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bastion.analyzers.taint import analysis
from bastion.analyzers.taint.analysis import analyse_module
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.results import distinct_hits

APPS = Path(__file__).resolve().parents[1] / "fixtures" / "taint_apps"

WALKER = '''import os


class Finder:
    def find(self, path, depth):
        for name in os.listdir(path):
            if depth < 3:
                os.system("ls " + path)
                self.find(path + "/" + name, depth + 1)
            else:
                open(path + name).close()
        return self.find(path, depth) if depth else path


def main():
    Finder().find(input(), 0)
'''


def _sink_key(hit) -> tuple:
    value = hit.value
    return (hit.sink, id(hit.node), hit.via, value.taint, value.steps, value.clean, value.kind)


def test_a_recursive_methods_summary_holds_each_sink_once():
    result = analyse_module(ast.parse(WALKER), load_models(), text=WALKER)
    sinks = [o.summary.sinks for o in result.outcomes if o.function == "Finder.find"]
    assert sinks and sinks[0]
    assert len({_sink_key(h) for h in sinks[0]}) == len(sinks[0])


def test_distinct_hits_keeps_the_first_of_each_in_order():
    result = analyse_module(ast.parse(WALKER), load_models(), text=WALKER)
    hits = [h for o in result.outcomes for h in o.result.hits]
    kept = distinct_hits(hits + hits)
    assert list(kept) == [h for i, h in enumerate(hits)
                          if all(_sink_key(h) != _sink_key(e) or h.value.const is not e.value.const
                                 for e in hits[:i])]


@pytest.mark.parametrize("name", ["walker.py", *sorted(p.name for p in APPS.glob("*.py"))])
def test_findings_paths_and_verdicts_are_those_with_the_repeats(name, monkeypatch):
    text = WALKER if name == "walker.py" else (APPS / name).read_text(encoding="utf-8")

    def report(analyzer: TaintAnalyzer) -> tuple:
        findings = analyzer.analyse_file(text, name)
        result = analyzer._result(text, name)
        return ([(f.rule_id, f.span, f.message, f.confidence, f.steps) for f in findings],
                sorted(result.seen.items(), key=repr))

    distinct = report(TaintAnalyzer())
    monkeypatch.setattr(analysis, "distinct_hits", tuple)
    assert report(TaintAnalyzer()) == distinct
