"""taint/function_keys.py: a function's cache key reads its entry model's repr, kept per model
(a frozen model's repr never changes): the kept text is always the model's own repr, for models
made and dropped one after another (whose ids Python reuses) and for the same model asked again."""

from __future__ import annotations

import attrs

from bastion.analyzers.taint import function_keys
from bastion.analyzers.taint.analyzer import load_models

MODELS = load_models()


def test_each_model_is_keyed_by_its_own_repr():
    base = MODELS.entries[0]
    for n in range(300):
        # a new model each time, the last one dropped: its id is soon another model's
        entry = attrs.evolve(base, label=f"entry {n}")
        assert function_keys._entry_repr(entry) == repr(entry)
        assert function_keys._entry_repr(entry) == repr(entry)  # kept
    for entry in MODELS.entries:
        assert function_keys._entry_repr(entry) == repr(entry)
    assert function_keys._entry_repr(None) == repr(None)


def test_the_table_is_emptied_when_full(monkeypatch):
    monkeypatch.setattr(function_keys, "_MAX_ENTRY_REPRS", 4)
    monkeypatch.setattr(function_keys, "_ENTRY_REPRS", {})
    for entry in MODELS.entries[:10]:
        assert function_keys._entry_repr(entry) == repr(entry)
        assert len(function_keys._ENTRY_REPRS) <= 4
