"""Lines changed since a git ref, for `bastion check --diff-base REF` (the net-new gate).

The scanned repository is untrusted: its config and attributes can name programs (fsmonitor,
hooks, pagers, external diffs, textconv and filter drivers, credential helpers, included config
files), and so can GIT_* variables. So git only reads objects and lists paths here — no command
that diffs, filters or refreshes the work tree — and every run gets a sanitised environment and
config (see `_git`):

    git rev-parse --show-toplevel
    git rev-parse --verify --quiet REF^{commit}
    git ls-tree -r -z COMMIT -- PATH...                  (the files at REF, with their blob ids)
    git diff-index --cached -M --raw -z COMMIT -- PATH... (staged renames: objects only)
    git ls-files -z --cached --others --exclude-standard -- PATH...  (tracked or new, not ignored)
    git cat-file -s / blob OID                           (a file's text at REF, raw bytes)

The work-tree side is read by Bastion's own reader and both texts are compared in Python, per
file and only for files with findings. A finding counts as changed when any line of its
statement was added or modified, or when lines inside the statement were deleted. Staged renames
are followed, so a moved file is not all new; untracked files (not ignored) are all new. Every
problem (no git, not a repository, unknown ref) is a GitError with a message for people;
`bastion check` turns it into exit status 2.

State: a ChangeSet owns its per-file cache, filled on first use by the thread that asks.
"""

from __future__ import annotations

import bisect
import difflib
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from bastion.files import MAX_BYTES, UnreadableSource, decode_source, read_limited
from bastion.model import Finding
from bastion.model.text import split_lines

TIMEOUT_S = 120
# Config that would run a program, neutralised on the command line (which wins over every
# config file, included ones too).
_SAFE_CONFIG = (
    "core.fsmonitor=false", f"core.hooksPath={os.devnull}", "core.pager=cat", "diff.external=",
    "core.askPass=", "core.sshCommand=", "credential.helper=", "protocol.allow=never",
    "core.quotepath=off",
)
# The only GIT_* variable kept from the caller's environment: it limits where git looks.
_KEPT_GIT_VARIABLES = frozenset({"GIT_CEILING_DIRECTORIES"})
_REGULAR_BLOB_MODES = frozenset({"100644", "100755"})
# Below this many (old lines x new lines), a region without anchors is matched exactly.
_EXACT_MATCH_CELLS = 250_000


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


def line_changes(old: str, new: str) -> FileChanges:
    """What changed from `old` to `new`, line by line (the information of `diff -U0`)."""
    old_lines, new_lines = split_lines(old), split_lines(new)
    pairs = sorted(_matching_lines(old_lines, new_lines))
    added: set[int] = set()
    deleted_after: set[int] = set()
    previous = (-1, -1)
    for i, j in [*pairs, (len(old_lines), len(new_lines))]:
        if j - previous[1] > 1:
            added.update(range(previous[1] + 2, j + 1))
        elif i - previous[0] > 1:
            deleted_after.add(j)  # j new lines come before the deleted ones
        previous = (i, j)
    return FileChanges(frozenset(added), frozenset(deleted_after))


