"""A broken install of Bastion for tests: the package copied without the repository's `rules/`
(or with only some of its folders), as a server copied by hand or a wheel built wrong leaves it."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def broken_install(where: Path, rule_folders: tuple[str, ...] = ()) -> Path:
    """The `server` folder to put on PYTHONPATH; beside it a `rules/` with only `rule_folders`
    (none: no `rules/` at all)."""
    server = where / "install" / "server"
    shutil.copytree(ROOT / "server" / "bastion", server / "bastion",
                    ignore=shutil.ignore_patterns("__pycache__", "rules"))
    for name in rule_folders:
        shutil.copytree(ROOT / "rules" / name, where / "install" / "rules" / name)
    return server
