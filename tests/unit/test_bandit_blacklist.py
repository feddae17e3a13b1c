"""The calls the adapter's tester does not give bandit's blacklist check (B001) are those it
would report nothing on: checked against bandit's own check on every blacklisted name and its
near misses, and on a module calling each of them."""

from __future__ import annotations

import ast

import pytest

import bastion.analyzers.bandit_adapter as adapter
from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.analyzers.bandit_blacklist import skips_call
from bastion.engine.registry import create_engine

_ADAPTER = BanditAdapter()  # sets the blacklist's config, as the engine's adapter does
from bandit.core import blacklisting  # noqa: E402  (after the adapter's import of bandit)
from bandit.core import context as b_context  # noqa: E402

CONFIG = blacklisting.blacklist._config
NAMES = sorted({name for check in CONFIG["Call"] for name in check["qualnames"]})


def _context(source: str, qualname: str | None) -> b_context.Context:
    node = ast.parse(source, mode="eval").body
    return b_context.Context({"node": node, "qualname": qualname, "imports": set(),
                              "import_aliases": {}})


def _cases():
    for name in NAMES:
        yield f"{name}(x)", name
        for other in (name + "_", name[:-1], "x." + name, name + ".x"):
            yield f"{other}(x)", other
    yield "f(x)", None  # bandit has no name for it
    for name in ("importlib.import_module", "importlib.__import__"):
        yield f"{name}('pickle')", name
        yield f"{name}('os')", name
    yield "__import__('pickle')", "__import__"
    yield "__import__(x)", "__import__"


@pytest.mark.parametrize(("source", "qualname"), list(_cases()))
def test_a_skipped_call_is_one_bandit_reports_nothing_on(source, qualname):
    context = _context(source, qualname)
    if skips_call(context, CONFIG):
        assert blacklisting.blacklist(context, CONFIG) is None
    if qualname in NAMES or qualname in ("importlib.import_module", "importlib.__import__"):
        assert not skips_call(context, CONFIG)


def test_the_names_are_read_from_the_config_given():
    context = _context("pickle.loads(x)", "pickle.loads")
    assert not skips_call(context, CONFIG)
    others = {**CONFIG, "Call": [c for c in CONFIG["Call"] if "pickle.loads" not in c["qualnames"]]}
    assert skips_call(context, others)
    assert not skips_call(context, CONFIG)


def test_a_module_calling_every_blacklisted_name_gives_what_bandit_gives(monkeypatch):
    roots = sorted({name.split(".")[0] for name in NAMES})
    text = "".join(f"import {root}\n" for root in roots) + "".join(
        f"def f{i}(x):\n    return {name}(x)\n" for i, name in enumerate(NAMES))
    engine = create_engine()
    found = sorted((f.rule_id, f.span) for f in engine.analyse_raw(text, "m.py").findings)
    monkeypatch.setattr(adapter, "skips_call", lambda context, config: False)
    engine = create_engine()
    assert sorted((f.rule_id, f.span) for f in engine.analyse_raw(text, "m.py").findings) == found
    assert len({span for rule, span in found if rule.startswith("B3")}) > len(NAMES) // 2
