"""A persistent cache of whole-file results, shared by the server and `bastion check`.

Keyed by a digest of the file's text and the analyzers' versions, so a stale entry can never
be read. One SQLite file in the user cache folder (WAL mode: safe for concurrent servers and
scan workers), bounded in entries, stored as JSON (never pickle: a cache file is data, and a
security tool must not execute what it reads) and validated when read (cache_entry.py). Any
failure disables the cache, never the analysis, and is said once per process.

The cache holds findings' messages, which quote source (a hard-coded password, say), and whoever
can write it can make Bastion report what they want: it is private to the user. The folder is
created 0700 and the database 0600 whatever the umask (SQLite gives its -wal and -shm files the
database's mode); a folder or database that is a symbolic link, or that another user owns, is
refused; group or other permission bits on ours are removed. Files of older formats are deleted.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import time
from pathlib import Path

from bastion.lazy_log import logger

SCHEMA = 4  # 4: rows written before messages were redacted are dropped with their file
DEFAULT_MAX_ENTRIES = 50_000
_BATCH = 500  # keys per statement, well under SQLite's limit on bound parameters
# A row read again within this many seconds keeps the time it was last marked used, so that
# most reads are read-only: a warm scan wrote every row it read, and the rule tables were
# written at every start, and the last connection's close then copied the log into the
# database file and synced it. Pruning (least recently used first) needs no finer time.
USED_PRECISION = 3600


def default_path() -> Path:
    folder = os.environ.get("BASTION_CACHE_DIR")
    if folder:
        return Path(folder) / f"results-v{SCHEMA}.sqlite3"
    from bastion.user_dirs import user_cache_dir

    return Path(user_cache_dir()) / f"results-v{SCHEMA}.sqlite3"


class DiskCache:
    def __init__(self, path: Path | None = None, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.path = path or default_path()
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._disabled = False
        self._writes = 0

    def stored(self) -> bool:
        """Whether the database (or a log SQLite would replay into it) is on disk: without it
        every lookup misses, and a first run (a CI job without a restored cache) need not
        compute its files' keys to find nothing."""
        return os.path.lexists(self.path) or os.path.lexists(f"{self.path}-wal")

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._disabled:
            try:
                _make_private(self.path)
                db = sqlite3.connect(self.path, timeout=5, check_same_thread=False,
                                     isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS results "
                           "(key TEXT PRIMARY KEY, value TEXT NOT NULL, used INTEGER NOT NULL)")
                self._db = db
            except (sqlite3.Error, OSError, UnsafeCache) as exc:
                _warn_once(self.path, f"result cache disabled ({self.path}): {exc}")
                self._disabled = True
        return self._db

    def _failed(self, doing: str, exc: sqlite3.Error) -> None:
        """A cache that fails once (read-only, full disk, corrupt) is not used again by this
        process: one warning, not one per file."""
        _warn_once(self.path, f"result cache disabled ({self.path}): {doing} failed: {exc}")
        self._disabled = True
        if self._db is not None:
            self._db.close()
            self._db = None

    def get(self, key: str) -> str | None:
        with self._lock:
            db = self._connect()
            if db is None:
                return None
            try:
                row = db.execute("SELECT value, used FROM results WHERE key = ?", (key,)).fetchone()
                if row is not None and _stale(row[1], int(time.time())):
                    db.execute("UPDATE results SET used = ? WHERE key = ?", (int(time.time()), key))
            except sqlite3.Error as exc:
                self._failed("a read", exc)
                return None
            return row[0] if row else None

    def get_many(self, keys: list[str]) -> dict[str, str]:
        """The stored values of `keys` (those found), read and marked used in one transaction:
        a scan looks up every file at once instead of paying a commit per file."""
        found: dict[str, str] = {}
        with self._lock:
            db = self._connect()
            if db is None:
                return found
            now = int(time.time())
            try:
                with db:  # one transaction (committed, or rolled back on an error)
                    db.execute("BEGIN")
                    for start in range(0, len(keys), _BATCH):
                        batch = keys[start:start + _BATCH]
                        stale = []
                        for key, value, used in db.execute(
                                "SELECT key, value, used FROM results WHERE key IN "
                                f"({','.join('?' * len(batch))})", batch):
                            found[key] = value
                            if _stale(used, now):
                                stale.append(key)
                        if stale:
                            db.execute("UPDATE results SET used = ? WHERE key IN "
                                       f"({','.join('?' * len(stale))})", (now, *stale))
            except sqlite3.Error as exc:
                self._failed("a read", exc)
                return {}
        return found

    def put(self, key: str, value: str) -> None:
        self.put_many([(key, value)])

    def put_many(self, rows: list[tuple[str, str]]) -> None:
        """Store the (key, value) `rows` in one transaction: a scan's parent writes what its
        workers send back in one commit, where each worker committing each file's row waited
        for the other's."""
        with self._lock:
            db = self._connect()
            if db is None or not rows:
                return
            now = int(time.time())
            try:
                with db:  # one transaction (committed, or rolled back on an error)
                    db.execute("BEGIN")
                    db.executemany("INSERT OR REPLACE INTO results (key, value, used) VALUES (?, ?, ?)",
                                   [(key, value, now) for key, value in rows])
                pruned_at = self._writes // 500
                self._writes += len(rows)
                if self._writes // 500 > pruned_at:  # every 500 writes
                    self._prune(db)
            except sqlite3.Error as exc:
                self._failed("a write", exc)

    def _prune(self, db: sqlite3.Connection) -> None:
        (count,) = db.execute("SELECT COUNT(*) FROM results").fetchone()
        if count > self.max_entries:
            db.execute("DELETE FROM results WHERE key IN (SELECT key FROM results "
                       "ORDER BY used ASC LIMIT ?)", (count - self.max_entries * 9 // 10,))

    def prune(self) -> None:
        with self._lock:
            db = self._connect()
            if db is not None:
                try:
                    self._prune(db)
                except sqlite3.Error as exc:
                    self._failed("pruning", exc)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, and empty it. Scan workers exit
        without closing their connections, which would leave that copy to the next reader."""
        with self._lock:
            db = self._connect()
            if db is not None:
                try:
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error as exc:
                    self._failed("a checkpoint", exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def _stale(used: object, now: int) -> bool:
    """Whether a row last marked used at `used` is to be marked again (any value that is not
    a time is)."""
    return type(used) is not int or not 0 <= now - used < USED_PRECISION


class UnsafeCache(Exception):
    """A cache folder or file that others could read or write; the message says why."""


# Owned by _warn_once: the cache folders this process has warned about (one warning for a
# folder, whose databases, the results' and the rule tables', fail for the same reason). Scan
# workers forked after the parent's warning inherit it.
_WARNED: set[str] = set()
_WARNED_LOCK = threading.Lock()


def _warn_once(path: Path, message: str) -> None:
    with _WARNED_LOCK:
        if str(path.parent) in _WARNED:
            return
        _WARNED.add(str(path.parent))
    logger(__name__).warning("%s", message)


def _make_private(path: Path) -> None:
    """Create the cache folder and database private to the user, or refuse them (UnsafeCache)."""
    folder = path.parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    trusted = _check_owned(folder, stat.S_ISDIR, "folder", 0o700)
    names = (path.name, f"{path.name}-wal", f"{path.name}-shm")
    for name in names:
        if os.path.lexists(folder / name):
            trusted = _check_owned(folder / name, stat.S_ISREG, "file", 0o600) and trusted
    if not trusted:  # others could write it: nothing in it can be trusted, so it goes
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(folder / name)
    if os.name == "posix":
        try:  # created here, 0600, before SQLite creates it with the umask's mode
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            pass
    for old in range(1, SCHEMA):
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(folder / f"results-v{old}.sqlite3{suffix}")


def _check_owned(path: Path, kind, what: str, mode: int) -> bool:
    """Refuse `path` unless it is a real `what` of the user; make it private to the user (mode
    at most `mode`). False: it was writable by others."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeCache(f"{path} is a symbolic link; the cache {what} must be a real one")
    if not kind(info.st_mode):
        raise UnsafeCache(f"{path} is not a {what}")
    if os.name != "posix":
        return True  # Windows: the user's profile folder is private by its ACL
    if info.st_uid != os.geteuid():
        raise UnsafeCache(f"{path} belongs to another user (uid {info.st_uid})")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
    return not stat.S_IMODE(info.st_mode) & 0o022
