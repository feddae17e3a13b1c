"""The bump quick fix: the smallest version that fixes every advisory, as a minimal edit.

Only the version text changes, so comments, markers, extras and options stay as written. A
pin gets the new version; a range's `>=`/`>` lower bound is raised (`>=` kept or made), a
Poetry caret or tilde keeps its operator (`^2.19` -> `^2.31.0`) unless that would narrow what
the user's precision allows (`~5` -> `>=5.4.1,<6`, see `match.raised_bound`), and only when the
result admits no affected version; the finding's message names the same bound. Locks are not
edited: the finding names the lock command. Hashes (`--hash`) must be regenerated, and the
fix's title says so.
"""

from __future__ import annotations

import attrs
from packaging.version import Version

from bastion.deps import analysis, match
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Dependency
from bastion.model import Span
from bastion.model.text import text_lines


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
    range admits no affected version (`match.raised_bound`, which the finding's message names)."""
    span = dependency.span
    if span.start_line != span.end_line:
        return None
    line = text_lines(text)[span.start_line]
    raised = match.raised_bound(dependency, index, line, span.start_col, span.end_col)
    if raised is None:
        return None
    return Bump(Span(span.start_line, raised.start, span.start_line, raised.end), raised.text,
                f"Require {dependency.name} {raised.shown}, fixing every known advisory")


def _clean(dependency: Dependency, index: AdvisoryIndex) -> bool:
    """Whether no advisory affects what `dependency` admits (an advisory with no fix, an upper
    cap below the fix, a caret range reaching a later affected release all leave some)."""
    return all(f.rule_id == "BST403" for f in match.findings((dependency,), index))
