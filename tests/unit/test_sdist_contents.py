"""The sdist holds the same files from a clean clone and after a full test run, and carries the
LICENSE (as the wheel does)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

# What a test run, an extension build or a bundle leaves behind: none of it belongs in the sdist.
STRAY = ["client-vscode/bundled/libs/bastion/__init__.py", "client-vscode/bundled/libs/rules/x.toml",
         "client-vscode/test/tests/stray.py", "client-vscode/out/examples/x.py", "docs/rules/x.toml"]


def _tracked_copy(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _build(tree: Path, kind: str, out: Path) -> Path:
    command = [sys.executable, "-m", "build", f"--{kind}", "--outdir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:  # offline: the installed hatchling
        command.append("--no-isolation")
    done = subprocess.run([*command, str(tree)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = out.glob("*.tar.gz" if kind == "sdist" else "*.whl")
    return built


def _members(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def test_sdist_is_the_same_after_a_test_run(tmp_path):
    tree = _tracked_copy(tmp_path / "clean")
    clean = _members(_build(tree, "sdist", tmp_path / "out-clean"))
    for name in STRAY:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text("stray = 1\n")
    dirty = _members(_build(tree, "sdist", tmp_path / "out-dirty"))
    assert dirty == clean, sorted(dirty ^ clean)
    assert "LICENSE" in clean and "pyproject.toml" in clean
    assert not [n for n in clean if n.startswith("client-vscode/")]


def test_wheel_carries_the_license(tmp_path):
    wheel = _build(_tracked_copy(tmp_path / "tree"), "wheel", tmp_path / "out")
    with zipfile.ZipFile(wheel) as archive:
        licenses = [n for n in archive.namelist() if n.endswith("/LICENSE") and ".dist-info/" in n]
        assert licenses
        assert b"Apache License" in archive.read(licenses[0])
