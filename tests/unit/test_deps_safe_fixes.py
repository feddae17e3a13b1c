"""The safe fixes of a package (final `fixed` versions no advisory affects), found by bisection
(`index.unaffected`), are the ones each candidate's test against each advisory gives; the
index's versions, parsed once per text, make the same index."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version
from tests.hypothesis_budget import examples

from bastion.deps import index as index_module
from bastion.deps import store
from bastion.deps.index import unaffected
from bastion.deps.location import current_path
from bastion.deps.osv import Bound, Interval

# Versions that compare equal written apart (1.0, 1.0.0), pre-releases and post-releases.
VERSIONS = st.builds(lambda major, minor, zero, tail: Version(
    f"{major}.{minor}{'.0' if zero else ''}{tail}"), st.integers(0, 4), st.integers(0, 3),
    st.booleans(), st.sampled_from(["", "", "", "rc1", ".post1", "a2"]))
BOUNDS = st.builds(Bound, st.one_of(st.none(), VERSIONS), st.booleans())


def _tested(candidates, intervals):
    return tuple(v for v in candidates if not any(i.contains(v) for i in intervals))


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(VERSIONS, max_size=12), st.lists(st.builds(Interval, BOUNDS, BOUNDS), max_size=6))
def test_bisection_gives_each_candidates_test(versions, intervals):
    candidates = sorted({v for v in versions if not v.is_prerelease})
    assert unaffected(candidates, intervals) == _tested(candidates, intervals)


def test_every_package_of_the_shipped_index():
    index = store.load()
    for affected in index.packages.values():
        candidates = sorted({v for a in affected for v in a.fixed if not v.is_prerelease})
        intervals = [i for a in affected for i in a.intervals]
        assert unaffected(candidates, intervals) == _tested(candidates, intervals)


def test_versions_parsed_once_per_text_give_the_same_index(monkeypatch):
    data = current_path().read_bytes()
    cached = index_module.loads(data)
    monkeypatch.setattr(index_module, "_parsed_version", Version)
    assert cached == index_module.loads(data)
    assert cached.packages == index_module.loads(data).packages and cached.packages
