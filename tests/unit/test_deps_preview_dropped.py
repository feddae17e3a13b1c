"""A large lock's preview keeps the values it parsed for the whole read that follows it
(deps/toml_text.py, deps/pipfile_text.py; 41 MB for a 5 MB uv.lock). When the editor drops the
analysis after the preview (the document closed), no read takes them, and the next analyses may
be served from the result cache and read no lock: the engine tells the analyzers
(`preview_unused`), which drop a preview's values, never a pyproject.toml's."""

from __future__ import annotations

import json

import pytest

from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.deps import pipfile_text, toml_text
from bastion.engine.engine import Engine
from bastion.engine.progressive import Progress

REGISTRY = 'source = { registry = "https://pypi.org/simple" }\n'
UV_LOCK = "version = 1\n\n" + "".join(
    f'[[package]]\nname = "package-{i}"\nversion = "1.{i}.0"\n{REGISTRY}\n' for i in range(200)) \
    + '[[package]]\nname = "requests"\nversion = "2.19.0"\n'
PIPFILE_LOCK = json.dumps({"_meta": {"hash": {"sha256": "0"}}, "default": {
    **{f"package-{i}": {"version": f"==1.{i}.0"} for i in range(200)},
    "requests": {"version": "==2.19.0"}}, "develop": {}}, indent=4)


@pytest.fixture(autouse=True)
def every_text_kept(monkeypatch):
    """Every text is kept, as a large one is; nothing kept before or after a test."""
    monkeypatch.setattr(toml_text, "_KEPT_CHARS", 0)
    monkeypatch.setattr(pipfile_text, "_KEPT_CHARS", 0)
    toml_text.forget()
    pipfile_text.forget()
    yield
    toml_text.forget()
    pipfile_text.forget()


def previewed(engine: Engine, text: str, path: str):
    """The document's first analysis in the editor, up to its first step: the preview done."""
    reports = []
    steps = engine.analysis_steps(text, path, use_disk=False,
                                  progress=Progress(reports.append, 0.0))
    next(steps)
    assert [f.rule_id for f in reports[0].findings] == []  # the top lines: no vulnerable pin
    return steps


def kept() -> list[object]:
    return [toml_text._last, pipfile_text._last]


@pytest.mark.parametrize(("path", "text"), [("/w/uv.lock", UV_LOCK), ("/w/Pipfile.lock", PIPFILE_LOCK)])
def test_a_dropped_analysis_s_preview_keeps_nothing(path, text):
    engine = Engine([], text_analyzers=[DepsAnalyzer()])
    steps = previewed(engine, text, path)
    assert any(value is not None for value in kept())  # kept for the whole read
    steps.close()  # the document closed: the scheduler drops the analysis
    assert kept() == [None, None]
    # The text opened again: its analysis is the whole analysis, from its own parse.
    whole = engine.analyse_raw(text, path, use_disk=False)
    assert [f.rule_id for f in whole.findings] == ["BST401"]
    assert kept() == [None, None]


def test_a_pyproject_s_kept_values_stay():
    """They are the settings read's and the pyproject analysis' (one parse of a 5 MB file)."""
    pyproject = '[project]\nname = "x"\ndependencies = ["requests==2.19.0"]\n'
    values = toml_text.loads(pyproject)
    DepsAnalyzer().preview_unused()
    assert toml_text._last is not None and toml_text._last[1] is values
