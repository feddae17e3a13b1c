"""A regular file over the 8 MiB cap is "not analysed" and fails the run (exit 3), in every
output format: Python would run it, so padding a file must not hide its code from a CI gate (it
used to be "skipped" with exit 0). Files Python cannot run as source (binary, a FIFO) stay
skipped, without changing the exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bastion import files, limits
from bastion.scan import ScanItem, analyse_item

PADDED = "import os\nos.system(input())\n" + "#" * limits.MAX_FILE_BYTES + "\n"
REASON = "over 8 MiB (8193 KiB; limit 8192 KiB)"


def _check(cwd, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BASTION_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "bastion", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def padded(tmp_path):
    (tmp_path / "padded.py").write_text(PADDED)
    return tmp_path


def test_a_padded_file_is_not_analysed_and_fails_even_with_fail_on_never(padded):
    proc = _check(padded, "--fail-on", "never", ".")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert f"padded.py: error: not analysed: {REASON}" in proc.stdout
    assert "NOT fully analysed" in proc.stdout and "skipped" not in proc.stdout


@pytest.mark.parametrize("output", ["json", "sarif", "github", "concise"])
def test_every_output_format_says_not_analysed(padded, output):
    proc = _check(padded, "--output-format", output, ".")
    assert proc.returncode == 3, proc.stderr
    assert f"not analysed: {REASON}" in proc.stdout
    if output == "json":
        (entry,) = json.loads(proc.stdout)["files"]
        assert entry["status"] == "not-analysed"
    if output == "sarif":
        assert json.loads(proc.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_a_file_at_the_cap_is_analysed(tmp_path):
    """The twin one byte shorter is read, and its flow found."""
    (tmp_path / "app.py").write_text(PADDED[:limits.MAX_FILE_BYTES - 1] + "\n")
    proc = _check(tmp_path, "app.py")
    assert proc.returncode == 1, proc.stderr
    assert "BST202" in proc.stdout


def test_binary_and_special_files_stay_skipped_with_their_exit_status(tmp_path):
    (tmp_path / "blob.py").write_bytes(b"x = 1\x00\n")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.py")
    proc = _check(tmp_path, ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "blob.py: error: skipped: binary file" in proc.stdout
    assert "not analysed" not in proc.stdout


def test_a_scan_says_why_in_the_outcome(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 1024)
    path = tmp_path / "big.py"
    path.write_bytes(b"x = 1\n" * 400)
    outcome = analyse_item(ScanItem(str(path), "big.py", None))
    assert outcome.error is None
    assert [str(e) for e in outcome.analysis.errors] == [
        "not analysed: over 1 KiB (3 KiB; limit 1 KiB)"]
