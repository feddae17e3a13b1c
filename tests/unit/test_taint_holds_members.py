"""`ModelIndex.holds_members`: whether a kind has members among the index's exact names (a
request object's `args`), answered from the names' dotted prefixes, as the test of every name
it replaces (`Models.holds_sources` asks it of each new name a keystroke types)."""

from __future__ import annotations

import sys

from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.model_index import ModelIndex

MODELS = load_models()


def every_name(index: ModelIndex, kind: str) -> bool:
    return any(name.startswith(kind + ".") for name in index.exact)


def test_the_prefixes_answer_as_every_name_does():
    for index in (MODELS.sources, MODELS.sinks, MODELS.sanitizers):
        kinds = {name[:at] for name in index.exact for at in range(len(name) + 1)}
        kinds |= {name + ".x" for name in index.exact} | {"", ".", "user_input", "flask.request."}
        assert len(kinds) > 1000
        for kind in kinds:
            assert index.holds_members(kind) == every_name(index, kind), kind


def test_a_model_added_after_an_answer_is_seen():
    index = ModelIndex()
    index.add(["pkg.mod.func"], [], object())
    assert index.holds_members("pkg.mod") and not index.holds_members("pkg.other")
    index.add(["pkg.other.read"], [], object())
    assert index.holds_members("pkg.other")


def test_a_new_kind_is_one_look_up():
    MODELS.holds_sources("warm")  # the table, made once for the models' life
    calls = []
    sys.setprofile(lambda frame, event, arg: calls.append(event) if event.endswith("call") else None)
    try:
        found = [MODELS.holds_sources(f"user_input{i}") for i in range(20)]
    finally:
        sys.setprofile(None)
    assert not any(found)
    assert len(calls) < 100  # 16,602 before: a test of each source name, a new kind
