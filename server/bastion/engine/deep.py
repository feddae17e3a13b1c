"""Analyses run on one thread with a deep stack, so that a valid file nested up to
`limits.MAX_NESTING` levels (`x = a + 0 + 0 + ...`) can be parsed and walked by checks that
recurse (bandit's node visitor does): on a default thread and recursion limit they fail at
about 1,000 levels, and a finding in such a statement would be lost.

This module owns the worker thread and the recursion limit: the limit is raised to
`limits.ANALYSIS_RECURSION_LIMIT` only while a job runs on the worker (CPython's limit is
process-wide; other threads then get the higher limit too, which their default stacks cover
for Python code). The worker is started on first use and again in a forked child.

A second deep worker (`run_deep_apart`) runs a text document's whole analysis (seconds for a
5 MB manifest), so that the first worker, the language server's analyses of other documents,
is not held meanwhile. The limit stays raised while a job runs on either worker.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from bastion.limits import ANALYSIS_RECURSION_LIMIT, ANALYSIS_STACK_BYTES

T = TypeVar("T")

_on_worker = threading.local()
_start_lock = threading.Lock()
_worker: ThreadPoolExecutor | None = None
_apart: ThreadPoolExecutor | None = None
_limit_lock = threading.Lock()
_jobs = 0  # running on either worker, under `_limit_lock`
_limit_before = 0  # the limit before the first of them raised it


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


def run_deep_apart(function: Callable[..., T], *args) -> Future:
    """`function(*args)` on the second deep worker, one job at a time: its future."""
    return _executor(apart=True).submit(_call, function, args, {})


def _call(function: Callable[..., T], args: tuple, kwargs: dict) -> T:
    global _jobs, _limit_before
    with _limit_lock:
        if not _jobs:
            _limit_before = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_limit_before, ANALYSIS_RECURSION_LIMIT))
        _jobs += 1
    _on_worker.active = True
    try:
        return function(*args, **kwargs)
    finally:
        _on_worker.active = False
        with _limit_lock:
            _jobs -= 1
            if not _jobs:
                sys.setrecursionlimit(_limit_before)


def _executor(apart: bool = False) -> ThreadPoolExecutor:
    global _worker, _apart
    with _start_lock:
        if (_apart if apart else _worker) is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=(
                "bastion-deep-apart" if apart else "bastion-deep"))
            # The stack size applies to threads started while it is set: start the worker now.
            previous = threading.stack_size(ANALYSIS_STACK_BYTES)
            try:
                executor.submit(int).result()
            finally:
                threading.stack_size(previous)
            if apart:
                _apart = executor
            else:
                _worker = executor
        return _apart if apart else _worker


def _forget_worker() -> None:
    """A forked child has the executor but not its thread: it starts its own."""
    global _worker, _apart, _start_lock, _limit_lock, _jobs
    _worker, _apart, _start_lock, _limit_lock, _jobs = None, None, threading.Lock(), threading.Lock(), 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_worker)
