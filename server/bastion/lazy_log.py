"""The loggers of modules a scan served from the result cache imports, got when they warn.

Such a scan never warns, and importing `logging` (with traceback, string and textwrap) was
some 5 ms of its start-up: modules on its path take their logger here, at the warning.
"""

from __future__ import annotations


def logger(name: str):
    import logging

    return logging.getLogger(name)
