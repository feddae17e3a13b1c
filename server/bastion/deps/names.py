"""Which file names are dependency manifests, and of which kind."""

from __future__ import annotations

import fnmatch
import os

_KINDS = (
    ("requirements*.txt", "requirements"),
    ("requirements*.in", "requirements"),
    ("pyproject.toml", "pyproject"),
    ("uv.lock", "uv.lock"),
    ("poetry.lock", "poetry.lock"),
    ("pylock.toml", "pylock"),
    ("pylock.*.toml", "pylock"),
    ("Pipfile.lock", "Pipfile.lock"),
)


def manifest_kind(path: str) -> str | None:
    """The manifest kind of a file name, or None when it is not one Bastion reads."""
    name = os.path.basename(path)
    if name.endswith(".txt") and os.path.basename(os.path.dirname(path)) == "requirements":
        return "requirements"  # requirements/base.txt, requirements/dev.txt
    for pattern, kind in _KINDS:
        if fnmatch.fnmatchcase(name, pattern):
            return kind
    return None
