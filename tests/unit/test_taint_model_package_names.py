"""The taint models' `before` packages are named as packaging names them (PEP 503), read
without importing packaging.utils (`model_files.pep503_name`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from bastion.analyzers.rule_tables import folder_tables
from bastion.analyzers.taint.model_files import load_models, pep503_name
from bastion.analyzers.versions import taint_models_dir


@given(st.text(alphabet="aZz09-_.~ \u0130\u00df\u212a", max_size=12))
def test_a_package_name_is_named_as_packaging_names_it(name):
    assert pep503_name(name) == canonicalize_name(name)


def test_the_models_versioned_packages_are_their_names_as_packaging_gives_them():
    expected = {canonicalize_name(item["before"]["package"])
                for _, table, _ in folder_tables(taint_models_dir())
                for items in table.values() if isinstance(items, list)
                for item in items if isinstance(item, dict) and "before" in item}
    assert load_models().versioned == expected != set()
