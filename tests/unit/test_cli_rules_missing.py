"""A broken install (no `rules/` beside the package, or only part of it) refuses to analyse with
one message naming what is missing and how to reinstall (exit 2): it used to run no rule and no
taint model and report a clean result."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.broken_install import broken_install

VULNERABLE = "import os\nos.system(input())\n"


def _bastion(server, *args: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(server), "BASTION_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "bastion", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kept, missing", [
    ((), "no rules folder at "),
    (("bandit", "bastion"), "no rule files in "),
])
def test_check_refuses_without_the_rule_files(tmp_path, kept, missing):
    server = broken_install(tmp_path, kept)
    (tmp_path / "app.py").write_text(VULNERABLE)
    proc = _bastion(server, "check", "--fail-on", "never", "app.py", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("bastion: error: Bastion's rule files are missing (" + missing)
    assert str(tmp_path / "install" / "rules" / ("taint" if kept else "")).rstrip("/") in line
    assert "Reinstall Bastion from its wheel (pip install --force-reinstall bastion_lsp-*.whl" in line
    assert "no package index serves it" in line


def test_a_complete_install_analyses(tmp_path):
    """The safe twin: the same copy with every rule folder beside it finds the flow."""
    server = broken_install(tmp_path, ("bandit", "bastion", "taint"))
    (tmp_path / "app.py").write_text(VULNERABLE)
    proc = _bastion(server, "check", "app.py", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "BST202" in proc.stdout  # the taint models ran


def test_baseline_create_refuses_too(tmp_path):
    server = broken_install(tmp_path)
    (tmp_path / "app.py").write_text(VULNERABLE)
    proc = _bastion(server, "baseline", "create", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Bastion's rule files are missing" in proc.stderr
    assert not (tmp_path / ".bastion-baseline.json").exists()
