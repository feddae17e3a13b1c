"""Whether a TOML lock is whole: a lock cut right after a complete package table is still valid
TOML, so what its writer always puts in a whole lock is looked for, and a lock without it is
"not analysed: looks cut short (...)" (its packages are still read), never a smaller clean lock.

- poetry.lock: Poetry writes its `[metadata]` table (`lock-version`, `content-hash`) after the
  packages, in every lock it writes: a lock with no `[metadata]` ends before it.
- pdm.lock: `[metadata]` in every lock (after the packages up to lock_version 4.2, before them
  since); and a package's dependency without a marker ("idna<4,>=2.5") is locked in a table of
  its own whatever the target: one named nowhere was cut off. Dependencies with a marker may be
  left out by a lock for some platforms or Pythons, so they are not counted.
- uv.lock: each entry of a package's `dependencies`, `optional-dependencies` and
  `dev-dependencies` names a package locked in the file (uv's lock is a graph: an edge to a
  package it does not hold is refused when uv reads the lock).
- pylock.toml: `packages.dependencies` (optional, PEP 751) names other entries of `packages`.
A cut that leaves no package naming one cut off is not seen: nothing in these formats tells it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from bastion.deps.model import Problem

_HELD = "the packages it holds are analysed, any after the cut are not"
_TABLES = {"poetry.lock": "Poetry writes after the packages of every poetry.lock",
           "pdm.lock": "PDM writes in every pdm.lock"}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def key_problems(kind: str, keys: Iterable[str]) -> list[Problem]:
    """What the lock's top-level `keys` (other than its packages') say is missing."""
    if kind in _TABLES and "metadata" not in keys:
        return [Problem(f"looks cut short (no [metadata] table, which {_TABLES[kind]}); {_HELD}")]
    return []


def wanted(kind: str, entry: dict) -> set[str]:
    """The (normalised) names of the packages that the package table `entry` says must have
    tables of their own."""
    if kind == "uv.lock":
        lists = [entry.get("dependencies")]
        for key in ("optional-dependencies", "dev-dependencies"):
            groups = entry.get(key)
            if isinstance(groups, dict):
                lists.extend(groups.values())
        return {canonicalize_name(item["name"]) for items in lists if isinstance(items, list)
                for item in items if isinstance(item, dict) and isinstance(item.get("name"), str)}
    if kind == "pylock":
        items = entry.get("dependencies")
        return {canonicalize_name(item["name"]) for item in items if isinstance(item, dict)
                and isinstance(item.get("name"), str)} if isinstance(items, list) else set()
    if kind == "pdm.lock" and isinstance(entry.get("dependencies"), list):
        found = set()
        for requirement in entry["dependencies"]:
            name = _NAME.match(requirement.strip()) if isinstance(requirement, str) \
                and ";" not in requirement else None
            if name is not None:
                found.add(canonicalize_name(name.group()))
        return found
    return set()


def graph(kind: str, entries: Iterable[object]) -> tuple[frozenset[str], frozenset[str]]:
    """The names of the package tables `entries`, and the names they say must have tables."""
    names: set[str] = set()
    wants: set[str] = set()
    for entry in entries:
        if isinstance(entry, dict):
            if isinstance(entry.get("name"), str):
                names.add(canonicalize_name(entry["name"]))
            wants |= wanted(kind, entry)
    return frozenset(names), frozenset(wants)


def reference_problems(names: Iterable[str], wants: Iterable[str]) -> list[Problem]:
    """A lock whose packages `wants` names a package that none of its tables (`names`) is."""
    absent = sorted(set(wants).difference(names))
    if not absent:
        return []
    shown = ", ".join(absent[:3]) + (f" and {len(absent) - 3} more" if len(absent) > 3 else "")
    return [Problem(f"looks cut short (a package depends on {shown}, locked in no package table); "
                    f"{_HELD}")]
