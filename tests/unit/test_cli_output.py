"""Where `bastion check` writes its report (-o, standard output) when the target is hostile or
broken: one clear message and exit 2 (1 means findings), never a traceback, never a file
other than the one asked for replaced, and a regular target written atomically.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.test_safe_reader import bastion

VULNERABLE = "eval(data)\n"


def _shell(command: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """`sh -c COMMAND`, where {bastion} runs this worktree's bastion."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "server")}
    command = command.format(bastion=f"{shlex.quote(sys.executable)} -m bastion")
    return subprocess.run(["sh", "-c", command], cwd=cwd, env=env, text=True, timeout=120,
                          **kwargs)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n')
    (tmp_path / "app.py").write_text(VULNERABLE)
    return tmp_path


def _refused(proc: subprocess.CompletedProcess, message: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert f"bastion: error: {message}" in proc.stderr, proc.stderr


def test_missing_folder(tree):
    proc = bastion("check", "--no-cache", ".", "-o", "missing/report.txt", cwd=tree)
    _refused(proc, f"missing/report.txt: cannot write the report: folder {tree / 'missing'} "
                   "does not exist")


def test_a_folder(tree):
    (tree / "out").mkdir()
    _refused(bastion("check", "--no-cache", ".", "-o", "out", cwd=tree),
             "out: cannot write the report: it is a folder")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk(tree):
    _refused(bastion("check", "--no-cache", ".", "-o", "/dev/full", cwd=tree),
             "/dev/full: cannot write the report (No space left on device)")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_standard_output_on_a_full_disk(tree):
    with open("/dev/full", "w") as full:
        proc = _shell("exec {bastion} check --no-cache .", tree, stdout=full,
                      stderr=subprocess.PIPE)
    _refused(proc, "cannot write the report to standard output (No space left on device)")


def test_closed_standard_output(tree):
    # `bastion check . >&-`: descriptor 1 closed before Python starts.
    proc = _shell("exec {bastion} check --no-cache . >&-", tree, stderr=subprocess.PIPE)
    _refused(proc, "standard output is closed; give -o FILE for the report")
    proc = _shell("exec {bastion} check --no-cache . -o report.txt >&-", tree,
                  stderr=subprocess.PIPE)
    assert proc.returncode == 1, proc.stderr
    assert "app.py:1:1: B307" in (tree / "report.txt").read_text()


def test_a_symlink_is_refused_and_its_target_kept(tree):
    victim = tree / "victim.txt"
    victim.write_text("precious\n")
    (tree / "report.txt").symlink_to(victim)
    _refused(bastion("check", "--no-cache", ".", "-o", "report.txt", cwd=tree),
             f"report.txt: refusing to write the report through a symbolic link (to {victim})")
    assert victim.read_text() == "precious\n"
    assert (tree / "report.txt").is_symlink()


def test_a_scanned_file_is_refused_and_kept(tree):
    _refused(bastion("check", "--no-cache", ".", "-o", "app.py", cwd=tree),
             "app.py: refusing to write the report over a file that is being scanned (app.py)")
    assert (tree / "app.py").read_text() == VULNERABLE


def test_a_hard_linked_file_is_refused_and_both_names_kept(tree):
    (tree / "keep.txt").write_text("precious\n")
    os.link(tree / "keep.txt", tree / "report.txt")
    _refused(bastion("check", "--no-cache", ".", "-o", "report.txt", cwd=tree),
             "report.txt: refusing to replace a file that has 2 hard links")
    assert (tree / "keep.txt").read_text() == (tree / "report.txt").read_text() == "precious\n"


def test_a_regular_file_is_replaced_atomically_keeping_its_mode(tree):
    report = tree / "report.txt"
    report.write_text("old\n")
    report.chmod(0o640)
    before = os.stat(report)
    proc = bastion("check", "--no-cache", ".", "-o", "report.txt", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    after = os.stat(report)
    assert after.st_ino != before.st_ino  # a new file renamed over the old one
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert report.read_text().startswith("app.py:1:1: B307")
    assert sorted(p.name for p in tree.iterdir()) == ["app.py", "pyproject.toml", "report.txt"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_regular_file_keeps_its_owner(tree):
    report = tree / "report.txt"
    report.write_text("old\n")
    os.chown(report, 1234, 5678)
    assert bastion("check", "--no-cache", ".", "-o", "report.txt", cwd=tree).returncode == 1
    assert (os.stat(report).st_uid, os.stat(report).st_gid) == (1234, 5678)


def test_a_new_file_gets_the_umask_mode(tree):
    proc = _shell("umask 027 && exec {bastion} check --no-cache . -o new.json --format json",
                  tree, capture_output=True)
    assert proc.returncode == 1, proc.stderr
    assert stat.S_IMODE(os.stat(tree / "new.json").st_mode) == 0o640


def test_dev_null_and_dev_stdout_still_work(tree):
    proc = bastion("check", "--no-cache", ".", "-o", "/dev/null", cwd=tree)
    assert proc.returncode == 1 and proc.stdout == "", proc.stderr
    proc = bastion("check", "--no-cache", ".", "-o", "/dev/stdout", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("app.py:1:1: B307")


def test_a_symlink_target_is_shown_escaped(tree):
    (tree / "report.txt").symlink_to("\x1b[2Jx")
    _refused(bastion("check", "--no-cache", ".", "-o", "report.txt", cwd=tree),
             "report.txt: refusing to write the report through a symbolic link (to \\x1b[2Jx)")


@pytest.mark.parametrize("command", ["rules list", "explain B602"])
def test_other_commands_say_that_standard_output_is_closed(tree, command):
    proc = _shell(f"exec {{bastion}} {command} >&-", tree, stderr=subprocess.PIPE)
    _refused(proc, f"{command.split()[0]}: standard output is closed")
