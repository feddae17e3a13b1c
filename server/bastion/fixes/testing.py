"""Helpers for tests and scripts: run the real engine and the fix planner on a text."""

from __future__ import annotations

from functools import lru_cache

from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.fixes import DocModel, verified
from bastion.fixes.edits import apply_changes

# Recipes are tried on every pattern finding, also those the taint analysis retracts (a constant
# command's B605 is still a finding bandit reports, and the recipe must handle it).
CONFIG = Config(bandit_exact=True)


@lru_cache(maxsize=1)
def engine():
    return create_engine()


def findings(text: str, rule: str | None = None):
    found = engine().analyse(text, "t.py", CONFIG).findings
    return [f for f in found if rule is None or f.rule_id == rule]


def fixes(text: str, rule: str, index: int = 0):
    """(verified fixes, rejected) for the `index`-th finding of `rule`."""
    model = DocModel.build(text, engine())
    finding = findings(text, rule)[index]
    return verified(engine(), model, CONFIG, "t.py", finding)


def apply(text: str, fix) -> str:
    return "\n".join(apply_changes(text.split("\n"), fix.changes))


def fixed(text: str, rule: str, key: str | None = None, index: int = 0) -> str | None:
    """The text after the rule's fix (the first one, or the one with `key`); None if none."""
    good, _bad = fixes(text, rule, index)
    chosen = [f for f in good if key is None or f.key == key]
    return apply(text, chosen[0]) if chosen else None


def titles(text: str, rule: str, index: int = 0) -> list[str]:
    return [f.title for f in fixes(text, rule, index)[0]]
