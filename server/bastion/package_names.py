"""Package names as PEP 503 compares them: any case, and a run of `-`, `_` and `.` the same as
one `-`. One definition for the taint models' `before` packages (model_files.py), the scan's
cache key (scan_key.py) and the manifests searched for them (declared_versions.py), which
must all agree; packaging's `canonicalize_name` gives the same names (a test checks it), but
its module imports packaging.tags: ~10 ms of start-up."""

from __future__ import annotations

import re

SEPARATORS = "[-_.]+"  # a regular expression: one separator as PEP 503 reads it
_SEPARATORS = re.compile(SEPARATORS)


def pep503_name(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower()

