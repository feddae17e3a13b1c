"""The flow matrix (flow_matrix.py) through `bastion check --no-cache --format json`: every
vulnerable view reports its category's CWE and every safe twin does not, except the cases the
matrix marks expected-wrong, which must stay wrong until a change fixes them (then the mark goes)."""

from __future__ import annotations

import pytest
from tests.unit.flow_matrix import case_names, check_all, expected_wrong, is_right


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return check_all(tmp_path_factory.mktemp("flow_matrix"))


@pytest.mark.parametrize("key", case_names(), ids=["-".join(map(str, k)) for k in case_names()])
def test_flow_case(found, key):
    why = expected_wrong(key)
    assert is_right(key, found[key]) != bool(why), (why or "must be right", sorted(found[key]))
