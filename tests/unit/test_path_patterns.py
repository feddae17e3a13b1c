"""`exclude` / `per_path_ignores` patterns compiled once (bastion.path_patterns) match exactly
what the pattern-by-pattern reference matches, for generated patterns and paths; and a
configuration with 10k patterns costs about one lookup per path, not one fnmatch per pattern
(the timing itself is asserted in bench/hostile_inputs_bench.py).
"""

from __future__ import annotations

import fnmatch
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.config import Config
from bastion.path_patterns import PathPatterns, _matches_one

_PIECES = ["a", "b", "src", "tests", "build", ".", "..", "x.py", "t_1.py", "*", "?", "**",
           "[ab]", "[!a]", "[]]", "[", "]", "./", "/", "-", " ", "A"]
_PARTS = ["a", "b", "src", "tests", "build", "x.py", "t_1.py", "A", "[ab]", ".hidden", "",
          "ab", "ba", "a b", "]"]

patterns = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join)
paths = st.lists(st.sampled_from(_PARTS), min_size=1, max_size=6).map("/".join)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(patterns, min_size=1, max_size=12), st.lists(paths, min_size=1, max_size=8))
def test_compiled_patterns_match_what_each_pattern_matches(pattern_list, path_list):
    compiled = PathPatterns(pattern_list)
    for rel in path_list:
        expected = {p for p in pattern_list if _matches_one(rel, p)}
        assert compiled.matching(rel) == expected, (rel, pattern_list)


def test_documented_shapes():
    cases = {
        "tests/": ["tests/unit/x.py", "src/tests/x.py"],
        "scripts/*.py": ["scripts/a.py", "scripts/sub/a.py"],
        "*/generated/*": ["src/generated/api.py"],
        "./build": ["build/x.py"],
        "pkg/gen": ["src/pkg/gen/x.py"],
    }
    for pattern, matched in cases.items():
        for rel in matched:
            assert PathPatterns([pattern]).matching(rel) == {pattern}, (pattern, rel)
    assert not PathPatterns(["tests/"]).matching("src/test/x.py")
    assert not PathPatterns(["", "  ", "/"]).matching("a/b.py")


def test_ten_thousand_patterns_try_few_globs_per_path(monkeypatch):
    """With 5k plain names and 5k globs, one path runs fnmatch on a handful of globs."""
    names = [f"build{i}" for i in range(5000)] + [f"*/gen{i}/*.py" for i in range(5000)]
    compiled = PathPatterns(names)
    calls = []
    real = fnmatch.fnmatch
    monkeypatch.setattr(fnmatch, "fnmatch", lambda n, p: calls.append(p) or real(n, p))
    assert compiled.matching("src/pkg1/mod1.py") == set()
    assert compiled.matching("src/gen42/mod.py") == {"*/gen42/*.py"}
    assert compiled.matching("x/build4999/y.py") == {"build4999"}
    assert len(set(calls)) <= 20, len(set(calls))


def test_config_per_path_ignores_union_the_rules_of_every_matching_pattern(tmp_path):
    from bastion.model import Finding, Level, Span

    def finding(rule_id):
        return Finding(rule_id=rule_id, name="n", message="m", severity=Level.HIGH,
                       confidence=Level.HIGH, span=Span(0, 0, 0, 1), cwe=None, source="bandit")

    cfg = Config(per_path_ignores=(("tests/", ("B101",)), ("*.py", ("B6",)), ("x", ("B3",))),
                 root=str(tmp_path))
    path = str(tmp_path / "tests" / "a.py")
    assert not cfg.reports(finding("B101"), path)
    assert not cfg.reports(finding("B602"), path)
    assert cfg.reports(finding("B307"), path)
    assert cfg.reports(finding("B101"), str(tmp_path / "src" / "a.py"))
    # The compiled patterns are derived state: not compared, not sent to worker processes.
    assert cfg == Config(per_path_ignores=cfg.per_path_ignores, root=str(tmp_path))
    copy = pickle.loads(pickle.dumps(cfg))
    assert copy == cfg and copy._compiled._ignores is None
    assert not copy.reports(finding("B101"), path)


def test_classes_that_open_with_a_bracket_hold_no_literal_text():
    """`[]aaa[ab]` is one class (fnmatch reads a `]` right after `[` or `[!` as a member):
    indexing "aaa" as literal text made the pattern miss `a` (found by the property test)."""
    for pattern, rel in [("[]aaa[ab]", "a"), ("[!]xyz]", "q"), ("src/[]abc]", "src/c"),
                         ("[abc", "[abc"), ("x[]yyy]z", "xyz")]:
        assert _matches_one(rel, pattern), (pattern, rel)
        assert PathPatterns([pattern]).matching(rel) == {pattern}, (pattern, rel)
