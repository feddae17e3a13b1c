"""Where the shipped rule files are: inside the wheel, or the checkout's `rules/` when editable."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def rules_dir() -> Path:
    packaged = resources.files("bastion") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    # An editable install has no packaged copy: use the repository's rules/ folder.
    return Path(__file__).resolve().parents[3] / "rules"
