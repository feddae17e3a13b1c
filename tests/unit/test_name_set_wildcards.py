"""NameSet's wildcards: compiled only when a name may match them, answering as the pattern
compiled up front did (`matchers.NameSet`)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.matchers import NameSet, glob_regex


def test_a_name_that_starts_as_no_wildcard_compiles_nothing():
    names = NameSet(["flask.*.route", "django.http.*", "exact.name"])
    assert "exact.name" in names
    assert "os.system" not in names and "flask" not in names and 3 not in names
    assert "glob" not in vars(names)  # nothing compiled yet (main compiled in __init__)
    assert "flask.app.route" in names
    assert "glob" in vars(names)
    assert "flask.app.get" not in names and "django.http.HttpResponse" in names


def test_no_wildcard_no_pattern():
    names = NameSet(["a.b"])
    assert "a.b" in names and "a" not in names and "" not in names
    assert names.glob is None


def test_leading_wildcard_is_tried_on_every_name():
    names = NameSet(["*.execute"])
    assert "cursor.execute" in names and "db.cursor().execute" in names
    assert "execute" not in names and "cursor.executemany" not in names


_PARTS = st.text(alphabet="ab.()_\n", max_size=4)


@settings(max_examples=examples(400), deadline=None)
@given(globs=st.lists(st.lists(_PARTS, min_size=1, max_size=4).map("*".join), max_size=4),
       exact=st.lists(_PARTS, max_size=2), name=st.text(alphabet="ab.()_\n", max_size=10))
def test_same_answers_as_the_pattern_compiled_up_front(globs, exact, name):
    patterns = [*globs, *exact]
    names = NameSet(patterns)
    wild = [p for p in patterns if "*" in p]
    pattern = re.compile("|".join(map(glob_regex, wild))) if wild else None
    expected = name in {p for p in patterns if "*" not in p} or (
        pattern is not None and pattern.fullmatch(name) is not None)
    assert (name in names) == expected
