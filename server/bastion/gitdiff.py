"""Lines changed since a git ref, for `bastion check --diff-base REF` (the net-new gate).

git runs as a subprocess with an argument list (never a shell):

    git rev-parse --show-toplevel
    git rev-parse --verify --quiet REF^{commit}
    git diff --unified=0 REF -- PATH...         (tracked files: REF against the working tree)
    git ls-files --others --exclude-standard -- PATH...   (untracked files: every line is new)

A finding counts as changed when any line of its statement was added or modified, or when
lines inside the statement were deleted. Renames are followed (`-M`), so a moved file is not
all new. Every problem (no git, not a repository, unknown ref) is a GitError with a message for
people; `bastion check` turns it into exit status 2.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from bastion.model import Finding

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
            '"': '"', "\\": "\\"}
TIMEOUT_S = 120


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the ref is unknown."""


@attrs.frozen
class FileChanges:
    """Changed lines of one file: 1-based added/modified lines, and deletion points (a deletion
    after line n is recorded as n: it touches a statement that spans lines n and n + 1)."""

    added: frozenset[int] = frozenset()
    deleted_after: frozenset[int] = frozenset()
    whole: bool = False  # untracked or newly added: everything is new

    def touches(self, lines: Iterable[int]) -> bool:
        """Whether the statement on these 1-based lines changed."""
        numbers = sorted(set(lines))
        if not numbers:
            return False
        if self.whole or any(n in self.added for n in numbers):
            return True
        return any(numbers[0] <= n < numbers[-1] for n in self.deleted_after)


@attrs.frozen
class ChangeSet:
    ref: str
    toplevel: Path
    files: dict[str, FileChanges]  # absolute, normalised path -> changes

    def for_path(self, path: str | os.PathLike) -> FileChanges | None:
        key = os.path.normcase(os.path.realpath(path))
        return self.files.get(key)

    def touches(self, path: str | os.PathLike, finding: Finding) -> bool:
        changes = self.for_path(path)
        if changes is None:
            return False
        span = finding.span
        lines = set(finding.lines) | {span.start_line}
        return changes.touches(n + 1 for n in lines)


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(["git", "-c", "core.quotepath=off", "-c", "diff.relative=false",
                               "-c", "diff.noprefix=false", "--literal-pathspecs", *args],
                              cwd=cwd, capture_output=True, env=env, timeout=TIMEOUT_S,
                              check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {TIMEOUT_S}s") from None


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def toplevel(start: Path) -> Path:
    folder = start if start.is_dir() else start.parent
    proc = _git(["rev-parse", "--show-toplevel"], folder)
    if proc.returncode != 0:
        raise GitError(f"{folder} is not inside a git repository (--diff-base needs one)")
    return Path(_text(proc.stdout).strip())


def verify_ref(ref: str, top: Path) -> str:
    """The commit `ref` names; GitError when it names none."""
    if not ref or ref.startswith("-"):
        raise GitError(f"unknown git ref {ref!r}")
    proc = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    if proc.returncode != 0:
        raise GitError(f"unknown git ref {ref!r} (not a commit, branch or tag in {top}; "
                       "in CI, fetch it first, e.g. `git fetch origin main` and "
                       "actions/checkout with fetch-depth: 0)")
    return _text(proc.stdout).strip()


def _unquote(path: str) -> str:
    """git's C-style quoting of unusual file names: "a\\tb\\303\\251"."""
    if not (len(path) >= 2 and path[0] == path[-1] == '"'):
        return path
    body, out, i = path[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and re.match(r"[0-7]{3}", body[i + 1:i + 4]):
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.extend(_ESCAPES.get(nxt, nxt).encode("utf-8", "surrogateescape"))
            i += 2
            continue
        out.extend(ch.encode("utf-8", "surrogateescape"))
        i += 1
    return out.decode("utf-8", "surrogateescape")


def parse_diff(text: str) -> dict[str, FileChanges]:
    """`git diff --unified=0` output -> changes per path (relative to the repository, as git
    prints it after `b/`)."""
    result: dict[str, tuple[set[int], set[int], bool]] = {}
    current: tuple[set[int], set[int], bool] | None = None
    new_file = False
    for line in text.split("\n"):
        if line.startswith("diff --git "):
            current, new_file = None, False
        elif line.startswith("new file mode"):
            new_file = True
        elif line.startswith("+++ "):
            target = _unquote(line[4:].rstrip("\t"))
            if target == "/dev/null":
                current = None
                continue
            target = target[2:] if target.startswith("b/") else target
            current = result.setdefault(target, (set(), set(), new_file))
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if not match:
                continue
            start, count = int(match.group(1)), int(match.group(2) or 1)
            if count:
                current[0].update(range(start, start + count))
            else:
                current[1].add(start)  # lines deleted after line `start`
    return {path: FileChanges(frozenset(a), frozenset(d), whole)
            for path, (a, d, whole) in result.items()}


def changed_lines(ref: str, paths: Sequence[str | os.PathLike],
                  cwd: Path | None = None) -> ChangeSet:
    """What changed in `paths` between `ref` and the working tree (staged or not), plus
    untracked files. Raises GitError."""
    cwd = Path(cwd or Path.cwd())
    first = Path(paths[0]) if paths else cwd
    top = toplevel(first if first.is_absolute() else cwd / first)
    verify_ref(ref, top)
    real_top = Path(os.path.realpath(top))
    specs: list[str] = []
    for raw in paths or ["."]:
        full = Path(os.path.realpath(cwd / raw))
        try:
            rel = full.relative_to(real_top)
        except ValueError:
            raise GitError(f"{raw} is outside the git repository {top}") from None
        specs.append(rel.as_posix() or ".")
    diff = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv",
                 "-M", "--src-prefix=a/", "--dst-prefix=b/", ref, "--", *specs],
                real_top)
    if diff.returncode != 0:
        raise GitError(f"git diff {ref} failed: {_text(diff.stderr).strip()}")
    changes = parse_diff(_text(diff.stdout))
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--", *specs], real_top)
    if untracked.returncode != 0:
        raise GitError(f"git ls-files failed: {_text(untracked.stderr).strip()}")
    for name in _text(untracked.stdout).split("\0"):
        if name:
            changes[name] = FileChanges(whole=True)
    files = {os.path.normcase(os.path.realpath(real_top / name)): change
             for name, change in changes.items()}
    return ChangeSet(ref, top, files)
