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

import json
import os
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import attrs

DEFAULT_NAME = ".bastion-baseline.json"
FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the problem."""


@attrs.frozen
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
                "message": self.message, "fingerprint": self.fingerprint}


@attrs.frozen
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
    """Write atomically; `root` is stored relative to the file's folder."""
    file = Path(os.path.abspath(file))
    text = dumps(entries, root_field(file, root))
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    os.replace(tmp, file)


def parse_baseline(text: str, file: Path) -> Baseline:
    file = Path(os.path.abspath(file))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{file}: not a Bastion baseline (no \"findings\" list)")
    if doc.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        raise BaselineError(f"{file}: baseline format version {doc.get('version')!r} is not "
                            f"supported (expected {FORMAT_VERSION})")
    root = doc.get("root", ".")
    if not isinstance(root, str):
        raise BaselineError(f"{file}: \"root\" must be a string")
    entries = []
    for number, item in enumerate(doc["findings"]):
        try:
            entries.append(Entry(str(item["path"]), str(item["rule"]), str(item["fingerprint"]),
                                 int(item.get("line", 0)), str(item.get("message", ""))))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError(f"{file}: findings[{number}] needs \"path\", \"rule\" and "
                                "\"fingerprint\"") from None
    return Baseline(file, Path(os.path.normpath(file.parent / root)), tuple(entries))


_CACHE: dict[str, tuple[tuple[int, int], Baseline]] = {}
_CACHE_LOCK = threading.Lock()


def load_baseline(file: str | os.PathLike) -> Baseline:
    """The baseline in `file`, re-read only when its modification time or size changes.

    Raises BaselineError when it is missing or invalid.
    """
    path = os.path.abspath(file)
    try:
        stat = os.stat(path)
    except OSError:
        raise BaselineError(f"{path}: baseline file not found "
                            "(create it with `bastion baseline create`)") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _CACHE_LOCK:
        cached = _CACHE.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc})") from None
    baseline = parse_baseline(text, Path(path))
    with _CACHE_LOCK:
        _CACHE[path] = (stamp, baseline)
    return baseline


def configured_path(config) -> tuple[Path | None, bool]:
    """(baseline file for `config`, whether it was set explicitly).

    `[tool.bastion] baseline = "path"` (relative to the pyproject.toml folder) or the client's
    `baseline`; otherwise `.bastion-baseline.json` at the project root (or the nearest one
    above it, within the git work tree) when present.
    `baseline = ""` turns baselines off.
    """
    setting = getattr(config, "baseline", None)
    root = Path(os.path.abspath(config.root)) if config.root else Path.cwd()
    if setting == "":
        return None, True
    if setting:
        return Path(os.path.abspath(root / os.path.expanduser(setting))), True
    return discover(root), False


def discover(start: Path) -> Path | None:
    """`.bastion-baseline.json` in `start` or the nearest folder above it, not looking past the
    top of the git work tree (a folder holding `.git`)."""
    for folder in (start, *start.parents):
        candidate = folder / DEFAULT_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def project_root(start: Path, config_file: Path | None = None) -> Path:
    """The folder of `config_file`, or of the nearest pyproject.toml at or above `start`, or
    `start` itself."""
    from bastion.config import find_pyproject

    if config_file is not None:
        return Path(os.path.abspath(config_file)).parent
    found = find_pyproject(Path(os.path.abspath(start)))
    return found.parent if found is not None else Path(os.path.abspath(start))
