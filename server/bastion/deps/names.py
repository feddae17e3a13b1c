"""Which files are dependency manifests, and which parser reads them: the file kinds are
`bastion.filekinds`' (one answer for the editor, the CLI and the cache); a lock file's format
comes from its name."""

from __future__ import annotations

import fnmatch
import os

from bastion.filekinds import FileKind, discovered_kind

LOCK_NAMES = {"uv.lock": "uv.lock", "poetry.lock": "poetry.lock", "pdm.lock": "pdm.lock",
              "Pipfile.lock": "Pipfile.lock", "pylock.toml": "pylock"}


def lock_format(path: str) -> str:
    name = os.path.basename(path)
    if name in LOCK_NAMES:
        return LOCK_NAMES[name]
    return "pylock" if fnmatch.fnmatchcase(name, "pylock.*.toml") else "uv.lock"


def parser_for(kind: FileKind | None, path: str) -> str | None:
    """The parser ("requirements", "pyproject" or a lock format) for a file of `kind`."""
    if kind is FileKind.REQUIREMENTS:
        return "requirements"
    if kind is FileKind.PYPROJECT:
        return "pyproject"
    if kind is FileKind.LOCK:
        return lock_format(path)
    return None


def manifest_kind(path: str) -> str | None:
    """The parser for a file name, or None when it is not a manifest Bastion reads."""
    return parser_for(discovered_kind(path), path)
