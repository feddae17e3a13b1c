"""The dependency analyzer: requirements files, pyproject.toml and lock files matched against
the advisory index (BST401, BST402) and the popular-name list (BST403), with the bump fix.

The work is in `bastion.deps` (no LSP, no engine); this adapter is what the text-analyzer
registry builds. `version` carries the identity of the index file in use when the process
started, so that the result cache does not serve findings from a replaced index.

State: the analyzer owns its `LineCache` (a requirements file's per-line results, so that an
edit to a large file re-reads the changed lines), its `LockCache` (a TOML lock file's
per-package results, likewise) and its pyproject `Memo` (each dependency's results), all
emptied by `forget()`.
"""

from __future__ import annotations

import os

from bastion.analyzers.text_base import TextEdit, TextFix
from bastion.analyzers.versions import deps_version
from bastion.deps import analysis, fix, match, store
from bastion.deps.index import InvalidIndex
from bastion.deps.lines import LineCache
from bastion.deps.lock_blocks import LockCache
from bastion.deps.names import parser_for
from bastion.deps.pyproject_memo import Memo
from bastion.filekinds import FileKind
from bastion.model import Finding, NotAnalysed


class DepsAnalyzer:
    id = "deps"
    version = deps_version()  # the index in use when the process started
    kinds = frozenset({FileKind.REQUIREMENTS, FileKind.PYPROJECT, FileKind.LOCK})

    def __init__(self) -> None:
        self._lines = LineCache()
        self._pieces = LockCache()
        self._memo = Memo()

    def rule_ids(self) -> dict[str, str]:
        return dict(match.RULES)

    def analyse_text(self, text: str, path: str, kind: FileKind) -> list[Finding | NotAnalysed]:
        result = analysis.analyse(path, text, _root(path), kind=_kind(kind, path),
                                  lines=self._lines, pieces=self._pieces,
                                  memo=self._memo)
        return [*result.findings, *result.not_analysed]

    def forget(self) -> None:
        self._lines.forget()
        self._pieces.forget()
        self._memo.forget()

    def fixes(self, text: str, path: str, kind: FileKind, finding: Finding) -> list[TextFix]:
        if finding.rule_id not in ("BST401", "BST402"):
            return []
        try:
            index = store.load()
        except InvalidIndex:
            return []
        bump = fix.bump(path, text, finding.span.start_line, finding.span.start_col, index,
                        _root(path), kind=_kind(kind, path))
        if bump is None:
            return []
        return [TextFix(bump.title, (TextEdit(bump.span, bump.new_text),), "review")]


def _kind(kind: FileKind, path: str) -> str | None:
    return parser_for(kind, path)


def _root(path: str) -> str | None:
    """Includes are read below the folder of the nearest pyproject.toml or .git, else the
    file's own folder."""
    folder = os.path.dirname(os.path.abspath(path))
    probe = folder
    while True:
        if os.path.exists(os.path.join(probe, "pyproject.toml")) or \
                os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return folder
        probe = parent
