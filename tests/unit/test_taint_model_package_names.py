"""The taint models' `before` packages are named as packaging names them (PEP 503), read
without importing packaging.utils (`package_names.pep503_name`), and the same way by the
model loader, the scan's cache key and the manifest search."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from bastion.analyzers.rule_tables import folder_tables
from bastion.analyzers.taint.declared_versions import _named
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.scan_key import versioned_packages
from bastion.analyzers.versions import taint_models_dir
from bastion.package_names import pep503_name


@given(st.text(alphabet="aZz09-_.~ \u0130\u00df\u212a", max_size=12))
def test_a_package_name_is_named_as_packaging_names_it(name):
    assert pep503_name(name) == canonicalize_name(name)


def test_the_models_versioned_packages_are_their_names_as_packaging_gives_them():
    expected = {canonicalize_name(item["before"]["package"])
                for _, table, _ in folder_tables(taint_models_dir())
                for items in table.values() if isinstance(items, list)
                for item in items if isinstance(item, dict) and "before" in item}
    assert load_models().versioned == expected != set()


def test_the_scan_key_names_the_packages_the_loaded_models_name():
    assert versioned_packages() == load_models().versioned


_SPELLING = st.text(alphabet="aBz0-_.", min_size=1, max_size=8)


@given(_SPELLING, _SPELLING)
def test_a_manifest_spelling_is_found_exactly_when_it_names_the_same_package(package, spelling):
    # the manifest search is told the package's PEP 503 name (Models.versioned)
    pattern = _named(pep503_name(package))
    found = pattern.fullmatch(spelling) is not None
    assert found == (pep503_name(spelling) == pep503_name(package))
    assert pattern.fullmatch(package.swapcase().replace("-", "_.")) is not None
