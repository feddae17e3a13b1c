"""The safe reader (bastion.files.read_limited) and `bastion check` on hostile trees: FIFOs,
devices and /proc-like files are refused without blocking and without reading more than the cap.

Each test that could hang on the old code runs the read in a thread (or a process) with a
deadline, and unblocks a stuck reader by opening the FIFO's other end.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bastion.files import UnreadableSource, read_limited

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 20.0
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def bastion(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m bastion ARGS` on this worktree's code; TimeoutExpired fails the test."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", cwd=cwd, env=env,
                          timeout=timeout)


def _unblock(fifo: Path) -> None:
    """Open the writing end of `fifo` so that a reader stuck on it returns."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def _read_with_deadline(path: Path, **kwargs):
    outcome: dict = {}

    def read() -> None:
        try:
            outcome["value"] = read_limited(path, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    if thread.is_alive():
        _unblock(path)
        thread.join(5)
        pytest.fail(f"read_limited({path}) blocked for {DEADLINE:.0f} s")
    return outcome


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "x.py"
    os.mkfifo(fifo)
    outcome = _read_with_deadline(fifo)
    assert isinstance(outcome.get("error"), UnreadableSource)
    assert str(outcome["error"]) == "not a regular file (FIFO)"


def test_a_symlink_to_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link.py").symlink_to(tmp_path / "pipe")
    outcome = _read_with_deadline(tmp_path / "link.py")
    assert str(outcome.get("error")) == "not a regular file (FIFO)"


def test_a_fifo_swapped_in_after_the_stat_is_refused_by_the_open_descriptor(tmp_path, monkeypatch):
    """The stat before opening is only a shortcut: the fstat of the descriptor decides, and the
    open itself does not wait for a writer."""
    regular = tmp_path / "regular.py"
    regular.write_text("x = 1\n")
    fifo = tmp_path / "x.py"
    os.mkfifo(fifo)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: real_stat(
        regular if Path(path) == fifo else path, *a, **k))
    outcome = _read_with_deadline(fifo)
    assert str(outcome.get("error")) == "not a regular file (FIFO)"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_before_it_is_read():
    outcome = _read_with_deadline(Path("/dev/zero"))
    assert str(outcome.get("error")) == "not a regular file (character device)"


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs /proc")
def test_the_cap_holds_where_st_size_says_zero():
    """/proc files are regular files of size 0 that hold more: the cap, not st_size, decides."""
    assert os.stat("/proc/self/maps").st_size == 0
    outcome = _read_with_deadline(Path("/proc/self/maps"), cap=16, what="baseline")
    assert str(outcome.get("error")) == "baseline too large (over 0 KiB)"
    data, _ = _read_with_deadline(Path("/proc/self/maps"), cap=1 << 20)["value"]
    assert b"\n" in data


def test_a_regular_file_at_the_cap_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(b"x" * 2048)
    data, stat = read_limited(path, cap=2048)
    assert data == b"x" * 2048 and stat.st_size == 2048
    path.write_bytes(b"x" * 2049)
    with pytest.raises(UnreadableSource, match=r"^too large \(2 KiB > 2 KiB\)$"):
        read_limited(path, cap=2048)


# ---- bastion check on a tree with a FIFO or a device -------------------------------------------

def _skipped(proc: subprocess.CompletedProcess, path: str, kind: str) -> bool:
    """Whether the report has the line saying that `path` was skipped as a `kind`."""
    return re.search(rf"^{re.escape(path)}: .*skipped: not a regular file \({kind}\)$",
                     proc.stdout + proc.stderr, re.MULTILINE) is not None


def _run_unblocking(fifo: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    try:
        return bastion(*args, cwd=cwd, timeout=DEADLINE * 3)
    except subprocess.TimeoutExpired:
        _unblock(fifo)
        pytest.fail(f"bastion {' '.join(args)} hung on {fifo}")


def test_check_skips_a_fifo_named_x_py_in_the_tree(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n')
    (tmp_path / "app.py").write_text("eval(data)\n")
    os.mkfifo(tmp_path / "x.py")
    proc = _run_unblocking(tmp_path / "x.py", "check", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "app.py:1:1: B307" in proc.stdout
    assert _skipped(proc, "x.py", "FIFO"), proc.stdout + proc.stderr


def test_check_skips_a_fifo_given_as_a_path(tmp_path):
    os.mkfifo(tmp_path / "x.py")
    proc = _run_unblocking(tmp_path / "x.py", "check", "--no-cache", "x.py", cwd=tmp_path)
    assert _skipped(proc, "x.py", "FIFO"), proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_check_skips_a_device_named_x_py(tmp_path):
    """Named on the command line, the link is followed and the device refused; found in a
    folder, it links out of the tree and is not even opened."""
    (tmp_path / "x.py").symlink_to("/dev/zero")
    proc = bastion("check", "--no-cache", "x.py", cwd=tmp_path, timeout=DEADLINE * 3)
    assert _skipped(proc, "x.py", "character device"), proc.stdout + proc.stderr
    proc = bastion("check", "--no-cache", ".", cwd=tmp_path, timeout=DEADLINE * 3)
    assert "x.py: error: skipped: symlink out of the tree" in proc.stdout, proc.stdout


# ---- --config and pyproject.toml that are not regular files or are huge ------------------------

def test_check_refuses_a_config_that_is_a_fifo(tmp_path):
    (tmp_path / "app.py").write_text("x = 1\n")
    os.mkfifo(tmp_path / "conf.toml")
    proc = _run_unblocking(tmp_path / "conf.toml", "check", "--no-cache", "--config", "conf.toml",
                           ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "bastion: error: conf.toml: not a regular file (FIFO)" in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_check_refuses_a_config_or_a_pyproject_that_is_dev_zero(tmp_path):
    (tmp_path / "app.py").write_text("x = 1\n")
    proc = bastion("check", "--no-cache", "--config", "/dev/zero", ".", cwd=tmp_path,
                   timeout=DEADLINE * 3)
    assert proc.returncode == 2
    assert "bastion: error: /dev/zero: not a regular file (character device)" in proc.stderr
    (tmp_path / "pyproject.toml").symlink_to("/dev/zero")
    proc = bastion("check", "--no-cache", ".", cwd=tmp_path, timeout=DEADLINE * 3)
    assert proc.returncode == 2  # a link out of its folder: not even opened
    assert "pyproject.toml: not read: symlink out of the tree" in proc.stderr


def test_check_refuses_a_huge_pyproject_without_reading_it(tmp_path):
    (tmp_path / "app.py").write_text("x = 1\n")
    with open(tmp_path / "pyproject.toml", "wb") as huge:
        huge.truncate(4 << 30)  # sparse: 4 GiB that take no disk
    proc = bastion("check", "--no-cache", ".", cwd=tmp_path, timeout=DEADLINE * 3)
    assert proc.returncode == 2
    assert re.search(r"pyproject\.toml: too large \(4194304 KiB > \d+ KiB\)", proc.stderr)


def test_the_walk_hands_a_fifo_root_to_the_reader_and_skips_a_missing_one(tmp_path):
    from bastion.config import Config
    from bastion.files import iter_source_files

    os.mkfifo(tmp_path / "x.py")
    assert list(iter_source_files(tmp_path / "x.py", Config())) == [tmp_path / "x.py"]
    assert list(iter_source_files(tmp_path / "gone", Config())) == []
