"""Plain values shared by the manifest parsers, the matcher and the fixes."""

from __future__ import annotations

import attrs

from bastion.model import Span


@attrs.frozen(cache_hash=True)  # the editor's memos look dependencies up by value
class Dependency:
    """One requirement or locked package, with the spans a finding and a fix need.

    `specifier` is PEP 440 text ("==2.0", ">=1,<3"; "" when unconstrained); `pinned` is the exact
    version when the file fixes one (a `==`/`===` pin or a lock entry). `span` covers the
    version text a finding points at (the whole requirement when it has no version);
    `version_span` the pinned version itself, replaced by a bump. `locked` entries are never
    edited: the user re-runs `lock_command`.
    """

    name: str  # PEP 503-normalised
    specifier: str
    span: Span
    pinned: str | None = None
    version_span: Span | None = None
    locked: bool = False
    hashed: bool = False  # pip --hash options: a bump must regenerate them
    lock_command: str = ""
    via: str = ""  # "constraints.txt:3" when found through a -r/-c include
    name_span: Span | None = None  # the package name as written (manifests, not locks)
    # Poetry's constraint as written ("^2.19", "~3.2.1"), "" for PEP 440; `specifier` holds it
    # translated, `span` covers it, and a bump edits it in Poetry's syntax.
    poetry: str = ""


@attrs.frozen
class Problem:
    """A part of a manifest that could not be read (0-based line, None: the whole file)."""

    reason: str
    line: int | None = None


@attrs.frozen
class Manifest:
    kind: str  # "requirements", "pyproject" or a lock format (`locks.LOCK_COMMANDS`' keys)
    dependencies: tuple[Dependency, ...]
    problems: tuple[Problem, ...] = ()
