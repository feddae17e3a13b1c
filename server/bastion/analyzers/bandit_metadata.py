"""Bandit's installed metadata (its version), read from its dist-info folder without
importlib.metadata, which a cold `bastion check` would otherwise import for it. Imports no
bandit module."""

from __future__ import annotations

import os
import sys


def bandit_version() -> str:
    """`importlib.metadata.version("bandit")` (bandit's own `__version__`), found the way it finds
    it: the first sys.path folder holding bandit's metadata. Importing importlib.metadata (and
    the email package it parses metadata with) takes some 10 ms, a tenth of a cached scan;
    anything unusual (a zip or egg on the path, two metadata folders, egg-info) is left to it."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except FileNotFoundError:
            continue
        except OSError:
            break
        if folder.lower().endswith(".egg"):
            break
        found = [name for name in names if name.lower().endswith((".dist-info", ".egg-info"))
                 and name.lower().rpartition(".")[0].partition("-")[0] == "bandit"]
        if len(found) == 1 and found[0].lower().endswith(".dist-info"):
            version = _metadata_version(os.path.join(folder or ".", found[0], "METADATA"))
            if version:
                return version
        if found:
            break
    from importlib.metadata import version

    return version("bandit")


def _metadata_version(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as metadata:
            for line in metadata:
                if not line.strip():
                    return None  # the headers end at the first empty line
                if line.startswith("Version:"):
                    return line.partition(":")[2].strip()
    except (OSError, UnicodeDecodeError):
        pass
    return None
