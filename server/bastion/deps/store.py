"""Where the advisory index lives, and the process's loaded copy.

The index `bastion db import/update` writes lives in the user's private data folder (0700,
file 0600; BASTION_DATA_DIR overrides the folder); without it, the copy shipped in the wheel is
used. Owner of `_loaded` (the parsed index, keyed by the file's identity): this module, under
`_lock`, since the analysis thread and the CLI's workers both read it. One thread parses a
version while the others that ask for it wait (`_parsing`): the language server's analysis and
its advisory-age hint both ask when a manifest is opened, and each parsed it (80 ms of CPU
twice on the open's path, and two index objects, each filling its own `safe_fixes`).
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

from bastion.deps import index as index_module
from bastion.deps.index import AdvisoryIndex, InvalidIndex
from bastion.deps.location import FILE_NAME, current_path, data_dir
from bastion.files import UnreadableSource, read_limited

STALE_DAYS = 30
MAX_FILE_BYTES = 32 * 1024 * 1024
_lock = threading.Lock()
_parsing = threading.Lock()  # held while a version is parsed; taken before `_lock`, never inside it
_loaded: dict[tuple, AdvisoryIndex] = {}


def load(path: Path | None = None) -> AdvisoryIndex:
    """The index at `path` (the current one by default), parsed once per file version;
    InvalidIndex says why it cannot be used."""
    path = path or current_path()
    try:
        data, info = read_limited(path, MAX_FILE_BYTES, "advisory index")
    except UnreadableSource as exc:
        raise InvalidIndex(f"{path}: {exc}") from None
    key = (str(path), info.st_mtime_ns, info.st_size, info.st_ino)
    with _lock:
        if key in _loaded:
            return _loaded[key]
    with _parsing:
        with _lock:
            if key in _loaded:  # parsed by the thread this one waited for
                return _loaded[key]
        try:
            loaded = index_module.loads(data)
        except InvalidIndex as exc:
            raise InvalidIndex(f"{path}: {exc}") from None
        with _lock:
            _loaded.clear()
            _loaded[key] = loaded
    return loaded


def is_stale(index: AdvisoryIndex, now: datetime | None = None) -> bool:
    return index.age_days(now or datetime.now(timezone.utc)) > STALE_DAYS


def stale_hint(index: AdvisoryIndex) -> str | None:
    if not is_stale(index):
        return None
    return (f"The advisory index is {index.age_days()} days old (data up to "
            f"{index.created:%Y-%m-%d}): run `bastion db update` for recent advisories.")


def save(data: bytes) -> Path:
    """Write a validated index into the private data folder, atomically."""
    index_module.loads(data)  # never store what would not load
    folder = data_dir()
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        raise OSError(f"{folder} is not a folder owned by this user")
    os.chmod(folder, 0o700)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".advisories-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, folder / FILE_NAME)
    except BaseException:
        os.unlink(temporary)
        raise
    return folder / FILE_NAME
