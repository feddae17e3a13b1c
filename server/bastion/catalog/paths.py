"""Where the shipped rule files are: inside the wheel, or the checkout's `rules/` when editable.

Found from this file's place rather than through importlib.resources, whose import (zipfile,
tempfile) cost a cached scan some milliseconds: the rules are read as files either way, so a
package that is not on the file system (a zip) was never supported."""

from __future__ import annotations

import os
from pathlib import Path


def rules_dir() -> Path:
    packaged = Path(__file__).parent.parent / "rules"
    if packaged.is_dir():
        return packaged
    # An editable install has no packaged copy: use the repository's rules/ folder.
    return Path(__file__).resolve().parents[3] / "rules"


# The rule folders an analysis needs, each with at least one `*.toml`: without them a scan would
# run no rule and no taint model and report a clean result.
REQUIRED_FOLDERS = ("bandit", "bastion", "taint")


def missing_rules(folder: Path | None = None) -> str | None:
    """What is missing of the rule files (`folder`: rules_dir()), None when each required
    folder holds rule files: a broken install (the package copied without the repository's
    rules/, a wheel built wrong) must refuse to analyse, never pass as clean."""
    folder = rules_dir() if folder is None else folder
    missing = [name for name in REQUIRED_FOLDERS if not _has_toml(folder / name)]
    if not missing:
        return None
    what = (f"no rules folder at {folder}" if len(missing) == len(REQUIRED_FOLDERS)
            and not folder.is_dir() else
            "no rule files in " + ", ".join(str(folder / name) for name in missing))
    return (f"Bastion's rule files are missing ({what}): this installation is incomplete, so "
            "nothing can be analysed. Reinstall Bastion from its wheel (pip install "
            "--force-reinstall bastion_lsp-*.whl, built by `python -m build --wheel` in a clone: no "
            "package index serves it); from a checkout, `pip install -e .` with the repository's "
            "rules/ folder kept")


def _has_toml(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(".toml") for entry in entries)
    except OSError:
        return False
