"""Analyses run on one thread with a deep stack, so that a valid file nested up to
`limits.MAX_NESTING` levels (`x = a + 0 + 0 + ...`) can be parsed and walked by checks that
recurse (bandit's node visitor does): on a default thread and recursion limit they fail at
about 1,000 levels, and a finding in such a statement would be lost.

This module owns the worker thread and the recursion limit: the limit is raised to
`limits.ANALYSIS_RECURSION_LIMIT` only while a job runs on the worker (CPython's limit is
process-wide; other threads then get the higher limit too, which their default stacks cover
for Python code). The worker is started on first use and again in a forked child.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bastion.limits import ANALYSIS_RECURSION_LIMIT, ANALYSIS_STACK_BYTES

T = TypeVar("T")

_on_worker = threading.local()
_start_lock = threading.Lock()
_worker: ThreadPoolExecutor | None = None


class OwnedLock:
    """A re-entrant lock that tells whether the current thread holds it. The engine's lock is
    one: a thread holding it must run its analysis itself, since the deep worker would wait for
    the lock forever."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not self._lock.acquire(blocking, timeout):
            return False
        self._owner = threading.get_ident()
        self._depth += 1
        return True

    def release(self) -> None:
        self._depth -= 1
        if not self._depth:
            self._owner = None
        self._lock.release()

    def held(self) -> bool:
        return self._owner == threading.get_ident()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()


def run_deep(function: Callable[..., T], *args, **kwargs) -> T:
    """`function(*args, **kwargs)` on the deep worker (inline when already on it); its
    exceptions are raised here."""
    if getattr(_on_worker, "active", False):
        return function(*args, **kwargs)
    return _executor().submit(_call, function, args, kwargs).result()


def _call(function: Callable[..., T], args: tuple, kwargs: dict) -> T:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, ANALYSIS_RECURSION_LIMIT))
    _on_worker.active = True
    try:
        return function(*args, **kwargs)
    finally:
        _on_worker.active = False
        sys.setrecursionlimit(previous)


def _executor() -> ThreadPoolExecutor:
    global _worker
    with _start_lock:
        if _worker is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-deep")
            # The stack size applies to threads started while it is set: start the worker now.
            previous = threading.stack_size(ANALYSIS_STACK_BYTES)
            try:
                executor.submit(int).result()
            finally:
                threading.stack_size(previous)
            _worker = executor
        return _worker


def _forget_worker() -> None:
    """A forked child has the executor but not its thread: it starts its own."""
    global _worker, _start_lock
    _worker, _start_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_worker)
