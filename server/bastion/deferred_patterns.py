"""Regular expressions compiled at their first use, not at import.

A module whose patterns serve only some projects (template files, for a scan of plain modules)
should not make every start-up pay for compiling them: `deferred(pattern)` is a getter that
compiles once, on its first call, and then returns the same `re.Pattern`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def deferred(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A getter for `re.compile(pattern, flags)`, compiled on its first call."""
    return functools.cache(lambda: re.compile(pattern, flags))
