"""The wheel ships the rule catalog where `rules_dir()` finds it once installed."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bastion.catalog.loader import load_rule_files

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out)]
    # Offline machines can build only with a hatchling that is already installed.
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")
    done = subprocess.run([*command, str(REPO)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_has_catalog_code(names):
    assert "bastion/catalog/paths.py" in names
    assert "bastion/catalog/index.py" in names


def test_wheel_has_every_rule_file(names):
    assert "bastion/rules/bandit/B602.toml" in names
    expected = {f"bastion/rules/{p.relative_to(REPO / 'rules').as_posix()}"
                for p in (REPO / "rules").rglob("*.toml")}
    assert expected, "no rule files in the checkout"
    assert expected <= names, sorted(expected - names)


def test_wheel_has_no_bytecode(names):
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_installed_wheel_finds_its_rules(wheel, tmp_path):
    # Unpacked on sys.path ahead of the editable install, as a real install would be.
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    probe = ("from bastion.catalog.paths import rules_dir\n"
             "from bastion.catalog.index import load_catalog\n"
             "print(rules_dir())\n"
             "print(len(load_catalog()))\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, count = done.stdout.split()
    assert Path(where).resolve() == (tmp_path / "bastion" / "rules").resolve()
    specs, _ = load_rule_files(REPO / "rules")
    assert specs and int(count) == len(specs)
