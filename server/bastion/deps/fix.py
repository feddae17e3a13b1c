"""The bump quick fix: the smallest version that fixes every advisory, as a minimal edit.

Only the version text changes, so comments, markers, extras and options stay as written. A
pin gets the new version; a range's `>=`/`>` lower bound is raised (`>=` kept or made), a
Poetry caret or tilde keeps its operator (`^2.19` -> `^2.31.0`), and only when the result
admits no affected version. Locks are not edited: the finding names the
lock command. Hashes (`--hash`) must be regenerated, and the fix's title says so.
"""

from __future__ import annotations

import bisect
import re

import attrs
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from bastion.deps import analysis, match
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Dependency
from bastion.deps.pyproject import poetry_to_pep440
from bastion.model import Span

_LOWER = re.compile(r"(>=|>)(\s*)([^\s,;()]+)")
# Poetry's lower bounds: caret, tilde (not `~=`, PEP 440's), `>=`, `>`.
_POETRY_LOWER = re.compile(r"(\^|~(?!=)|>=|>)(\s*)(\d[^\s,;()|]*)")
_CANDIDATES = 32  # safe fixes tried, smallest first, for a range


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
        if _clean(dependency, index):
            return None  # nothing to fix on this one
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
    """Raise the one lower bound of a single-line range to the first safe fix after which the
    range admits no affected version (a Poetry caret or tilde moves its upper bound too)."""
    span = dependency.span
    if span.start_line != span.end_line:
        return None
    line = text.splitlines()[span.start_line]
    pattern = _POETRY_LOWER if dependency.poetry else _LOWER
    clauses = list(pattern.finditer(line, span.start_col, span.end_col))
    if len(clauses) != 1:
        return None
    clause = clauses[0]
    operator = ">=" if clause.group(1) == ">" else clause.group(1)
    safe_fixes = index.safe_fixes(dependency.name)
    lowest = Version(clause.group(3)) if _valid(clause.group(3)) else None
    at = 0 if lowest is None else bisect.bisect_right(safe_fixes, lowest)
    for safe in safe_fixes[at:at + _CANDIDATES]:
        replaced = f"{operator}{clause.group(2)}{safe}"
        written = line[span.start_col:clause.start()] + replaced + line[clause.end():span.end_col]
        if _admits(dependency, written, safe) and _clean(_rewritten(dependency, written), index):
            return Bump(Span(span.start_line, clause.start(), span.start_line, clause.end()),
                        replaced, f"Require {dependency.name} "
                        f"{'>= ' if operator == '>=' else operator}{safe}, fixing every known "
                        "advisory")
    return None


def _rewritten(dependency: Dependency, written: str) -> Dependency:
    if dependency.poetry:
        return attrs.evolve(dependency, specifier=poetry_to_pep440(written), poetry=written)
    return attrs.evolve(dependency, specifier=re.sub(r"\s+", "", written.strip().strip("()")))


def _admits(dependency: Dependency, written: str, safe: Version) -> bool:
    try:
        return SpecifierSet(_rewritten(dependency, written).specifier).contains(safe)
    except (ValueError, InvalidSpecifier):
        return False


def _clean(dependency: Dependency, index: AdvisoryIndex) -> bool:
    """Whether no advisory affects what `dependency` admits (an advisory with no fix, an upper
    cap below the fix, a caret range reaching a later affected release all leave some)."""
    return all(f.rule_id == "BST403" for f in match.findings((dependency,), index))


def _valid(text: str) -> bool:
    try:
        Version(text)
    except ValueError:
        return False
    return True
