"""--jobs: a usage error below 1 or when not a number (it was accepted silently), and never more
workers than the available cores or the files to analyse (`--jobs 1000` forked 1,000)."""

from __future__ import annotations

import pytest
from tests.unit.test_safe_reader import bastion as run_bastion

import bastion.scan
from bastion import fork_pool
from bastion.config import Config
from bastion.scan import PARALLEL_MIN_FILES, ScanItem, default_jobs, scan, worker_count


@pytest.mark.parametrize("value", ["-1", "0", "abc", "1.5", ""])
def test_jobs_below_one_or_not_a_number_is_a_usage_error(tmp_path, value):
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = run_bastion("check", "--no-cache", "--jobs", value, ".", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert f"argument --jobs/-j: must be a whole number of at least 1, got {value!r}" in proc.stderr


def test_jobs_above_the_cores_says_how_many_are_used(tmp_path):
    (tmp_path / "a.py").write_text("eval(input())\n")
    proc = run_bastion("check", "--no-cache", "--jobs", "1000", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert (f"bastion: note: --jobs 1000: using {default_jobs()} worker(s), one per available "
            "core") in proc.stderr


def test_worker_count_is_capped_by_cores_and_files():
    cores = default_jobs()
    assert worker_count(1000, 10_000) == cores
    assert worker_count(None, 10_000) == cores
    assert worker_count(1000, 3) == min(cores, 3)
    assert worker_count(1, 100) == 1
    assert worker_count(None, 0) == 1


@pytest.mark.skipif(not fork_pool.forks(), reason="workers are forked where processes fork")
def test_scan_starts_no_more_workers_than_cores(tmp_path, monkeypatch):
    real = fork_pool.run
    started: list[int] = []

    def recording(count, *args):
        started.append(count)
        return real(count, *args)

    monkeypatch.setattr(fork_pool, "run", recording)
    monkeypatch.setattr(bastion.scan, "default_jobs", lambda: 2)
    items = []
    for index in range(PARALLEL_MIN_FILES + 2):
        path = tmp_path / f"m{index}.py"
        path.write_text(f"x = {index}\n")
        items.append(ScanItem(str(path), path.name, Config()))
    outcomes = scan(items, jobs=1000, use_cache=False)
    assert [o.error for o in outcomes] == [None] * len(items)
    assert started == [2]


def test_workers_apply_each_files_own_configuration(tmp_path):
    """Each file gets its own configuration in the workers."""
    strict = Config()
    relaxed = Config(per_path_ignores=(("*", ("B6",)),), root=str(tmp_path))
    items = []
    for index in range(PARALLEL_MIN_FILES + 2):
        path = tmp_path / f"m{index}.py"
        path.write_text("import subprocess\nsubprocess.call(cmd, shell=True)\n")
        items.append(ScanItem(str(path), path.name, relaxed if index % 2 else strict))
    outcomes = scan(items, jobs=2, use_cache=False)
    rules = [sorted(f.rule_id for f in o.analysis.findings) for o in outcomes]
    assert rules == [["B404", "B602"] if index % 2 == 0 else ["B404"]
                     for index in range(len(items))]
