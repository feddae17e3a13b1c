"""A TOML lock's packages written as an inline array of tables (`package = [{ name = "x",
version = "1.0" }, ...]`, valid TOML that no lock tool writes) have no `[[package]]` line to
place their versions on: the lock is "not analysed" with that reason, never a clean result
(it was read as no package at all). Likewise a table whose header is written otherwise
(`[["package"]]`), which the version scan does not pair with its table."""

from __future__ import annotations

import pytest
from tests.unit.test_deps_lock_cut import _read

from bastion.deps import store
from bastion.deps.location import shipped_index_path

# (name, version) of each package; requests 2.19.0: CVE-2018-18074 in the shipped snapshot.
PACKAGES = [("certifi", "2024.8.30"), ("requests", "2.19.0")]
HEAD = {"uv.lock": "version = 1\n", "poetry.lock": "", "pdm.lock": '[metadata]\nlock_version = "4.5.0"\n',
        "pylock.toml": 'lock-version = "1.0"\ncreated-by = "uv"\n'}
TAIL = {"poetry.lock": '\n[metadata]\nlock-version = "2.0"\ncontent-hash = "0f2c"\n'}


def _block(name: str) -> str:
    return "packages" if name == "pylock.toml" else "package"


def _tables(name: str, header: str) -> str:
    return HEAD[name] + "".join(f'\n{header}\nname = "{n}"\nversion = "{v}"\n' for n, v in PACKAGES) \
        + TAIL.get(name, "")


def _inline(name: str) -> str:
    listed = "".join(f'  {{ name = "{n}", version = "{v}" }},\n' for n, v in PACKAGES)
    array = f"{_block(name)} = [\n{listed}]\n"  # a top-level key: before any table
    head = HEAD[name]
    return (array + head if head.startswith("[") else head + array) + TAIL.get(name, "")


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@pytest.mark.parametrize("name", HEAD)
def test_the_array_of_tables_form_is_read(shipped, name):
    text = _tables(name, f"[[{_block(name)}]]")
    assert _read(name, text, shipped) == ([("BST401", text.splitlines().index('version = "2.19.0"'))], [])


@pytest.mark.parametrize("name", HEAD)
def test_an_inline_array_of_the_same_packages_is_not_analysed_never_clean(shipped, name):
    found, (reason,) = _read(name, _inline(name), shipped)
    block = _block(name)
    assert found == []
    assert reason.startswith(f"not analysed: 2 `{block}` tables but 0 `[[{block}]]` header lines")


@pytest.mark.parametrize("name", HEAD)
def test_a_header_written_otherwise_is_not_paired_with_a_wrong_table(shipped, name):
    block = _block(name)
    text = _tables(name, f"[[{block}]]").replace(f"[[{block}]]", f'[["{block}"]]', 1)
    found, (reason,) = _read(name, text, shipped)
    assert found == [] and reason.startswith(f"not analysed: 2 `{block}` tables but 1 `[[{block}]]`")
