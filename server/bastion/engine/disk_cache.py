"""A persistent cache of whole-file results, shared by the server and `bastion check`.

Keyed by a digest of the file's text and the analyzers' versions, so a stale entry can never
be read. One SQLite file in the user cache folder (WAL mode: safe for concurrent servers and
scan workers), bounded in entries, stored as JSON (never pickle: a cache file is data, and a
security tool must not execute what it reads). Any failure disables the cache, never the analysis.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

from bastion.engine.suppress import Directive
from bastion.model import Finding, Level, Span

log = logging.getLogger(__name__)
SCHEMA = 2
DEFAULT_MAX_ENTRIES = 50_000
_BATCH = 500  # keys per statement, well under SQLite's limit on bound parameters


def default_path() -> Path:
    folder = os.environ.get("BASTION_CACHE_DIR")
    if folder:
        return Path(folder) / f"results-v{SCHEMA}.sqlite3"
    import platformdirs

    return Path(platformdirs.user_cache_dir("bastion")) / f"results-v{SCHEMA}.sqlite3"


def text_key(text: str, version_key: str) -> str:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20)
    digest.update(version_key.encode())
    return digest.hexdigest()


def _finding_row(f: Finding) -> list:
    s = f.span
    return [f.rule_id, f.name, int(f.severity), int(f.confidence), f.cwe, f.message,
            [s.start_line, s.start_col, s.end_line, s.end_col], f.source, list(f.lines)]


_LEVELS = {int(level): level for level in Level}  # Level(n) is a slow Enum.__call__


def _finding(row: list) -> Finding:
    rule, name, sev, conf, cwe, message, span, source, lines = row
    return Finding(rule, name, _LEVELS[sev], _LEVELS[conf], cwe, message, Span(*span), source,
                   tuple(lines))


def encode(findings, directives: dict[int, Directive], broken) -> str:
    return json.dumps({
        "findings": [_finding_row(f) for f in findings],
        "directives": [[d.line, d.text, sorted(d.ids), list(d.unknown), d.col]
                       for d in directives.values()],
        "broken": [list(b) for b in broken],
    }, separators=(",", ":"))


def decode(value: str):
    data = json.loads(value)
    findings = tuple(_finding(r) for r in data["findings"])
    directives = {line: Directive(line, text, frozenset(ids), tuple(unknown), col)
                  for line, text, ids, unknown, col in data["directives"]}
    return findings, directives, tuple(tuple(b) for b in data["broken"])


class DiskCache:
    def __init__(self, path: Path | None = None, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.path = path or default_path()
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._disabled = False
        self._writes = 0

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._disabled:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=5, check_same_thread=False,
                                     isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS results "
                           "(key TEXT PRIMARY KEY, value TEXT NOT NULL, used INTEGER NOT NULL)")
                self._db = db
            except (sqlite3.Error, OSError) as exc:
                log.warning("result cache disabled (%s): %s", self.path, exc)
                self._disabled = True
        return self._db

    def get(self, key: str) -> str | None:
        with self._lock:
            db = self._connect()
            if db is None:
                return None
            try:
                row = db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    db.execute("UPDATE results SET used = ? WHERE key = ?", (int(time.time()), key))
            except sqlite3.Error as exc:
                log.warning("result cache read failed: %s", exc)
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
                        marks = ",".join("?" * len(batch))
                        found.update(db.execute(
                            f"SELECT key, value FROM results WHERE key IN ({marks})", batch))
                        db.execute(f"UPDATE results SET used = ? WHERE key IN ({marks})",
                                   (now, *batch))
            except sqlite3.Error as exc:
                log.warning("result cache read failed: %s", exc)
                return {}
        return found

    def put(self, key: str, value: str) -> None:
        with self._lock:
            db = self._connect()
            if db is None:
                return
            try:
                db.execute("INSERT OR REPLACE INTO results (key, value, used) VALUES (?, ?, ?)",
                           (key, value, int(time.time())))
                self._writes += 1
                if self._writes % 500 == 0:
                    self._prune(db)
            except sqlite3.Error as exc:
                log.warning("result cache write failed: %s", exc)

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
                    log.warning("result cache prune failed: %s", exc)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, and empty it. Scan workers exit
        without closing their connections, which would leave that copy to the next reader."""
        with self._lock:
            db = self._connect()
            if db is not None:
                try:
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error as exc:
                    log.warning("result cache checkpoint failed: %s", exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
