"""Older pdm.lock formats (issue 15): PDM 1.x (lock_version 3.x) and PDM 2.x up to lock_version
4.2 write the `[[package]]` tables first (name, version, requires_python, summary,
dependencies), then `[metadata]` (lock_version, content_hash) and `[metadata.files]`, the hashes
of every package keyed "name version". Their packages are read as today's: the finding on the
version's line naming `pdm update NAME`, in the whole, per-package and preview readings alike.
A lock cut short or malformed is "not analysed", never a silent clean result. Versions from the
shipped PyPA snapshot (requests 2.19.0: CVE-2018-18074; 2.32.3 is its safe twin)."""

from __future__ import annotations

import pytest

from bastion.deps import analysis, fix, lock_preview, store
from bastion.deps.location import shipped_index_path
from bastion.deps.lock_blocks import LockCache

PACKAGES = """\
[[package]]
name = "certifi"
version = "2024.8.30"
requires_python = ">=3.6"
summary = "Python package for providing Mozilla's CA Bundle."

[[package]]
name = "mylib"
version = "0.1.0"
git = "https://github.com/example/mylib.git"
ref = "main"
revision = "6a1a4e1f0c1d2e3f405162738495a6b7c8d9e0f1"
summary = "A library from git."

[[package]]
name = "myproject"
version = "0.0.0"
path = "."
editable = true
summary = "The project itself."

[[package]]
name = "pysocks"
version = "1.7.1"
requires_python = ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*"
summary = "A Python SOCKS client module."

[[package]]
name = "requests"
version = "{requests}"
requires_python = ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*"
summary = "Python HTTP for Humans."
dependencies = [
    "certifi>=2017.4.17",
]

[[package]]
name = "requests"
version = "{requests}"
extras = ["socks"]
requires_python = ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*"
summary = "Python HTTP for Humans."
dependencies = [
    "PySocks!=1.5.7,>=1.5.6",
    "requests=={requests}",
]
"""

FILES = """
[metadata.files]
"certifi 2024.8.30" = [
    {{file = "certifi-2024.8.30-py3-none-any.whl", hash = "sha256:922820b5"}},
]
"requests {requests}" = [
    {{url = "https://files.pythonhosted.org/requests-{requests}-py2.py3-none-any.whl", hash = "sha256:42"}},
]
"""

METADATA = {
    "3.1": '\n[metadata]\nlock_version = "3.1"\ncontent_hash = "sha256:0f2c7c1d"\n',
    "4.2": '\n[metadata]\nlock_version = "4.2"\ncross_platform = true\ngroups = ["default", "dev"]\n'
           'content_hash = "sha256:838a39f6"\n',
}


def old_lock(lock_version: str, requests: str) -> str:
    return PACKAGES.format(requests=requests) + METADATA[lock_version] + FILES.format(requests=requests)


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def readings(text: str, index) -> list[analysis.Result]:
    return [analysis.analyse("/w/pdm.lock", text, "/w", index),
            analysis.analyse("/w/pdm.lock", text, "/w", index, pieces=LockCache())]


@pytest.mark.parametrize("lock_version", sorted(METADATA))
def test_an_old_lock_s_vulnerable_package_is_reported_on_its_version_line(shipped, lock_version):
    text = old_lock(lock_version, "2.19.0")
    line = text.splitlines().index('version = "2.19.0"')  # the bare table's, not the extras one's
    for result in readings(text, shipped):
        (finding,) = result.findings  # not the git or path packages; the extras table not again
        assert finding.rule_id == "BST401" and "CVE-2018-18074" in finding.message
        assert (finding.span.start_line, finding.span.start_col, finding.span.end_col) == (line, 11, 17)
        assert finding.message.endswith("run `pdm update requests`.")
        assert result.not_analysed == ()
    lines = text.splitlines()
    assert lock_preview.findings_on("pdm.lock", text, lines, 0, len(lines) - 1) == list(result.findings)
    # The lock is never edited: its fix is the command the message names.
    assert fix.bump("/w/pdm.lock", text, line, 12, shipped) is None


@pytest.mark.parametrize("lock_version", sorted(METADATA))
def test_an_old_lock_s_safe_twin_has_no_finding(shipped, lock_version):
    for result in readings(old_lock(lock_version, "2.32.3"), shipped):
        assert result.findings == () and result.not_analysed == ()


def test_a_lock_cut_anywhere_is_read_whole_or_says_it_is_not_analysed(shipped):
    """PDM 1.x writes `[metadata]` last: a lock cut before it is missing it, and a cut within a
    line leaves a string or a table header open. Every cut gives the whole lock's findings or
    a reason, the same in both readings, never an exception."""
    text = old_lock("3.1", "2.19.0")
    (whole,) = {result.findings for result in readings(text, shipped)}
    silent_cuts = []
    for cut in range(len(text)):
        whole_read, pieces_read = readings(text[:cut], shipped)
        assert (whole_read.findings, whole_read.not_analysed) \
            == (pieces_read.findings, pieces_read.not_analysed)
        if not whole_read.not_analysed:
            assert whole_read.findings == whole, repr(text[:cut][-40:])
            silent_cuts.append(cut)
    assert min(silent_cuts) > text.index("[metadata]")  # only cuts after the metadata table read


@pytest.mark.parametrize(("text", "reason", "line"), [
    # cut after a package's name: the package is named, on its table's line
    ('[metadata]\nlock_version = "4.5.0"\n\n[[package]]\nname = "requests"\n',
     "requests: no `version = \"...\"` line read: not analysed", 3),
    ('[metadata]\nlock_version = "4.5.0"\n\n[[package]]\n', "a package table with no name", 3),
    ('[metadata]\nlock_version = "4.5.0"\n\n[[package]]\nname = "requests"\n"version" = "2.19.0"\n',
     "requests: no `version = \"...\"` line read", 3),
    ('package = "requests"\n[metadata]\nlock_version = "4.5.0"\n',
     "`package` is not an array of tables ([[package]]): no package is analysed", None),
    ('[metadata]\nlock_version = "4.5.0"\n\n[package]\nname = "requests"\nversion = "2.19.0"\n',
     "`package` is not an array of tables", None),
    ('[[package]]\nname = "requests"\nversion = "2.32.3"\n', "looks cut short (no [metadata] table",
     None),
])
def test_a_malformed_lock_says_what_is_not_analysed(shipped, text, reason, line):
    for result in readings(text, shipped):
        assert result.findings == ()
        (problem,) = result.not_analysed
        assert problem.reason.startswith(reason) and problem.start_line == line


def test_a_git_package_with_no_version_is_not_a_problem(shipped):
    text = '[metadata]\nlock_version = "4.5.0"\n\n[[package]]\nname = "mylib"\ngit = "https://x/y.git"\n'
    for result in readings(text, shipped):
        assert result.findings == () and result.not_analysed == ()
