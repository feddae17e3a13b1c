"""A large requirements file is read whole with the garbage collector paused (deps/collector.py:
its dependencies, a million tracked objects at 5 MB, were walked by every collection of the
parse, 0.6 of 2.35 s): no collection runs during the read, the collector is on again after it
(off if the caller had it off), a short file's read leaves it alone, and the results are the
ones read with the collector running."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import analysis, collector, requirements_txt, store
from bastion.deps.location import shipped_index_path

LINES = ["django==3.2.5  # web", "requests[socks]==2.19.0 ; python_version > '3.8'",
         "requests==2.32.3", "jinja2>=2.11.3,<4", "flask", "reqeusts==2.31.0",
         "pyyaml==5.3.1 --hash=sha256:0123456789abcdef", "not a requirement ((", "urllib3 \\",
         "  ==1.26.4", "-e ./local", "# a comment", "", "numpy==1.26.4 \\", "# ends the join"]


def large(count: int, seed: int = 0) -> str:
    return "\n".join(LINES[(i * 7 + seed) % len(LINES)] if i % 3 == 0 else f"package-{i}=={i % 50}.0"
                     for i in range(count)) + "\n"


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@pytest.fixture
def collector_on():
    """The collector on and eager (every 50 allocations), as it was after."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(50, 10, 10)
    gc.enable()
    yield
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


@pytest.fixture
def states(monkeypatch):
    """Whether the collector was on at each requirement line read and each advisory match."""
    seen: list[bool] = []

    def watched(function):
        def call(*args, **kwargs):
            seen.append(gc.isenabled())
            return function(*args, **kwargs)
        return call

    monkeypatch.setattr(requirements_txt, "_dependency", watched(requirements_txt._dependency))
    monkeypatch.setattr(analysis.match, "findings", watched(analysis.match.findings))
    return seen


def test_a_large_file_is_read_whole_with_the_collector_off(shipped, collector_on, states):
    text = large(collector.PAUSE_LINES + 10)
    result = analysis.analyse("/w/requirements.txt", text, "/w", shipped)
    assert len(states) > collector.PAUSE_LINES // 2 and not any(states)
    assert gc.isenabled() and len(result.findings) > 1000
    states.clear()
    requirements_txt.parse_lines(text.splitlines())  # the parse alone too (a bump's)
    assert len(states) > collector.PAUSE_LINES // 2 and not any(states)
    assert gc.isenabled()


def test_a_short_file_s_read_leaves_the_collector_alone(shipped, collector_on, states):
    analysis.analyse("/w/requirements.txt", large(collector.PAUSE_LINES - 10), "/w", shipped)
    assert states and all(states)


def test_a_caller_with_the_collector_off_finds_it_off(shipped, collector_on):
    gc.disable()
    analysis.analyse("/w/requirements.txt", large(collector.PAUSE_LINES + 10), "/w", shipped)
    assert not gc.isenabled()


def test_the_collector_is_on_again_after_a_failure(collector_on):
    with pytest.raises(ValueError), collector.paused(True):
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


@settings(max_examples=examples(12), deadline=None)
@given(st.integers(0, len(LINES) - 1), st.sampled_from([5, 40]))
def test_the_results_are_those_read_with_the_collector_running(seed, pause_lines):
    """Read with the pause (`PAUSE_LINES` small) and without: the same findings, problems and
    dependencies, spans and all."""
    index = store.load(shipped_index_path())
    text = large(60 + seed, seed)
    kept = collector.PAUSE_LINES
    try:
        collector.PAUSE_LINES = pause_lines
        paused = analysis.analyse("/w/requirements.txt", text, "/w", index), \
            requirements_txt.parse_lines(text.splitlines())[1]
        collector.PAUSE_LINES = 10 ** 9
        running = analysis.analyse("/w/requirements.txt", text, "/w", index), \
            requirements_txt.parse_lines(text.splitlines())[1]
    finally:
        collector.PAUSE_LINES = kept
    assert paused == running
    assert paused[0].not_analysed and paused[0].findings  # the generated lines have both
