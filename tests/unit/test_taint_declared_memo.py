"""taint/declared_versions.py: `of_module` keeps the packages it found in the last text it
searched (the analyzer asks three times per keystroke with the same text); what it answers for
any sequence of texts and package sets is what a fresh lookup answers."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.declared_versions import DeclaredVersions

TEXTS = ["from lxml import etree\n", "import os\n", "import lxml, jinja2\n", "x = 1\n"]
PACKAGES = [frozenset({"lxml"}), frozenset({"lxml", "jinja2"}), frozenset({"jinja2"}), frozenset()]


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asks=st.lists(st.tuples(st.integers(0, len(TEXTS) - 1), st.integers(0, len(PACKAGES) - 1),
                               st.booleans()), min_size=1, max_size=8))
def test_a_text_asked_again_is_answered_as_a_fresh_lookup(tmp_path_factory, asks):
    root = tmp_path_factory.mktemp("project")
    (root / "requirements.txt").write_text("lxml==4.9.1\njinja2>=3\n")
    path = str(root / "app.py")
    texts = [text[:1] + text[1:] for text in TEXTS]  # this example's own objects
    declared = DeclaredVersions()
    for text, packages, copy in asks:
        # `copy`: an equal text that is another object, or the same package set rebuilt
        source = texts[text][:1] + texts[text][1:] if copy else texts[text]
        wanted = frozenset(PACKAGES[packages]) if copy else PACKAGES[packages]
        assert declared.of_module(source, path, (str(root),), wanted) \
            == DeclaredVersions().of_module(source, path, (str(root),), wanted)