def _matching_lines(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of lines kept. Patience diff: common ends, then lines that
    occur once on each side as anchors, then exact matching only where it is cheap; the rest
    counts as replaced. Near-linear, so a hostile or repetitive file cannot make it quadratic."""
    pairs: list[tuple[int, int]] = []
    regions = [(0, len(old), 0, len(new))]
    while regions:
        o0, o1, n0, n1 = regions.pop()
        while o0 < o1 and n0 < n1 and old[o0] == new[n0]:
            pairs.append((o0, n0))
            o0, n0 = o0 + 1, n0 + 1
        while o0 < o1 and n0 < n1 and old[o1 - 1] == new[n1 - 1]:
            o1, n1 = o1 - 1, n1 - 1
            pairs.append((o1, n1))
        if o0 == o1 or n0 == n1:
            continue
        anchors = _unique_anchors(old, new, o0, o1, n0, n1)
        if anchors:
            for i, j in anchors:
                regions.append((o0, i, n0, j))
                pairs.append((i, j))
                o0, n0 = i + 1, j + 1
            regions.append((o0, o1, n0, n1))
        elif (o1 - o0) * (n1 - n0) <= _EXACT_MATCH_CELLS:
            matcher = difflib.SequenceMatcher(None, old[o0:o1], new[n0:n1], autojunk=False)
            pairs.extend((o0 + a + k, n0 + b + k)
                         for a, b, size in matcher.get_matching_blocks() for k in range(size))
    return pairs


def _unique_anchors(old: list[str], new: list[str], o0: int, o1: int, n0: int,
                    n1: int) -> list[tuple[int, int]]:
    """The longest run, increasing on both sides, of lines found exactly once on each side."""
    once_old = _once(old, o0, o1)
    common = sorted((once_old[line], j) for line, j in _once(new, n0, n1).items()
                    if line in once_old)
    # longest increasing subsequence of the new indices (patience sorting)
    tops: list[int] = []
    top_index: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(common):
        pile = bisect.bisect_left(tops, j)
        back.append(top_index[pile - 1] if pile else -1)
        if pile == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[pile], top_index[pile] = j, k
    run: list[tuple[int, int]] = []
    k = top_index[-1] if top_index else -1
    while k >= 0:
        run.append(common[k])
        k = back[k]
    return run[::-1]


def _once(lines: list[str], start: int, stop: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    repeated: set[str] = set()
    for i in range(start, stop):
        if lines[i] in seen:
            repeated.add(lines[i])
        else:
            seen[lines[i]] = i
    return {line: i for line, i in seen.items() if line not in repeated}


@attrs.define
class ChangeSet:
    """Changes between `commit` and the work tree, computed per file when first asked."""

    ref: str
    commit: str
    toplevel: Path  # real path of the repository's top folder
    at_ref: dict[str, str]  # repository-relative path -> blob id at REF
    renamed_from: dict[str, str]  # new path -> old path (staged renames)
    listed: frozenset[str]  # tracked or untracked-and-not-ignored paths of the work tree
    _cache: dict[str, FileChanges | None] = attrs.field(factory=dict, init=False)

    def for_path(self, path: str | os.PathLike) -> FileChanges | None:
        full = Path(os.path.realpath(path))
        try:
            rel = full.relative_to(self.toplevel).as_posix()
        except ValueError:
            return None
        if rel not in self._cache:
            self._cache[rel] = self._compute(rel, full)
        return self._cache[rel]

    def touches(self, path: str | os.PathLike, finding: Finding) -> bool:
        """Whether the finding's statement changed, or a step of its path (a data flow): a new
        call into an unchanged helper makes a new flow, reported at the helper's sink."""
        changes = self.for_path(path)
        lines = set(finding.lines) | {finding.span.start_line}
        if changes is not None and changes.touches(n + 1 for n in lines):
            return True
        for step in finding.steps:
            where = changes if step.path is None else self.for_path(step.path)
            if where is not None and where.touches(range(step.span.start_line + 1,
                                                         step.span.end_line + 2)):
                return True
        return False

    def _compute(self, rel: str, full: Path) -> FileChanges | None:
        old_path = rel if rel in self.at_ref else self.renamed_from.get(rel)
        if old_path is None or old_path not in self.at_ref:
            return FileChanges(whole=True) if rel in self.listed or rel in self.renamed_from \
                else None
        try:
            old = decode_source(_blob(self.at_ref[old_path], self.toplevel))
            new = decode_source(read_limited(full)[0])
        except UnreadableSource:
            return FileChanges(whole=True)  # cannot compare: everything counts as new
        return line_changes(old, new)


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.upper().startswith("GIT_") or key.upper() in _KEPT_GIT_VARIABLES}
    env.pop("SSH_ASKPASS", None)
    env.update(LC_ALL="C", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_ATTR_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0",
               GIT_NO_LAZY_FETCH="1")
    return env


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess:
    executable = shutil.which("git")
    if executable is None:
        raise GitError("git is not installed (or not on PATH)")
    config = [part for setting in _SAFE_CONFIG for part in ("-c", setting)]
    try:
        return subprocess.run([executable, "--no-pager", "--no-optional-locks",
                               "--literal-pathspecs", *config, *args],
                              cwd=cwd, capture_output=True, env=_environment(),
                              stdin=subprocess.DEVNULL, timeout=TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {TIMEOUT_S}s") from None


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _checked(args: Sequence[str], cwd: Path) -> bytes:
    proc = _git(args, cwd)
    if proc.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_text(proc.stderr).strip()}")
    return proc.stdout


def toplevel(start: Path) -> Path:
    folder = start if start.is_dir() else start.parent
    proc = _git(["rev-parse", "--show-toplevel"], folder)
    if proc.returncode != 0:
        said = _text(proc.stderr).strip().splitlines()
        reason = f" (git: {said[0]})" if said and "not a git repository" not in said[0] else ""
        raise GitError(f"{folder} is not inside a git repository (--diff-base needs one){reason}")
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


def _blob(oid: str, top: Path) -> bytes:
    size = _text(_checked(["cat-file", "-s", oid], top)).strip()
    if not size.isdigit() or int(size) > MAX_BYTES:
        raise UnreadableSource(f"too large at the base ref ({size} bytes)")
    return _checked(["cat-file", "blob", oid], top)


def _tree_blobs(commit: str, specs: Sequence[str], top: Path) -> dict[str, str]:
    blobs: dict[str, str] = {}
    for entry in _text(_checked(["ls-tree", "-r", "-z", commit, "--", *specs], top)).split("\0"):
        meta, _, name = entry.partition("\t")
        fields = meta.split()
        if name and len(fields) == 3 and fields[0] in _REGULAR_BLOB_MODES:
            blobs[name] = fields[2]
    return blobs


def _staged_renames(commit: str, specs: Sequence[str], top: Path) -> dict[str, str]:
    out = _text(_checked(["diff-index", "--cached", "-M", "--raw", "-z", commit, "--", *specs],
                         top)).split("\0")
    renames: dict[str, str] = {}
    i = 0
    while i < len(out):
        status = out[i].split(" ")[-1] if out[i].startswith(":") else ""
        if status[:1] in ("R", "C") and i + 2 < len(out):
            renames[out[i + 2]] = out[i + 1]
            i += 3
        else:
            i += 2 if status else 1
    return renames


def changed_lines(ref: str, paths: Sequence[str | os.PathLike],
                  cwd: Path | None = None) -> ChangeSet:
    """What changed in `paths` between `ref` and the working tree (staged or not), plus
    untracked files. Raises GitError."""
    cwd = Path(cwd or Path.cwd())
    first = Path(paths[0]) if paths else cwd
    top = toplevel(first if first.is_absolute() else cwd / first)
    commit = verify_ref(ref, top)
    real_top = Path(os.path.realpath(top))
    specs: list[str] = []
    for raw in paths or ["."]:
        full = Path(os.path.realpath(cwd / raw))
        try:
            rel = full.relative_to(real_top)
        except ValueError:
            raise GitError(f"{raw} is outside the git repository {top}") from None
        specs.append(rel.as_posix() or ".")
    listed = _checked(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
                       *specs], real_top)
    return ChangeSet(ref, commit, real_top, _tree_blobs(commit, specs, real_top),
                     _staged_renames(commit, specs, real_top),
                     frozenset(name for name in _text(listed).split("\0") if name))
