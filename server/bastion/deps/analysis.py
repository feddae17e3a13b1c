"""A manifest's text to findings: the entry point the engine's text-analyzer registry calls.

Lock files and manifests are parsed by kind (`names.manifest_kind`); a part that cannot be
parsed, or an advisory index that cannot be loaded, makes the file (or that line) "not
analysed", never silently clean. Typosquat checks need no index and run regardless.
"""

from __future__ import annotations

import attrs

from bastion.deps import collector, locks, match, pyproject, requirements_txt, store
from bastion.deps.index import AdvisoryIndex, InvalidIndex
from bastion.deps.lines import LineCache
from bastion.deps.lock_blocks import LockCache
from bastion.deps.model import Manifest
from bastion.deps.names import manifest_kind
from bastion.deps.pyproject_memo import Memo
from bastion.model import Finding, NotAnalysed

ANALYZER = "deps"


@attrs.frozen
class Result:
    findings: tuple[Finding, ...]
    not_analysed: tuple[NotAnalysed, ...]
    index: AdvisoryIndex | None  # the index used, for its age and source


def parse_manifest(path: str, text: str, root: str | None,
                   reader: requirements_txt.Reader = requirements_txt.read_file,
                   kind: str | None = None, root_name: str | None = None) -> Manifest | None:
    """The manifest in `text`; `kind` is the parser (by default, from the file name); `root`,
    `root_name`: see `requirements_txt.read_with_includes`."""
    kind = kind or manifest_kind(path)
    if kind is None:
        return None
    if kind == "requirements":
        return requirements_txt.read_with_includes(path, text, root, reader, root_name)
    if kind == "pyproject":
        return pyproject.parse(text)
    return locks.parse(kind, text)


def declares_dependencies(path: str, text: str) -> bool:
    """Whether the advisory index's age matters for this manifest: a pyproject.toml may hold
    only tool settings; requirements and lock files are lists of dependencies."""
    if manifest_kind(path) != "pyproject":
        return True
    return pyproject.declares(text)


def analyse(path: str, text: str, root: str | None = None,
            index: AdvisoryIndex | None = None,
            reader: requirements_txt.Reader = requirements_txt.read_file,
            kind: str | None = None, lines: LineCache | None = None,
            pieces: LockCache | None = None, memo: Memo | None = None,
            root_name: str | None = None) -> Result:
    """`lines`: the results of a requirements file's lines kept from earlier analyses (the
    editor's); `pieces`: those of a lock file's packages; `memo`: those of a
    pyproject.toml's dependencies; else the whole file is read."""
    kind = kind or manifest_kind(path)
    incremental = (lines is not None and kind == "requirements") or (
        pieces is not None and kind in locks.LOCK_COMMANDS) or (memo is not None and kind == "pyproject")
    # A large requirements file read whole: its dependencies, freed when this returns, are
    # never walked by the collector (deps/collector.py).
    with collector.paused(kind == "requirements" and not incremental
                          and text.count("\n") >= collector.PAUSE_LINES):
        return _analyse(path, text, root, index, reader, kind, incremental, lines, pieces, memo,
                        root_name)


def _analyse(path: str, text: str, root: str | None, index: AdvisoryIndex | None,
             reader: requirements_txt.Reader, kind: str | None, incremental: bool,
             lines: LineCache | None, pieces: LockCache | None, memo: Memo | None,
             root_name: str | None) -> Result:
    manifest = None if incremental else parse_manifest(path, text, root, reader, kind, root_name)
    if manifest is None and not incremental:
        return Result((), (), None)
    unusable = None
    if index is None:
        try:
            index = store.load()
        except InvalidIndex as exc:
            unusable = NotAnalysed(f"advisory index unusable: {exc}; run `bastion db update`, or "
                                   "delete the file to use the shipped index", analyzer=ANALYZER)
    if incremental and kind == "requirements":
        found, parts = lines.read(path, text, root, index, reader, root_name)
    elif incremental and kind == "pyproject":
        found, parts = memo.read(path, text, index)
    elif incremental:
        found, parts = pieces.read(path, kind, text, index)
    else:
        found, parts = match.findings(manifest.dependencies, index), manifest.problems
    problems = [NotAnalysed(p.reason, p.line, p.line, ANALYZER) for p in parts]
    if unusable is not None:
        problems.append(unusable)
    # A TOML lock's findings come in order: one per package, on its version's line, the lines
    # taken in the text's order (a 5 MB lock's 17k findings were sorted again per keystroke).
    ordered = found if kind in locks.BLOCK else sorted(found, key=Finding.sort_key)
    return Result(tuple(ordered), tuple(problems), index)
