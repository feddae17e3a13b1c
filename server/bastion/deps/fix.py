"""The bump quick fix: the smallest version that fixes every advisory, as a minimal edit.

Only the version text changes, so comments, markers, extras and options stay as written. A
pin gets the new version; a range's `>=`/`>` lower bound is raised (`>=` kept or made), and
only when the result admits no affected version. Locks are not edited: the finding names the
lock command. Hashes (`--hash`) must be regenerated, and the fix's title says so.
"""

from __future__ import annotations

import re

import attrs
from packaging.version import Version

from bastion.deps import analysis, match
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Dependency
from bastion.model import Span

_LOWER = re.compile(r"(>=|>)(\s*)([^\s,;()]+)")


@attrs.frozen
class Bump:
    span: Span  # the text to replace
    new_text: str
    title: str


def bump(path: str, text: str, line: int, col: int, index: AdvisoryIndex,
         root: str | None = None, kind: str | None = None) -> Bump | None:
    """The bump for the dependency whose finding covers (line, col), if one is safe."""
    manifest = analysis.parse_manifest(path, text, root, kind=kind)
    if manifest is None:
        return None
    for dependency in manifest.dependencies:
        if dependency.locked or dependency.via or not dependency.span.contains(line, col):
            continue
        affected = index.affected(dependency.name)
        if not affected:
            return None
        if dependency.pinned is not None:
            return _pin(dependency, index)
        return _range(text, dependency, index)
    return None


def _pin(dependency: Dependency, index: AdvisoryIndex) -> Bump | None:
    safe = match.smallest_safe(index, dependency.name, Version(dependency.pinned))
    if safe is None or dependency.version_span is None:
        return None
    hashes = " (then regenerate the --hash values)" if dependency.hashed else ""
    return Bump(dependency.version_span, str(safe),
                f"Upgrade {dependency.name} to {safe}, fixing every known advisory{hashes}")


def _range(text: str, dependency: Dependency, index: AdvisoryIndex) -> Bump | None:
    span = dependency.span
    if span.start_line != span.end_line:
        return None
    line = text.splitlines()[span.start_line]
    clauses = list(_LOWER.finditer(line, span.start_col, span.end_col))
    if len(clauses) != 1:
        return None
    clause = clauses[0]
    lowest = Version(clause.group(3)) if _valid(clause.group(3)) else None
    safe = match.smallest_safe(index, dependency.name, lowest)
    if safe is None:
        return None
    replaced = f">={clause.group(2)}{safe}"
    new_specifier = (line[span.start_col:clause.start()] + replaced
                     + line[clause.end():span.end_col])
    check = attrs.evolve(dependency, specifier=new_specifier.strip().strip("()"))
    if any(f.rule_id != "BST403" for f in match.findings((check,), index)):
        return None  # still admits an affected version (an advisory with no fix, an upper cap)
    return Bump(Span(span.start_line, clause.start(), span.start_line, clause.end()), replaced,
                f"Require {dependency.name} >= {safe}, fixing every known advisory")


def _valid(text: str) -> bool:
    try:
        Version(text)
    except ValueError:
        return False
    return True
