"""Reading Python files from disk safely: walking, size limits, encodings, binary content."""

from __future__ import annotations

import io
import os
import tokenize
from collections.abc import Iterator
from pathlib import Path

import attrs

from bastion.config import Config
from bastion.limits import MAX_FILE_BYTES

MAX_BYTES = MAX_FILE_BYTES  # a module attribute, so that tests can lower it
# Folders that never hold the project's own code.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".tox", ".nox", ".venv", "venv",
                       ".eggs", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
PY_SUFFIXES = (".py", ".pyw")


class UnreadableSource(Exception):
    """A file that cannot be analysed as Python text; the message says why."""


@attrs.frozen
class SourceFile:
    path: str
    text: str
    mtime_ns: int
    size: int


def decode_source(data: bytes) -> str:
    """Python source bytes to text: PEP 263 coding cookie or BOM, else UTF-8."""
    if b"\x00" in data:
        raise UnreadableSource("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise UnreadableSource(f"not valid text in its declared encoding ({exc})") from None
    return text.removeprefix("\ufeff")


def read_limited(path: str | Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes and the stat of what was read, or UnreadableSource when it is too large
    or unreadable."""
    try:
        # Unbuffered, and the stat of the open file: a cached scan reads every file of a project.
        with open(path, "rb", buffering=0) as file:
            stat = os.fstat(file.fileno())
            if stat.st_size > MAX_BYTES:
                raise UnreadableSource(
                    f"too large ({stat.st_size // 1024} KiB > {MAX_BYTES // 1024} KiB)")
            return file.read(), stat
    except OSError as exc:
        raise UnreadableSource(f"cannot read ({exc.strerror})") from None


def read_source(path: str | Path) -> SourceFile:
    data, stat = read_limited(path)
    return SourceFile(str(path), decode_source(data), stat.st_mtime_ns, stat.st_size)


def iter_python_files(root: Path, config: Config) -> Iterator[Path]:
    """Python files under `root` (or `root` itself), skipping excluded paths; sorted, stable."""
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")
                         and not config.excludes(os.path.join(folder, d)))
        for name in sorted(files):
            if name.endswith(PY_SUFFIXES):
                full = os.path.join(folder, name)
                if not config.excludes(full):
                    yield Path(full)
