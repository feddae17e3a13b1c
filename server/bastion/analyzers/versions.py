"""The default analyzers' versions, which the result cache's keys carry, read without importing
the analyzers: a scan served from the result cache builds no analyzer, and importing them (the
taint models, the secret formats, the advisory index's parser) was most of its time
(engine/registry.py's `default_version_key`). Each analyzer's version lives here, and the
analyzer reads it from here.

A version is a number bumped when the analyzer reads the same input differently, plus a digest
of the data files it reads (rule and model files) or their identity (the advisory index).
"""

from __future__ import annotations

import os
from pathlib import Path

from bastion.digests import blake2b

TOML_RULES_EVALUATOR = "4"  # own rules (analyzers/toml_rules.py)
TAINT_EVALUATOR = "291"
TAINT_SPEC = "2"  # bumped when the same model files are loaded differently
SECRETS = "3"
DEPS = "1"


class TomlFiles(list):
    """`toml_files`' list of (path, bytes), which keeps the digest of its names and bytes once
    `content_digest` has computed it: the parsed tables' key (rule_tables.py) and the folder's
    version both derive from it, and hashing the 400 kB of the two folders twice was some 5M
    instructions of every start. Its holders never change it."""

    __slots__ = ("content",)


def toml_files(directory: Path) -> TomlFiles:
    """Each `*.toml` of `directory` with its bytes (None: unreadable), sorted by name."""
    found = TomlFiles()
    try:
        paths = sorted(Path(directory).glob("*.toml"))
    except OSError:
        return found
    for path in paths:
        try:
            found.append((path, path.read_bytes()))
        except OSError:
            found.append((path, None))
    return found


def content_digest(files: list[tuple[Path, bytes | None]]) -> bytes:
    """A digest of the files' names and bytes, each told by its length (an unreadable file
    marked as such), computed once for a `toml_files` list."""
    known = getattr(files, "content", None)
    if known is not None:
        return known
    digest = blake2b(digest_size=32)
    for path, data in files:
        name = path.name.encode()
        digest.update(len(name).to_bytes(8, "big") + name)
        if data is None:
            digest.update(b"\0")
        else:
            digest.update(b"\1" + len(data).to_bytes(8, "big"))
            digest.update(data)
    content = digest.digest()
    if isinstance(files, TomlFiles):
        files.content = content
    return content


def _files_digest(number: str, files: list[tuple[Path, bytes | None]]) -> str:
    return f"{number}+{blake2b(number.encode() + content_digest(files), digest_size=8).hexdigest()}"


def catalog_version(directory: Path, files: list[tuple[Path, bytes | None]] | None = None) -> str:
    """The own rules analyzer's version for these rule files, without compiling them; `files`:
    the folder's `toml_files`, when the caller has read them (the rules compiled from them)."""
    files = toml_files(directory) if files is None else files
    return _files_digest(TOML_RULES_EVALUATOR, files)


def taint_models_dir() -> Path:
    from bastion.catalog.paths import rules_dir

    return rules_dir() / "taint"


def models_digest(directory: Path | None = None, files: list[tuple[Path, bytes | None]] | None = None) -> str:
    """The taint models' digest, without parsing them; `files`: the folder's `toml_files`, when
    the caller has read them (a warm scan parses the same bytes: scan.py's `_from_cache`)."""
    return _files_digest(TAINT_SPEC, toml_files(directory or taint_models_dir()) if files is None else files)


def taint_version(digest: str | None = None) -> str:
    """The taint analyzer's version for the models of this digest (the shipped ones by default)."""
    return f"{TAINT_EVALUATOR}+{digest or models_digest()}"


def deps_version() -> str:
    """The dependency analyzer's version: the identity of the advisory index file in use."""
    from bastion.deps.location import current_path

    try:
        info = os.stat(current_path())
    except OSError:
        return f"{DEPS}:missing"
    return f"{DEPS}:{info.st_size}-{info.st_mtime_ns}"
