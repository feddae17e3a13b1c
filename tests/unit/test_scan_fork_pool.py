"""Scan workers forked by hand (bastion/fork_pool.py): a cold check of many files imports no
multiprocessing pool; a worker that dies on a file leaves that file "not analysed", loudly, and
the other files analysed by a worker forked in its place."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import bastion.scan
from bastion import fork_pool
from bastion.config import Config
from bastion.engine.disk_cache import DiskCache
from bastion.scan import PARALLEL_MIN_FILES, ScanItem, scan

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not fork_pool.forks(), reason="workers are forked where processes fork")


def _items(root: Path, count: int) -> list[ScanItem]:
    root.mkdir()
    items = []
    for i in range(count):
        path = root / f"m{i:02}.py"
        path.write_text("import subprocess\nsubprocess.call(cmd, shell=True)\n" + "x = 1\n" * i)
        items.append(ScanItem(str(path), path.name, Config(), (str(root),)))
    return items


def test_a_cold_check_of_many_files_imports_no_multiprocessing_pool(tmp_path):
    project = tmp_path / "project"
    _items(project, PARALLEL_MIN_FILES + 2)
    env = {**os.environ, "BASTION_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    code = ("import contextlib, io, json, sys\nfrom bastion.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            f"    main(['check', {str(project)!r}, '--format', 'json', '--fail-on', 'never',"
            " '--jobs', '2'])\n"
            "print(len(json.loads(out.getvalue())['results']))\n"
            "print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, check=True)
    results, modules = done.stdout.splitlines()[-2:]
    assert int(results) == 2 * (PARALLEL_MIN_FILES + 2)
    assert {"multiprocessing", "concurrent.futures.process"} & set(json.loads(modules)) == set()


def test_a_worker_that_dies_on_a_file_leaves_it_not_analysed_and_the_rest_analysed(
        tmp_path, monkeypatch):
    items = _items(tmp_path / "project", PARALLEL_MIN_FILES + 4)
    doomed = {items[3].path, items[10].path}
    real = bastion.scan.analyse_item

    def dies_on_doomed(item, *args, **kwargs):  # runs in the forked workers
        if item.path in doomed:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(item, *args, **kwargs)

    monkeypatch.setattr(bastion.scan, "analyse_item", dies_on_doomed)
    monkeypatch.setattr(bastion.scan, "default_jobs", lambda: 2)
    outcomes = scan(items, jobs=2, use_cache=False)
    assert [o.item.path for o in outcomes] == [i.path for i in items]
    for outcome in outcomes:
        if outcome.item.path in doomed:
            assert [str(e) for e in outcome.analysis.errors] == [
                f"not analysed: the process analysing it ended (killed by signal {signal.SIGKILL})"]
            assert outcome.analysis.findings == ()
        else:
            assert outcome.analysis.errors == ()
            assert sorted(f.rule_id for f in outcome.analysis.findings) == ["B404", "B602"]


def test_an_exception_escaping_in_a_worker_is_told_and_its_file_not_analysed(capfd):
    def work(task: int) -> int:
        if task == 2:
            raise ValueError("hostile")
        return task * 10

    got = dict(fork_pool.run(2, lambda: None, work, [0, 1, 2, 3, 4],
                             lambda task, how: f"crashed: {how}"))
    assert got == {0: 0, 1: 10, 2: "crashed: exit status 1", 3: 30, 4: 40}
    assert "ValueError: hostile" in capfd.readouterr().err


def test_the_pool_reaps_its_workers():
    before = _children()
    assert sorted(fork_pool.run(2, lambda: None, lambda task: task, list(range(9)),
                                lambda task, how: None)) == [(i, i) for i in range(9)]
    assert _children() == before


def _children() -> set[int]:
    """The process ids of this process's children still there (zombies included)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry.name))
    return found


def test_result_rows_are_written_while_the_workers_analyse(tmp_path, monkeypatch):
    """The first write creates the result cache's database (disk writes and syncs): done as the
    first results come back, not after the last one."""
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bastion.scan, "_ENGINE", None)  # a new one, with this test's cache
    items = _items(tmp_path / "project", PARALLEL_MIN_FILES + 2)
    events: list[str] = []
    real_run, real_put = fork_pool.run, DiskCache.put_many

    def run(*args):
        for result in real_run(*args):
            events.append("result")
            yield result

    def put_many(self, rows):
        events.append(f"put {len(rows)}")
        return real_put(self, rows)

    monkeypatch.setattr(fork_pool, "run", run)
    monkeypatch.setattr(DiskCache, "put_many", put_many)
    scan(items, jobs=2)
    assert events.count("result") == len(items)
    last = len(events) - 1 - events[::-1].index("result")
    # every file's row but the last one's before the last result (other rows may be written)
    assert sum(int(e.split()[1]) for e in events[:last] if e.startswith("put")) >= len(items) - 1
    assert all(o is not None for o in bastion.scan._from_cache(items))
