"""Tasks handed by what they share (fork_pool.py's `near`: the workspace modules a scanned file
imports): a free child gets, of the next `WINDOW` tasks, the one sharing most with those it had
and least with the other children's, the last tasks in their order; every task is still done
once, and a scan's workers are handed files by the modules they import."""

from __future__ import annotations

import pytest

import bastion.scan
from bastion import fork_pool
from bastion.config import Config
from bastion.fork_pool import WINDOW, _Child, _pick
from bastion.scan import PARALLEL_MIN_FILES, ScanItem, scan

pytestmark = pytest.mark.skipif(not fork_pool.forks(), reason="workers are forked where processes fork")


def _child(*near: str) -> _Child:
    child = _Child(0, -1, -1)
    child.near = set(near)
    return child


def _pending(count: int) -> list[int]:
    """Tasks 0 .. count-1 in their order, the next one last (as `run` keeps them)."""
    return list(reversed(range(count)))


SHARED = {3: frozenset({"a.py"}), 5: frozenset({"b.py"}), 6: frozenset({"a.py", "b.py"})}


def near(task: int) -> frozenset[str]:
    return SHARED.get(task, frozenset())


def test_a_child_is_handed_the_task_sharing_most_with_its_own():
    pending = _pending(WINDOW + 10)
    mine, other = _child("b.py"), _child("a.py")
    assert _pick(pending, mine, [mine, other], near) == 5  # b.py is its own, a.py the other's
    assert mine.near == {"b.py"}
    assert _pick(pending, other, [mine, other], near) == 3
    assert _pick(pending, other, [mine, other], near) == 0  # 6 shares as much with each: the next


def test_without_anything_shared_tasks_go_in_their_order():
    pending = _pending(WINDOW + 10)
    first, second = _child(), _child()
    assert [_pick(pending, c, [first, second], lambda task: frozenset()) for c in (first, second) * 3] \
        == [0, 1, 2, 3, 4, 5]
    assert _pick(pending, first, [first], None) == 6


def test_the_last_tasks_go_in_their_order_whatever_they_share():
    pending = _pending(WINDOW)
    child = _child("b.py")
    assert [_pick(pending, child, [child], near) for _ in range(WINDOW)] == list(range(WINDOW))
    assert child.near == {"b.py"}  # no later pick reads what they share: not told


def test_what_tasks_share_is_told_only_while_a_pick_can_read_it():
    """A small scan's files (no more than WINDOW) go in their order: the parent never reads
    their imports, which took its time while the children analysed (fails before 'told only')."""
    told: set[int] = set()

    def telling(task: int) -> frozenset[str]:
        told.add(task)
        return frozenset({f"m{task % 4}"})

    tasks = list(range(WINDOW))
    assert sorted(fork_pool.run(2, lambda: None, lambda task: task, tasks, lambda task, how: None,
                                telling)) == [(task, task) for task in tasks]
    assert told == set()
    tasks = list(range(WINDOW + 5))
    assert sorted(fork_pool.run(2, lambda: None, lambda task: task, tasks, lambda task, how: None,
                                telling)) == [(task, task) for task in tasks]
    assert told and max(told) < WINDOW + 4  # the last task is never a candidate while 32 are left


def test_every_task_is_done_once_when_handed_by_what_it_shares():
    tasks = list(range(WINDOW * 3))
    got = sorted(fork_pool.run(2, lambda: None, lambda task: task * 2, tasks, lambda task, how: None,
                               lambda task: frozenset({f"m{task % 4}"})))
    assert got == [(task, task * 2) for task in tasks]


def test_a_scan_hands_files_by_the_workspace_modules_they_import(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "shared.py").write_text("def run(cmd):\n    return cmd\n")
    items = []
    for i in range(max(PARALLEL_MIN_FILES, WINDOW) + 4):  # more than WINDOW: some picks read them
        path = project / f"m{i:02}.py"
        path.write_text("import shared\nshared.run('ls')\n" if i % 2 else "x = 1\n")
        items.append(ScanItem(str(path), path.name, Config(), (str(project),)))
    real = fork_pool.run
    asked: dict[int, frozenset[str]] = {}

    def recording(count, start, work, tasks, crashed, near):
        def told(task: int) -> frozenset[str]:
            asked[task] = near(task)
            return asked[task]
        return real(count, start, work, tasks, crashed, told)

    monkeypatch.setattr(fork_pool, "run", recording)
    monkeypatch.setattr(bastion.scan, "default_jobs", lambda: 2)
    outcomes = scan(items, jobs=2, use_cache=False, roots=[str(project)])
    assert [o.error for o in outcomes] == [None] * len(items)
    shared = str((project / "shared.py").resolve())
    assert asked
    assert {task: set(found) for task, found in asked.items()} == {
        task: {shared} if int(items[task].shown[1:3]) % 2 else set() for task in asked}
