"""`bastion check --fix / --diff` on dependency manifests (issue 15): the editor's bump quick
fixes, applied by the CLI with the code fixes' labels. A bump is *review* (a newer release can
change behaviour): only `--unsafe-fixes` applies it. Lock files get advice, never edits. Real
processes on tmp projects; versions from the shipped PyPA snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.unit.test_fixes_cli import bastion

REQUIREMENTS = """requests=={requests}  # http client
flask>={flask},<3 ; python_version >= "3.8"
numpy==1.26.4
pyyaml=={pyyaml} \\
    --hash=sha256:0123456789abcdef
"""
PYPROJECT = """[project]
name = "app"
version = "1"

[tool.poetry.dependencies]
python = "^3.10"
django = "{django}"

[tool.poetry.dependencies.jinja2]
version = "{jinja2}"
optional = true
"""
UV_LOCK = """version = 1

[[package]]
name = "requests"
version = "2.19.0"
source = { registry = "https://pypi.org/simple" }
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "requirements.txt").write_text(
        REQUIREMENTS.format(requests="2.19.0", flask="0.12", pyyaml="5.3.1"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(django="~3", jinja2="~2.10"),
                                             encoding="utf-8")
    (tmp_path / "uv.lock").write_text(UV_LOCK, encoding="utf-8")
    (tmp_path / "safe-requirements.txt").write_text("requests==2.31.0\nflask>=2.3.2,<3\n",
                                                    encoding="utf-8")
    return tmp_path


def test_bumps_are_review_fixes_not_applied_by_default(project):
    proc = bastion("check", "--diff", ".", cwd=project)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout
    assert "Would fix 0 issues in 0 files (safe fixes)" in proc.stderr
    before = (project / "requirements.txt").read_text()
    assert bastion("check", "--fix", ".", cwd=project).returncode == 1  # findings remain
    assert (project / "requirements.txt").read_text() == before


def test_diff_shows_each_bump_labelled_review(project):
    proc = bastion("check", "--diff", "--unsafe-fixes", ".", cwd=project)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "# Fix BST401: Upgrade requests to 2.31.0, fixing every known advisory (review: " \
           "check that the project works with the new version" in out
    assert "# Fix BST401: Upgrade pyyaml to 5.4, fixing every known advisory (then regenerate " \
           "the --hash values) (review: " in out
    assert "# Fix BST402: Require flask >= 2.3.2" in out
    assert "# Fix BST402: Require django >=3.2.25,<4" in out
    assert '-django = "~3"\n+django = ">=3.2.25,<4"\n' in out
    assert '-version = "~2.10"\n+version = "~2.11.3"\n' in out
    assert "+requests==2.31.0  # http client\n" in out
    assert '+flask>=2.3.2,<3 ; python_version >= "3.8"\n' in out
    assert "uv.lock" not in out and "safe-requirements.txt" not in out
    assert "Would fix 5 issues in 2 files (safe and review fixes)" in proc.stderr


def test_unsafe_fixes_write_the_bumps_and_the_advisories_go_away(project):
    lock = (project / "uv.lock").read_text()
    proc = bastion("check", "--fix", "--unsafe-fixes", "--format", "json", ".", cwd=project)
    assert "Fixed 5 issues in 2 files (safe and review fixes)" in proc.stderr
    assert (project / "requirements.txt").read_text() == REQUIREMENTS.format(
        requests="2.31.0", flask="2.3.2", pyyaml="5.4")
    assert (project / "pyproject.toml").read_text() == PYPROJECT.format(
        django=">=3.2.25,<4", jinja2="~2.11.3")
    assert (project / "uv.lock").read_text() == lock  # the lock command is advice
    again = json.loads(bastion("check", "--format", "json", ".", cwd=project).stdout)
    left = {(r["path"], r["rule_id"]) for r in again["results"]}
    assert left == {("uv.lock", "BST401")}  # only the lock's pin, whose fix is `uv lock`
