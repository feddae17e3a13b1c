"""Fixing files on disk for `bastion check --fix/--diff`: read with the file's own encoding,
fix in memory, then write atomically (a temporary file in the same folder, then `os.replace`),
and only if the file is still exactly what was read."""

from __future__ import annotations

import codecs
import difflib
import io
import os
import tempfile
import tokenize
from pathlib import Path

import attrs

from bastion.config import Config
from bastion.files import decode_source, read_limited
from bastion.fixes.base import SAFE
from bastion.fixes.planner import FixAllResult, fix_all


class ChangedOnDisk(Exception):
    """The file changed between reading and writing: it was left alone."""


@attrs.frozen
class Snapshot:
    path: Path
    data: bytes
    text: str
    encoding: str
    bom: bool
    mtime_ns: int
    size: int


def read_snapshot(path: str | Path) -> Snapshot:
    path = Path(path)
    data, stat = read_limited(path)
    text = decode_source(data)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    bom = data.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    return Snapshot(path, data, text, encoding, bom, stat.st_mtime_ns, stat.st_size)


def encode(snapshot: Snapshot, text: str) -> bytes:
    data = text.encode(snapshot.encoding)
    return codecs.BOM_UTF8 + data if snapshot.bom else data


def fix_text(engine, snapshot: Snapshot, config: Config, unsafe: bool) -> FixAllResult:
    safeties = frozenset({SAFE, "review"}) if unsafe else frozenset({SAFE})
    return fix_all(engine, snapshot.text, str(snapshot.path), config, safeties, max_rounds=10)


def unified_diff(snapshot: Snapshot, new_text: str, shown: str) -> str:
    old = snapshot.text.splitlines(keepends=True)
    new = new_text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{shown}", f"b/{shown}"))


def write_atomic(snapshot: Snapshot, new_text: str) -> None:
    """Replace the file with `new_text` unless it changed since `snapshot` was read."""
    data = encode(snapshot, new_text)
    path = snapshot.path
    folder = path.parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bastion-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(temp, os.stat(path).st_mode & 0o7777)
        except OSError:
            pass
        _check_unchanged(snapshot)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _check_unchanged(snapshot: Snapshot) -> None:
    try:
        stat = snapshot.path.stat()
        current = snapshot.path.read_bytes()
    except OSError as exc:
        raise ChangedOnDisk(f"cannot re-read before writing ({exc.strerror})") from None
    if (stat.st_mtime_ns, stat.st_size) != (snapshot.mtime_ns, snapshot.size) or \
            current != snapshot.data:
        raise ChangedOnDisk("changed on disk while it was being fixed; left unchanged")
