"""A recursive cycle's rounds (recursion.settle_cycle): a member is analysed again only when a
member's summary changed since its last analysis; what the cycle's callers find is unchanged
(test_taint_recursion.py checks the findings of these rings and pairs through `bastion check`)."""

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


def test_a_settled_ring_is_not_analysed_a_third_time(monkeypatch):
    """Eight functions returning a constant round a ring: the first round settles them all but
    the first analysed; a third analysis each (25 in all) found nothing new."""
    counted, hits = _analyses(RINGS["ring_constant.py"], monkeypatch)
    assert hits == 0
    assert counted == {"view": 1, "f8": 3, **{f"f{i}": 2 for i in range(1, 8)}}


def test_a_pair_settled_in_its_first_round_ends_there(monkeypatch):
    counted, hits = _analyses(APPS["mutual_constant.py"], monkeypatch)
    assert hits == 0
    assert counted == {"view": 1, "odd": 3, "even": 2}
    counted, hits = _analyses(APPS["mutual_param.py"], monkeypatch)
    assert hits == 1
