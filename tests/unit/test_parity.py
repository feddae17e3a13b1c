"""Bastion reports what the bandit CLI reports: scripts/parity.py on a few stdlib modules.

The full default corpus (45 modules) is run by hand: `python scripts/parity.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "parity.py"
# small and medium modules that between them have shell, tmp, pickle, xml, crypto and
# bind-all findings, so an empty comparison cannot pass by accident
MODULES = "subprocess,tempfile,shelve,ctypes/util,xml/dom/minidom,http/server,ftplib,uuid"


def run_parity(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


def test_parity_with_bandit_cli_on_stdlib_modules():
    proc = run_parity("--modules", MODULES, "--columns")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PARITY: OK" in proc.stdout
    assert "skipped" not in proc.stderr, proc.stderr  # every module exists in this Python
    summary = next(line for line in proc.stdout.splitlines() if line.startswith("Files: "))
    assert summary.startswith("Files: 8;"), summary
    findings = int(summary.split("bandit findings: ")[1].split()[0])
    assert findings >= 20, summary


def test_parity_on_the_example_project():
    proc = run_parity("--no-stdlib", "--columns", str(ROOT / "examples" / "vulnerable-app"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PARITY: OK" in proc.stdout


def test_parity_reports_a_difference(tmp_path):
    """A file bandit cannot parse is an error for the comparison, never a silent pass."""
    broken = tmp_path / "broken.py"
    broken.write_text("import pickle\ndef f(:\n    pickle.loads(b'')\n", encoding="utf-8")
    proc = run_parity("--no-stdlib", str(broken))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PARITY: FAILED" in proc.stdout
