"""Manifest parsers: every dependency with the exact span of its version, and what cannot be
read reported as a problem, never skipped silently."""

from __future__ import annotations

import os

import pytest
from tests.unit.test_deps_pdm_lock import PDM_LOCK

from bastion.deps import locks, pyproject, requirements_txt
from bastion.deps.names import manifest_kind


def text_at(text: str, span) -> str:
    lines = text.splitlines()
    assert span.start_line == span.end_line
    return lines[span.start_line][span.start_col:span.end_col]


def by_name(manifest):
    return {d.name: d for d in manifest.dependencies}


REQUIREMENTS = """\
# a comment line
Django[argon2] == 3.2.5 ; python_version > "3.8" \\
    --hash=sha256:0123  # pinned for the LTS
requests>=2.0,<3   # range
-e ./local-package
https://example.org/pkg-1.0.whl
./vendored
flask (==1.0)
--index-url https://pypi.org/simple
urllib3
Jinja2===2.10
"""


def test_requirements_pins_ranges_and_options():
    includes, manifest = requirements_txt.parse(REQUIREMENTS)
    deps = by_name(manifest)
    assert set(deps) == {"django", "requests", "flask", "urllib3", "jinja2"}
    django = deps["django"]
    assert django.pinned == "3.2.5" and django.hashed
    assert text_at(REQUIREMENTS, django.span) == "== 3.2.5"
    assert text_at(REQUIREMENTS, django.version_span) == "3.2.5"
    assert text_at(REQUIREMENTS, django.name_span) == "Django"
    assert deps["requests"].pinned is None and deps["requests"].specifier == ">=2.0,<3"
    assert text_at(REQUIREMENTS, deps["requests"].span) == ">=2.0,<3"
    assert text_at(REQUIREMENTS, deps["flask"].version_span) == "1.0"
    assert deps["urllib3"].specifier == "" and text_at(REQUIREMENTS, deps["urllib3"].span) == "urllib3"
    assert deps["jinja2"].pinned == "2.10"
    assert not manifest.problems and not includes


def test_requirements_continuation_spans_the_physical_line():
    text = "requests \\\n  ==2.19.0\n"
    (dep,) = requirements_txt.parse(text)[1].dependencies
    assert (dep.version_span.start_line, text_at(text, dep.version_span)) == (1, "2.19.0")


def test_a_bad_line_is_a_problem_on_that_line():
    _, manifest = requirements_txt.parse("requests==2.0\nnot a requirement ===\n")
    assert [p.line for p in manifest.problems] == [1]
    assert len(manifest.dependencies) == 1


def test_includes_are_followed_once_and_stay_in_the_workspace(tmp_path):
    (tmp_path / "constraints.txt").write_text("django==3.2.5\n-c constraints.txt\n-r common.txt\n")
    (tmp_path / "common.txt").write_text("requests==2.19.0\n-c constraints.txt\n")
    (tmp_path / "requirements-dev.txt").write_text("pytest==7.0\n")  # a manifest: reports itself
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("jinja2==2.10\n")
    main = tmp_path / "requirements.txt"
    text = (f"-c constraints.txt\n-r requirements-dev.txt\n-r ../{outside.name}\n"
            "-r missing.txt\nflask==1.0\n")
    main.write_text(text)
    manifest = requirements_txt.read_with_includes(str(main), text, str(tmp_path))
    found = {(d.name, d.span.start_line, d.via) for d in manifest.dependencies}
    assert found == {("flask", 4, ""), ("django", 0, "constraints.txt:1"),
                     ("requests", 0, "common.txt:1")}
    problems = {p.line: p.reason for p in manifest.problems}
    assert f"outside the folder {os.path.realpath(tmp_path)!r}: not read" in problems[2]
    assert "cannot read" in problems[3]


def test_an_include_that_is_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    text = "-r pipe.txt\n"
    manifest = requirements_txt.read_with_includes(str(tmp_path / "requirements.txt"), text,
                                                   str(tmp_path))
    assert "not a regular file" in manifest.problems[0].reason


PYPROJECT = """\
[project]
name = "demo"
dependencies = [
  "Django==3.2.5; python_version>'3'",  # pinned
  'requests[socks] >= 2.0',
  "flask",
]
[project.optional-dependencies]
dev = ["pytest==7.0"]

[dependency-groups]
test = ["jinja2==2.10", {include-group = "dev"}]

[tool.poetry.dependencies]
python = "^3.10"
urllib3 = "1.26.4"
pillow = { version = "^8.0", extras = ["x"] }

[tool.poetry.group.dev.dependencies]
aiohttp = "~3.8"
"""


