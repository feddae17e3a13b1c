"""Bandit's installed metadata (its version, its entry points), read from its dist-info folder
without importlib.metadata, which a cold `bastion check` would otherwise import for them (with
the email package it parses metadata with; stevedore reads every installed distribution's entry
points through it). Imports no bandit module."""

from __future__ import annotations

import functools
import os
import sys


def bandit_version() -> str:
    """`importlib.metadata.version("bandit")` (bandit's own `__version__`)."""
    folder = _dist_info()
    version = _metadata_version(os.path.join(folder, "METADATA")) if folder else None
    if version:
        return version
    from importlib.metadata import version

    return version("bandit")


def entry_points() -> dict[str, list[tuple[str, str]]] | None:
    """Bandit's own entry points, group -> [(name, value)] in the file's order, as
    importlib.metadata reads them; None where it must be asked (see `_dist_info`, or a file
    of another shape)."""
    folder = _dist_info()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None
    return parse_entry_points(text)


def parse_entry_points(text: str) -> dict[str, list[tuple[str, str]]] | None:
    """An entry_points.txt's groups (None: not of the shape importlib.metadata reads)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    group: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = groups.setdefault(line[1:-1].strip(), [])
            continue
        name, equals, value = line.partition("=")
        if group is None or not equals:
            return None
        group.append((name.strip(), value.strip()))
    return groups


@functools.cache
def _dist_info() -> str | None:
    """Bandit's dist-info folder, found the way importlib.metadata finds it: in the first
    sys.path folder holding bandit's metadata. Anything unusual (a zip or egg on the path, two
    metadata folders, egg-info) gives None: left to importlib.metadata. Once per process: the
    folders listed before site-packages' are the standard library's."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except FileNotFoundError:
            continue
        except OSError:
            return None
        if folder.lower().endswith(".egg"):
            return None
        found = [name for name in names if name.lower().endswith((".dist-info", ".egg-info"))
                 and name.lower().rpartition(".")[0].partition("-")[0] == "bandit"]
        if len(found) == 1 and found[0].lower().endswith(".dist-info"):
            return os.path.join(folder or ".", found[0])
        if found:
            return None
    return None


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
