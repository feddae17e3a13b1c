"""A recursive cycle's rounds (recursion.settle_cycle): a member is analysed again only when the
summary of a member its last analysis asked for changed since; what the cycle's callers find is
unchanged (test_taint_recursion.py checks the findings of these rings and pairs through `bastion
check`)."""

from __future__ import annotations

from collections import Counter

from tests.unit.test_taint_recursion import APPS, RINGS

from bastion.analyzers.taint import analysis
from bastion.analyzers.taint.model_files import load_models
from bastion.parsing import parse_code


def _analyses(text: str, monkeypatch) -> tuple[Counter, int]:
    counted: Counter = Counter()
    real = analysis._analyse
    monkeypatch.setattr(analysis, "_analyse",
                        lambda function, *args, **kwargs: counted.update([function.name])
                        or real(function, *args, **kwargs))
    result = analysis.analyse_module(parse_code(text), load_models(), text=text)
    return counted, len(result.hits)


def test_a_ring_is_analysed_again_where_a_summary_it_read_changed(monkeypatch):
    """Eight functions round a ring, analysed callees first: `f8` first read `f1`'s seed, so it
    is analysed again, and `f7`, which read `f8`, if that changed; the others read summaries
    that were final (each was analysed two or three times, 17 and 25 analyses in all)."""
    counted, hits = _analyses(RINGS["ring_8.py"], monkeypatch)
    assert hits == 1
    assert counted == {"view": 1, "f8": 2, **{f"f{i}": 1 for i in range(1, 8)}}
    counted, hits = _analyses(RINGS["ring_constant.py"], monkeypatch)
    assert hits == 0
    assert counted == {"view": 1, "f8": 2, "f7": 2, **{f"f{i}": 1 for i in range(1, 7)}}


def test_a_pair_settled_in_its_first_round_ends_there(monkeypatch):
    counted, hits = _analyses(APPS["mutual_constant.py"], monkeypatch)
    assert hits == 0
    assert counted == {"view": 1, "odd": 2, "even": 2}  # 3 each before
    counted, hits = _analyses(APPS["mutual_param.py"], monkeypatch)
    assert hits == 1
