"""Where the shipped rule files are: inside the wheel, or the checkout's `rules/` when editable.

Found from this file's place rather than through importlib.resources, whose import (zipfile,
tempfile) cost a cached scan some milliseconds: the rules are read as files either way, so a
package that is not on the file system (a zip) was never supported."""

from __future__ import annotations

from pathlib import Path


def rules_dir() -> Path:
    packaged = Path(__file__).parent.parent / "rules"
    if packaged.is_dir():
        return packaged
    # An editable install has no packaged copy: use the repository's rules/ folder.
    return Path(__file__).resolve().parents[3] / "rules"
