"""Where a project's baseline file is: the one a configuration names, or the nearest default one
above the project root. Apart from `store.py` (which reads and writes it, with two attrs
classes) so that a check without a baseline finds it has none without loading the store.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_NAME = ".bastion-baseline.json"


def configured_path(config) -> tuple[Path | None, bool]:
    """(baseline file for `config`, whether it was set explicitly).

    `[tool.bastion] baseline = "path"` (relative to the pyproject.toml folder) or the client's
    `baseline`; otherwise `.bastion-baseline.json` at the project root (or the nearest one
    above it, within the git work tree) when present.
    `baseline = ""` turns baselines off.
    """
    setting = getattr(config, "baseline", None)
    root = Path(os.path.abspath(config.root)) if config.root else Path.cwd()
    if setting == "":
        return None, True
    if setting:
        return Path(os.path.abspath(root / os.path.expanduser(setting))), True
    return discover(root), False


def discover(start: Path) -> Path | None:
    """`.bastion-baseline.json` in `start` or the nearest folder above it, not looking past the
    top of the git work tree (a folder holding `.git`)."""
    for folder in (start, *start.parents):
        candidate = folder / DEFAULT_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None
