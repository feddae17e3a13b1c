"""Fixing files on disk for `bastion check --fix/--diff`: read with the file's own encoding,
fix in memory, then write atomically (a temporary file in the same folder, then `os.replace`),
and only if the file is still exactly what was read.

The replacement keeps what the file was: a symlink stays a symlink (its target, a regular file
inside the scanned roots, is what gets replaced), and the new file gets the old one's mode and
owner. What cannot be kept is refused with the reason, and the file is left alone: a target
outside the scanned roots or not a regular file, a file with other hard links (a rename would
split them), an owner that cannot be given back (chown not permitted)."""

from __future__ import annotations

import codecs
import difflib
import io
import os
import stat
import tempfile
import tokenize
from collections.abc import Sequence
from pathlib import Path

import attrs

from bastion.config import Config
from bastion.filekinds import is_python
from bastion.files import UnreadableSource, decode_source, read_limited
from bastion.fixes.base import SAFE
from bastion.fixes.planner import FixAllResult, fix_all
from bastion.fixes.text_fixes import fix_all_text


class NotWritten(Exception):
    """The fix was not written; the file was left alone. The message says why."""


class ChangedOnDisk(NotWritten):
    """The file changed between reading and writing."""


class WriteRefused(NotWritten):
    """Writing would lose what the file is (a link, its owner) or reach outside the scan."""


@attrs.frozen
class Snapshot:
    path: Path
    data: bytes
    text: str
    encoding: str
    bom: bool
    mtime_ns: int
    size: int
    identity: tuple[int, int]  # (st_dev, st_ino) of the file that was read


def read_snapshot(path: str | Path) -> Snapshot:
    path = Path(path)
    data, info = read_limited(path)
    text = decode_source(data)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    bom = data.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    return Snapshot(path, data, text, encoding, bom, info.st_mtime_ns, info.st_size,
                    (info.st_dev, info.st_ino))


def encode(snapshot: Snapshot, text: str) -> bytes:
    data = text.encode(snapshot.encoding)
    return codecs.BOM_UTF8 + data if snapshot.bom else data


def fix_text(engine, snapshot: Snapshot, config: Config, unsafe: bool) -> FixAllResult:
    safeties = frozenset({SAFE, "review"}) if unsafe else frozenset({SAFE})
    if not is_python(snapshot.path):  # a manifest: the text analyzers' fixes (dependency bumps)
        return fix_all_text(engine, snapshot.text, str(snapshot.path), config, safeties)
    return fix_all(engine, snapshot.text, str(snapshot.path), config, safeties, max_rounds=10)


def unified_diff(snapshot: Snapshot, new_text: str, shown: str) -> str:
    old = snapshot.text.splitlines(keepends=True)
    new = new_text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{shown}", f"b/{shown}"))


def write_atomic(snapshot: Snapshot, new_text: str,
                 roots: Sequence[str | os.PathLike] | None = None) -> None:
    """Replace the file with `new_text` unless it changed since `snapshot` was read. `roots`: the
    scanned files and folders a symlink may point into (default: the link's own folder)."""
    data = encode(snapshot, new_text)
    target = _target(snapshot.path, roots)
    before = _check_unchanged(snapshot, target)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bastion-tmp",
                                dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            _keep_owner_and_mode(out.fileno(), before)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _check_unchanged(snapshot, target)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _target(path: Path, roots: Sequence[str | os.PathLike] | None) -> Path:
    """The regular file a write to `path` must replace."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    allowed = [Path(os.path.realpath(root)) for root in (roots or [path.parent])]
    if not any(target == root or root in target.parents for root in allowed):
        raise WriteRefused(f"a symlink to {target}, outside the scanned paths; left unchanged")
    return target


def _keep_owner_and_mode(fd: int, before: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        current = os.fstat(fd)
        if (current.st_uid, current.st_gid) != (before.st_uid, before.st_gid):
            try:
                os.fchown(fd, before.st_uid, before.st_gid)
            except PermissionError:
                raise WriteRefused(
                    f"owned by {before.st_uid}:{before.st_gid}, and giving the fixed file the "
                    "same owner is not permitted; left unchanged") from None
    os.fchmod(fd, stat.S_IMODE(before.st_mode))  # after chown, which clears setuid/setgid


def _check_unchanged(snapshot: Snapshot, target: Path) -> os.stat_result:
    """The stat of `target`, which must still be the regular, singly linked file that was read,
    with the same content."""
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefused(f"{target} is not a regular file; left unchanged")
        if info.st_nlink > 1:
            raise WriteRefused(
                f"has {info.st_nlink - 1} other hard link(s), which replacing it would break; "
                "left unchanged (apply the fix by hand, see --diff)")
        current, _ = read_limited(target)
    except OSError as exc:
        raise ChangedOnDisk(f"cannot re-read before writing ({exc.strerror})") from None
    except UnreadableSource as exc:
        raise ChangedOnDisk(f"cannot re-read before writing: {exc}") from None
    if (info.st_mtime_ns, info.st_size, (info.st_dev, info.st_ino)) != \
            (snapshot.mtime_ns, snapshot.size, snapshot.identity) or current != snapshot.data:
        raise ChangedOnDisk("changed on disk while it was being fixed; left unchanged")
    return info
