"""The baseline file (`.bastion-baseline.json` at the project root by default) is sorted JSON,
one entry per finding, meant to be committed and reviewed:

    {"version": 1, "tool": "bastion", "root": ".",
     "findings": [{"path": "src/app.py", "line": 15, "rule": "B602",
                   "message": "...", "fingerprint": "3f0c...:0"}]}

`root` is the project root relative to the baseline file's folder; entry paths are relative to
it (POSIX separators). A finding matches an entry by path + rule + fingerprint; `line` and
`message` are for people only.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import attrs

from bastion import attrs_classes
from bastion.baseline.schema import MAX_BYTES, SchemaError, read_document, shortened
from bastion.files import UnreadableSource, read_limited
from bastion.model.redact import SECRET_RULES, redact_message

FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the problem."""


@attrs_classes.frozen
class Entry:
    path: str  # POSIX, relative to the project root
    rule: str
    fingerprint: str
    line: int = 0  # 1-based, for people
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.rule, self.fingerprint)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.rule, self.fingerprint)

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "rule": self.rule,
                "message": shortened(self.message), "fingerprint": self.fingerprint}


@attrs_classes.frozen
class Baseline:
    file: Path  # absolute
    root: Path  # absolute project root; entry paths are relative to it
    entries: tuple[Entry, ...]
    _keys: Counter = attrs.field(init=False, eq=False, repr=False)
    _paths: frozenset = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_keys", Counter(e.key for e in self.entries))
        object.__setattr__(self, "_paths", frozenset(e.path for e in self.entries))

    def relative(self, path: str | os.PathLike) -> str | None:
        """`path` relative to the project root, POSIX; None outside it."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.root)
        except ValueError:
            try:
                rel = Path(path).resolve().relative_to(self.root.resolve())
            except (ValueError, OSError):
                return None
        return PurePosixPath(*rel.parts).as_posix()

    def has_path(self, rel: str) -> bool:
        return rel in self._paths

    def count(self, rel: str, rule: str, fingerprint: str) -> int:
        return self._keys.get((rel, rule, fingerprint), 0)

    def __len__(self) -> int:
        return len(self.entries)


def dumps(entries: Iterable[Entry], root: str = ".") -> str:
    """The file's text: stable order, indent 2, trailing newline."""
    doc = {"version": FORMAT_VERSION, "tool": "bastion", "root": root,
           "findings": [e.to_json() for e in sorted(entries, key=Entry.sort_key)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def root_field(file: Path, root: Path) -> str:
    """The project root as the file stores it: relative to the file's folder, POSIX."""
    rel_root = os.path.relpath(os.path.abspath(root), Path(os.path.abspath(file)).parent)
    return PurePosixPath(*Path(rel_root).parts).as_posix() or "."


def write_baseline(file: Path, root: Path, entries: Iterable[Entry]) -> None:
    """Write atomically; `root` is stored relative to the file's folder. The temporary file is
    created anew (never through a name planted in the folder); BaselineError when writing fails."""
    file = Path(os.path.abspath(file))
    # A lone surrogate (a file name that is not UTF-8) is written as its JSON escape.
    data = dumps(entries, root_field(file, root)).encode("utf-8", "backslashreplace")
    import secrets  # only when writing (hmac and random: not worth a check's start-up)

    tmp = file.with_name(f".{file.name}.{secrets.token_hex(4)}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o666)
        with open(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, file)  # replaces a symbolic link itself, never its target
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise BaselineError(f"{file}: cannot write the baseline ({exc.strerror or exc})") from None


def parse_baseline(text: str, file: Path) -> Baseline:
    file = Path(os.path.abspath(file))
    try:
        root, rows = read_document(text, FORMAT_VERSION)
    except SchemaError as exc:
        raise BaselineError(f"{file}: {exc}") from None
    return Baseline(file, Path(os.path.normpath(file.parent / root)),
                    tuple(Entry(*row[:4], _message(row[1], row[4])) for row in rows))


def _message(rule: str, message: str) -> str:
    """A message as shown: a baseline written before secrets were redacted may quote one (even
    cut short, so that the quote pattern no longer matches)."""
    message = redact_message(message)
    if rule in SECRET_RULES and "[redacted" not in message:
        return message.split(":", 1)[0] + ": [redacted]"
    return message


# Owned by load_baseline: per absolute path, the (mtime, size) read and what it held, or why
# it could not be used (a broken file is not parsed again on every keystroke).
_CACHE: dict[str, tuple[tuple[int, int], Baseline | str]] = {}
_CACHE_LOCK = threading.Lock()


def load_baseline(file: str | os.PathLike) -> Baseline:
    """The baseline in `file`, re-read only when its modification time or size changes.

    Raises BaselineError when it is missing or invalid. Only a regular file of at most
    MAX_BYTES is read, without blocking: a FIFO or a device named as the baseline is refused.
    """
    path = os.path.abspath(file)
    try:
        stat = os.stat(path)
    except OSError:
        raise BaselineError(f"{path}: baseline file not found "
                            "(create it with `bastion baseline create`)") from None
    with _CACHE_LOCK:
        cached = _CACHE.get(path)
    if cached is None or cached[0] != (stat.st_mtime_ns, stat.st_size):
        cached = _read(path)
        with _CACHE_LOCK:
            _CACHE[path] = cached
    if isinstance(cached[1], str):
        raise BaselineError(cached[1])
    return cached[1]


def _read(path: str) -> tuple[tuple[int, int], Baseline | str]:
    try:
        data, stat = read_limited(path, MAX_BYTES, "baseline")
    except UnreadableSource as exc:
        return (-1, -1), f"{path}: cannot read the baseline: {exc}"
    stamp = (stat.st_mtime_ns, stat.st_size)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return stamp, f"{path}: not UTF-8 text (byte {exc.start})"
    try:
        return stamp, parse_baseline(text, Path(path))
    except BaselineError as exc:
        return stamp, str(exc)


def project_root(start: Path, config_file: Path | None = None) -> Path:
    """The folder of `config_file`, or of the nearest pyproject.toml at or above `start`, or
    `start` itself."""
    from bastion.config import find_pyproject

    if config_file is not None:
        return Path(os.path.abspath(config_file)).parent
    found = find_pyproject(Path(os.path.abspath(start)))
    return found.parent if found is not None else Path(os.path.abspath(start))
