"""Every analyzer implements the whole protocol (analyzers/base.py): the engine calls
`analyse_file`, `nosec_ids` and `reads_whole` on each, never probing with hasattr/getattr, and
the splitter's answer (`base.reads_whole`) is what the analyzers declare."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from bastion.analyzers import base
from bastion.engine.registry import default_analyzers

ANALYZERS = default_analyzers()
SERVER = Path(base.__file__).resolve().parents[1]

FUNCTIONS = [
    "def f(password='x'):\n    return 1\n",  # B107 reports the function
    "def f(v=ssl.PROTOCOL_SSLv3):\n    return 1\n",  # B503
    "def f(x):\n    y = x\n    return mark_safe(y)\n",  # B703 reads the function
    "def f(x):\n    return x\n",
    "async def f(token=None):\n    return 1\n",
]


@pytest.mark.parametrize("analyzer", ANALYZERS, ids=lambda a: a.id)
def test_each_analyzer_has_every_protocol_method(analyzer):
    for name, _member in inspect.getmembers(base.Analyzer, inspect.isfunction):
        if not name.startswith("_"):
            assert callable(getattr(type(analyzer), name, None)), f"{analyzer.id} lacks {name}"
    assert isinstance(analyzer.nosec_ids(), dict)
    assert analyzer.analyse_file("x = 1\n", "x.py") == []


@pytest.mark.parametrize("source", FUNCTIONS)
def test_the_splitter_asks_what_the_analyzers_declare(source):
    function = ast.parse(source).body[0]
    lines = source.splitlines()
    assert base.reads_whole(function, lines) == any(a.reads_whole(function, lines) for a in ANALYZERS)


def test_the_engine_does_not_probe_analyzers():
    for module in ("engine/engine.py", "engine/whole_file.py"):
        text = (SERVER / module).read_text(encoding="utf-8")
        assert 'hasattr(a, "analyse_file")' not in text and 'getattr(analyzer,' not in text, module


def test_bandit_knowledge_is_not_in_the_splitter():
    for module in ("engine/units.py", "engine/splitter.py", "engine/incremental.py"):
        text = (SERVER / module).read_text(encoding="utf-8")
        for word in ("mark_safe", "PROTOCOL_SSL", "password", "B107", "B503", "B703"):
            assert word not in text, (module, word)