def test_pyproject_pep621_pep735_and_poetry():
    manifest = pyproject.parse(PYPROJECT)
    deps = by_name(manifest)
    assert set(deps) == {"django", "requests", "flask", "pytest", "jinja2", "urllib3", "pillow",
                         "aiohttp"}
    assert text_at(PYPROJECT, deps["django"].version_span) == "3.2.5"
    assert deps["django"].span.start_line == 3
    assert text_at(PYPROJECT, deps["requests"].span) == ">= 2.0"
    assert deps["jinja2"].pinned == "2.10" and deps["jinja2"].span.start_line == 11
    assert deps["urllib3"].pinned == "1.26.4"
    assert text_at(PYPROJECT, deps["urllib3"].version_span) == "1.26.4"
    assert deps["pillow"].specifier == ">=8.0,<9" and text_at(PYPROJECT, deps["pillow"].span) == "^8.0"
    assert deps["aiohttp"].specifier == ">=3.8,<3.9"


@pytest.mark.parametrize(("poetry", "pep440"), [
    ("^1.2.3", ">=1.2.3,<2"), ("^0.2.3", ">=0.2.3,<0.3"), ("^0.0.3", ">=0.0.3,<0.0.4"),
    ("~1.2.3", ">=1.2.3,<1.3"), ("~1", ">=1,<2"), ("*", ""), ("1.2", "==1.2"),
    (">=1.0,<2", ">=1.0,<2"),
])
def test_poetry_constraints(poetry, pep440):
    assert pyproject.poetry_to_pep440(poetry) == pep440


def test_invalid_toml_is_a_problem():
    assert pyproject.parse("[project\n").problems


UV_LOCK = """\
version = 1

[[package]]
name = "Django"
version = "3.2.5"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "asgiref" }]

[[package]]
name = "mylib"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "requests"
version = "2.19.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files/x.whl", hash = "sha256:1" }]
"""

POETRY_LOCK = """\
[[package]]
name = "jinja2"
version = "2.10"
description = "x"

[package.dependencies]
markupsafe = ">=0.23"

[[package]]
name = "gitdep"
version = "1.0"

[package.source]
type = "git"
url = "https://example.org/x.git"
"""

PYLOCK = """\
lock-version = "1.0"
created-by = "pip"

[[packages]]
name = "urllib3"
version = "1.26.4"
[[packages.wheels]]
url = "https://files/urllib3.whl"

[[packages]]
name = "local"
version = "2.0"
[packages.directory]
path = "."
"""

PIPFILE_LOCK = """\
{
    "_meta": {"hash": {"sha256": "x"}},
    "default": {
        "django": {
            "hashes": ["sha256:1"],
            "version": "==3.2.5"
        }
    },
    "develop": {
        "pytest": {"version": "==7.0.0"}
    }
}
"""


@pytest.mark.parametrize(("kind", "text", "expected", "command"), [
    ("uv.lock", UV_LOCK, {"django": "3.2.5", "requests": "2.19.0"}, "uv lock --upgrade-package"),
    ("poetry.lock", POETRY_LOCK, {"jinja2": "2.10"}, "poetry update"),
    ("pdm.lock", PDM_LOCK.format(requests="2.19.0"),
     {"requests": "2.19.0", "certifi": "2024.8.30", "urllib3": "2.2.3"}, "pdm update"),
    ("pylock", PYLOCK, {"urllib3": "1.26.4"}, "pip lock"),
    ("Pipfile.lock", PIPFILE_LOCK, {"django": "3.2.5", "pytest": "7.0.0"}, "pipenv update"),
])
def test_locks(kind, text, expected, command):
    manifest = locks.parse(kind, text)
    assert {d.name: d.pinned for d in manifest.dependencies} == expected
    for dep in manifest.dependencies:
        assert dep.locked and command in dep.lock_command
        assert text_at(text, dep.span) == expected[dep.name]


@pytest.mark.parametrize(("path", "kind"), [
    ("requirements.txt", "requirements"), ("requirements-dev.txt", "requirements"),
    ("dev-requirements.txt", "requirements"), ("pyproject.toml", "pyproject"),
    ("uv.lock", "uv.lock"), ("poetry.lock", "poetry.lock"), ("pdm.lock", "pdm.lock"),
    ("pylock.toml", "pylock"),
    ("pylock.dev.toml", "pylock"), ("Pipfile.lock", "Pipfile.lock"), ("setup.py", None),
    ("notes.txt", None), ("MANIFEST.in", None), ("base.in", "requirements"),
])
def test_manifest_kinds(path, kind):
    assert manifest_kind(path) == kind
