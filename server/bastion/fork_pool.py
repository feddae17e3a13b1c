"""Forked worker processes for a scan (scan.py): each child runs one function on the tasks it is
handed, one at a time, and sends each result back pickled through a pipe.

Children are forked from the parent once its engine is built, so they inherit it and every
task's data: a task is an index, written as 4 bytes; a result is 4 bytes of length and a
pickle. This stands in for multiprocessing's pool, whose imports (multiprocessing, its
connection, reduction and queues, concurrent.futures.process: socket, subprocess, tempfile,
bz2, lzma ...) and start-up thread were some 20-30 ms of a small project's cold check before
its first file was analysed.

A child that ends before it answers (a crash, a kill, an exception that escaped) is reported for
the task it had, through `crashed`, and a new child takes the tasks left.

Tasks may say what they share (`near`: the workspace modules a file imports, whose summaries
its analysis computes in the child that has it): a free child is handed, of the next tasks, the
one sharing most with those it had and least with the other children's, so that fewer are
computed in both. Each child owns the set of what its tasks shared (`_Child.near`).
"""

from __future__ import annotations

import os
import pickle
import select
import struct
from collections.abc import Callable, Iterable, Iterator

_HEADER = struct.Struct("<I")
# How many of the next tasks (in the order given: the largest files first) a free child may be
# handed by what they share; the last ones go in their order, so that the children still end
# within a small task of each other.
WINDOW = 32


def forks() -> bool:
    """Whether children can be forked without exec: POSIX, but not macOS, whose system
    libraries are not safe to use in a forked child (multiprocessing spawns there too)."""
    import sys

    return hasattr(os, "fork") and sys.platform != "darwin"


class _Child:
    """The parent's side of one child: its process id and its two pipe ends."""

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.task: int | None = None  # being worked on
        self.near: set[str] = set()  # what the tasks it was handed share (`run`'s `near`)

    def send(self, task: int) -> None:
        self.task = task
        try:
            os.write(self.tasks, _HEADER.pack(task))
        except BrokenPipeError:
            pass  # it ended: its results pipe says so next, and `task` is reported as its


def _read(fd: int, size: int) -> bytes | None:
    """`size` bytes, or None at the end of the pipe before them (the child ended)."""
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _serve(start: Callable[[], None], work: Callable[[int], object], tasks: int,
           results: int) -> None:
    """The child's loop: until the parent closes its end of `tasks`."""
    start()
    while (header := _read(tasks, _HEADER.size)) is not None:
        data = pickle.dumps(work(_HEADER.unpack(header)[0]), pickle.HIGHEST_PROTOCOL)
        os.write(results, _HEADER.pack(len(data)))
        view = memoryview(data)
        while view:
            view = view[os.write(results, view):]


def _fork(start: Callable[[], None], work: Callable[[int], object], held: set[int]) -> _Child:
    task_read, task_write = os.pipe()
    result_read, result_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code
        status = 1
        try:
            # The other children's pipe ends: held here, they would never see their end.
            for fd in (*held, task_write, result_read):
                os.close(fd)
            _serve(start, work, task_read, result_write)
            status = 0
        except BaseException:
            import traceback

            traceback.print_exc()  # the parent reports the task as not analysed; this says why
        finally:
            os._exit(status)  # no atexit handler, no buffer the parent holds written twice
    os.close(task_read)
    os.close(result_write)
    held.update((task_write, result_read))
    return _Child(pid, task_write, result_read)


def _ended(child: _Child) -> str:
    """How `child`, whose pipe ended, ended (it is reaped)."""
    _, status = os.waitpid(child.pid, 0)
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def run(count: int, start: Callable[[], None], work: Callable[[int], object],
        tasks: list[int], crashed: Callable[[int, str], object],
        near: Callable[[int], frozenset[str]] | None = None) -> Iterator[tuple[int, object]]:
    """(task, `work(task)`) for every task of `tasks`, handed in their order to `count` children
    as each becomes free (with `near`, by what they share: `_pick`), as they come back. `start`
    runs first in each child; a task whose child ended before answering gives `crashed(task,
    how it ended)` instead."""
    pending = list(reversed(tasks))
    held: set[int] = set()
    children: dict[int, _Child] = {}  # by the fd of their results
    try:
        for _ in range(min(count, len(pending))):
            child = _fork(start, work, held)
            children[child.results] = child
            child.send(_pick(pending, child, children.values(), near))
        while children:
            ready, _, _ = select.select(list(children), [], [])
            for fd in ready:
                child = children[fd]
                header = _read(fd, _HEADER.size)
                data = None if header is None else _read(fd, _HEADER.unpack(header)[0])
                task = child.task
                if data is None:  # it ended: reported, and a new child takes its place
                    del children[fd]
                    for end in (child.tasks, child.results):
                        os.close(end)
                        held.discard(end)
                    yield task, crashed(task, _ended(child))
                    if pending:
                        child = _fork(start, work, held)
                        children[child.results] = child
                        child.send(_pick(pending, child, children.values(), near))
                    continue
                yield task, pickle.loads(data)
                if pending:
                    child.send(_pick(pending, child, children.values(), near))
                else:  # done: the child reads the end of its tasks and exits
                    del children[fd]
                    for end in (child.tasks, child.results):
                        os.close(end)
                        held.discard(end)
                    os.waitpid(child.pid, 0)
    finally:
        for child in children.values():  # stopped early (an error, an interrupt)
            for end in (child.tasks, child.results):
                os.close(end)
            os.kill(child.pid, 9)
            os.waitpid(child.pid, 0)


def _pick(pending: list[int], child: _Child, children: Iterable[_Child],
          near: Callable[[int], frozenset[str]] | None) -> int:
    """The task for `child`, taken from `pending` (the next one last): without `near`, the next;
    else, of the next `WINDOW` while more are left, the one sharing most with what `child` had
    and least with what the other children had (the earliest of equals)."""
    if near is None:
        return pending.pop()
    if len(pending) > WINDOW:
        others = set().union(*(c.near for c in children if c is not child))
        best, most = len(pending) - 1, None
        for position in range(len(pending) - 1, len(pending) - 1 - WINDOW, -1):
            shared = near(pending[position])
            score = len(shared & child.near) - len(shared & others)
            if most is None or score > most:
                best, most = position, score
        task = pending.pop(best)
    else:
        task = pending.pop()
    if len(pending) > WINDOW:
        # Read by the picks made while more than WINDOW tasks are left only: told for the last
        # ones too (every task of a small scan), it was parent time taken from the children.
        child.near |= near(task)
    return task
