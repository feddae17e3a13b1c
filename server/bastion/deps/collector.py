"""The garbage collector paused while a large requirements file is read whole.

Its dependencies (each with three spans: a million tracked objects at 5 MB) live until the read
ends, and each automatic collection meanwhile walked them again: 0.6 of the 2.35 s parse of the
bench's 5 MB file. Read with the collector paused, they are freed by their reference counts when
the read drops them, never walked. The reads make no reference cycle to collect; one made by
another thread meanwhile waits for the next collection. A caller that runs with the collector
off (a scan: it collects between files) finds it off.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

PAUSE_LINES = 20_000  # a shorter file's read sets off few collections


@contextlib.contextmanager
def paused(pause: bool) -> Iterator[None]:
    """The collector off within the block when `pause` (and it is on), on again after."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
