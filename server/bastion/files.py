"""Reading source files from disk safely: walking, size limits, encodings, binary content."""

from __future__ import annotations

import io
import os
import stat as stat_module
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.digests import blake2b
from bastion.filekinds import discovered_kind
from bastion.limits import MAX_FILE_BYTES, over_the_size_cap
from bastion.model.text import BINARY, BOM, newlines_as_python_reads

if TYPE_CHECKING:  # config.py reads pyproject.toml with read_limited
    from bastion.config import Config

MAX_BYTES = MAX_FILE_BYTES  # a module attribute, so that tests can lower it
# Folders that never hold the project's own code.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".tox", ".nox", ".venv", "venv",
                       ".eggs", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


# Files Bastion writes itself, which a folder walk never analyses (the default baseline).
SKIP_FILES = frozenset({".bastion-baseline.json"})


# Why a file found under a scanned folder is not read: its real path lies outside every
# scanned folder, so a repository cannot make Bastion read ~/.ssh/config or /etc/passwd.
OUT_OF_TREE = "symlink out of the tree"


class UnreadableSource(Exception):
    """A file that cannot be analysed as Python text; the message says why."""


class TooLarge(UnreadableSource):
    """A regular file over the size cap. Read as a source, it is "not analysed", never
    "skipped": Python would run it, so padding a file must not hide its code from a gate.
    `size`: its bytes, None when it grew past the cap while it was read."""

    def __init__(self, message: str, size: int | None) -> None:
        super().__init__(message)
        self.size = size


@attrs_classes.frozen
class SourceFile:
    path: str
    text: str
    mtime_ns: int
    size: int


def decode_source(data: bytes) -> str:
    """Python source bytes to text: PEP 263 coding cookie or BOM, else UTF-8."""
    if b"\x00" in data:
        raise UnreadableSource(BINARY)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise UnreadableSource(f"not valid text in its declared encoding ({exc})") from None
    return newlines_as_python_reads(text.removeprefix(BOM))


def open_or_disk(path: str, opened: Callable[[str], str | None] | None
                 ) -> tuple[bytes | None, tuple | None]:
    """A file another module's analysis reads (a template, a Django settings module) as the
    editor holds it, for a cache to keep what it read by the stamp: the bytes of its open text
    (`opened`: a normalised path -> the editor's unsaved text, None when not open) stamped by
    their digest; else no bytes (`read_opened` reads them) and the file's (mtime, size); no
    stamp when it is neither open nor a file."""
    text = opened(os.path.normpath(path)) if opened is not None else None
    if text is not None:
        data = text.encode("utf-8", "surrogatepass")
        return data, ("open", blake2b(data, digest_size=16).hexdigest())
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None, None
    return None, (stat.st_mtime_ns, stat.st_size)


def read_opened(path: str, data: bytes | None, cap: int, what: str) -> bytes:
    """The bytes `open_or_disk` gave (an open text), else the file's, with the same cap."""
    if data is None:
        return read_limited(path, cap, what)[0]
    if len(data) > cap:
        raise TooLarge(_too_large(what, len(data), cap), len(data))
    return data


def read_limited(path: str | Path, cap: int | None = None, what: str = "",
                 follow: bool = True) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `cap` bytes (MAX_BYTES by default) and the stat of
    what was read; UnreadableSource, whose message says why, for anything else.

    Never blocks and never reads more than cap + 1 bytes: a FIFO, a device, a socket or a
    folder is refused before a byte is read, and st_size is not trusted (it is 0 for /proc-like
    files). `what` names the file in the "too large" message (e.g. "baseline"). `follow=False`:
    a symbolic link is refused, also one swapped in after the caller resolved the path.
    """
    cap = MAX_BYTES if cap is None else cap
    nofollow = 0 if follow else getattr(os, "O_NOFOLLOW", 0)
    try:
        # Refused before it is opened where possible: opening some devices has effects.
        _check_regular(os.stat(path) if follow else os.lstat(path))
        # O_NONBLOCK: opening a FIFO that was swapped in after the stat must not wait for a
        # writer; the fstat of the open descriptor then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_BINARY", 0) | nofollow)
    except OSError as exc:
        raise UnreadableSource(f"cannot read ({exc.strerror})") from None
    try:
        stat = os.fstat(fd)
        _check_regular(stat)
        if stat.st_size > cap:
            raise TooLarge(_too_large(what, stat.st_size, cap), stat.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= cap:  # one read more than the cap: a file that grew is refused too
            chunk = os.read(fd, min(cap + 1 - size, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            raise TooLarge(_too_large(what, size, cap, more=True), None)
        return b"".join(chunks), stat
    except OSError as exc:
        raise UnreadableSource(f"cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


_KINDS = ((stat_module.S_ISDIR, "folder"), (stat_module.S_ISFIFO, "FIFO"),
          (stat_module.S_ISCHR, "character device"), (stat_module.S_ISBLK, "block device"),
          (stat_module.S_ISSOCK, "socket"))


def _check_regular(stat: os.stat_result) -> None:
    if not stat_module.S_ISREG(stat.st_mode):
        kind = next((name for test, name in _KINDS if test(stat.st_mode)), "special file")
        raise UnreadableSource(f"not a regular file ({kind})")


def _too_large(what: str, size: int, cap: int, more: bool = False) -> str:
    amount = f"over {cap // 1024} KiB" if more else f"{size // 1024} KiB > {cap // 1024} KiB"
    return f"{what + ' ' if what else ''}too large ({amount})"


def read_source(path: str | Path, within: tuple[str, ...] = ()) -> SourceFile:
    """`within`: the scanned folders the file was found under; a file whose real path lies
    outside all of them (a symbolic link, or one in a linked folder) is refused, OUT_OF_TREE."""
    try:
        if within:
            real = os.path.realpath(path)
            if not lies_within(real, within):
                raise UnreadableSource(OUT_OF_TREE)
            data, stat = read_limited(real, follow=False)
        else:
            data, stat = read_limited(path)
    except TooLarge as exc:
        raise TooLarge(over_the_size_cap(exc.size, MAX_BYTES), exc.size) from None
    return SourceFile(str(path), decode_source(data), stat.st_mtime_ns, stat.st_size)


@attrs_classes.frozen
class ReadRoot:
    """The folder an analysis may read other files from (a requirements file's includes), and
    what a message calls it: the front end's word for its roots ("the scan root 'proj'", "the
    workspace folder '/home/me/app'"), or the document's own folder."""

    folder: str
    name: str


def lies_within(path: str | Path, roots: tuple[str, ...]) -> bool:
    """Whether the real path of `path` (links resolved) is in one of the folders `roots`."""
    real = os.path.normcase(os.path.realpath(path))
    for root in roots:
        root = os.path.normcase(os.path.realpath(root))
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def iter_source_files(root: Path, config: Config) -> Iterator[Path]:
    """Files under `root` (or `root` itself) of a kind Bastion reads (Python, manifests,
    configuration, ...: bastion/filekinds.py), skipping excluded paths; sorted, stable.
    Whatever is not a folder is yielded as is: the reader says why a FIFO or a device is skipped."""
    if not root.is_dir():
        if os.path.lexists(root):
            yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")
                         and not config.excludes(os.path.join(folder, d)))
        for name in sorted(files):
            if discovered_kind(name) is not None and name not in SKIP_FILES:
                full = os.path.join(folder, name)
                if not config.excludes(full):
                    yield Path(full)
