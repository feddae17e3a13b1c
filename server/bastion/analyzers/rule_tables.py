"""The rule and model files of a folder, parsed: once per process, and across processes in a
database of their own beside the result cache's (engine/disk_cache.py: private to the user,
JSON, never pickle; a few entries, the least used dropped).

Parsing the TOML of rules/bastion and rules/taint was a fifth of a small project's start-up; the
same tables as JSON load some twenty times faster. A stored entry is keyed by a digest of the
files' names and bytes, this format, Bastion's version and the Python minor version (tomllib or
tomli), so an edited rule file misses it; its content is used only if it has the shape tomllib
gives (one table per file, only TOML's types), else the files are parsed again and the entry
replaced. Folders where a file cannot be read or parsed are not stored: each caller reports its
own problems as before.

State: `_PARSED` (this module's, per process): digest -> the JSON text of a folder's tables.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from bastion import __version__
from bastion.analyzers.versions import content_digest, toml_files
from bastion.digests import blake2b
from bastion.lazy_log import logger

FORMAT = "1"
KEY_PREFIX = "toml-tables:"
MAX_ENTRIES = 8  # an entry per version of the rule files: a few folders, a few edits
_MAX_DEPTH = 64  # deeper than any rule or model file; a deeper stored value is not trusted
_SCALARS = (str, int, float, bool)
_PARSED: dict[str, str] = {}


def folder_tables(directory: Path, files: list[tuple[Path, bytes | None]] | None = None,
                  ) -> list[tuple[Path, dict | None, Exception | None]]:
    """Each `*.toml` of `directory`, sorted by name, with its table, or with the exception that
    reading it (OSError) or parsing it (UnicodeDecodeError, TOMLDecodeError) raised; `files`:
    the folder's `toml_files`, when the caller has read them (and hashed them for a key)."""
    files = toml_files(directory) if files is None else files
    key = _digest(files)
    if key in _PARSED:
        tables = json.loads(_PARSED[key])["tables"]  # fresh objects: callers may change them
        return [(path, tables[path.name], None) for path, _ in files]
    stored = _load(key, [path.name for path, _ in files])
    if stored is not None:
        _PARSED[key], tables = stored
        return [(path, tables[path.name], None) for path, _ in files]
    parsed = [_parse(data) for _, data in files]
    found = [(path, table, error) for (path, _), (table, error) in zip(files, parsed, strict=True)]
    if all(error is None for _, _, error in found):
        try:
            text = json.dumps({"tables": {path.name: table for path, table, _ in found}})
        except (TypeError, ValueError):  # a date or time: not JSON, parsed every time
            return found
        _PARSED[key] = text
        _store(key, text)
    return found


def _parse(data: bytes | None) -> tuple[dict | None, Exception | None]:
    if data is None:
        return None, OSError("unreadable")
    # Imported here: the stored tables serve every start but the first after a rule edit.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(data.decode("utf-8")), None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return None, exc


def _digest(files: list[tuple[Path, bytes | None]]) -> str:
    # the files' content digest is the one the folder's version is made of (versions.py)
    return blake2b(f"{FORMAT}\0{__version__}\0{sys.version_info[:2]}\0".encode() + content_digest(files),
                   digest_size=32).hexdigest()


def _cache():
    if os.environ.get("BASTION_NO_CACHE"):
        return None
    from bastion.engine.disk_cache import DiskCache, default_path

    return DiskCache(default_path().with_name(f"rule-tables-v{FORMAT}.sqlite3"), MAX_ENTRIES)


def _load(key: str, names: list[str]) -> tuple[str, dict] | None:
    """The stored JSON text of these files' tables and its value, if there is one and it has
    their shape."""
    cache = _cache()
    if cache is None:
        return None
    try:
        text = cache.get(KEY_PREFIX + key)
    finally:
        cache.close()
    if text is None:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        value = None
    if not (isinstance(value, dict) and set(value) == {"tables"} and isinstance(value["tables"], dict)
            and sorted(value["tables"]) == sorted(names)
            and all(isinstance(table, dict) and _is_toml(table) for table in value["tables"].values())):
        logger(__name__).warning("stored rule tables %s are not valid: the rule files are parsed again",
                                 key[:12])
        return None
    return text, value["tables"]


def _is_toml(value: object) -> bool:
    """Only what tomllib returns for a document (it has no null), nested at most _MAX_DEPTH.
    Checked a level at a time: a (value, depth) pair per item made it 10x slower, 8 ms of
    every start (tests/unit/test_rule_tables_shape.py holds both readings equal)."""
    level, depth = [value], 0
    while level:
        below: list = []
        for item in level:
            kind = type(item)
            if kind is dict:
                if depth >= _MAX_DEPTH or not all([type(key) is str for key in item]):
                    return False
                below.extend(item.values())
            elif kind is list:
                if depth >= _MAX_DEPTH:
                    return False
                below.extend(item)
            elif kind not in _SCALARS:
                return False
        level, depth = below, depth + 1
    return True


def _store(key: str, text: str) -> None:
    cache = _cache()
    if cache is not None:
        try:
            cache.put(KEY_PREFIX + key, text)
            cache.prune()
        finally:
            cache.close()
