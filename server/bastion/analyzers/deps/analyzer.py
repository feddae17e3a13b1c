"""The dependency analyzer: requirements files, pyproject.toml and lock files matched against
the advisory index (BST401, BST402) and the popular-name list (BST403), with the bump fix.

The work is in `bastion.deps` (no LSP, no engine); this adapter is what the text-analyzer
registry builds. `version` carries the identity of the index file in use when the process
started, so that the result cache does not serve findings from a replaced index.

State: the analyzer owns its `LineCache` (a requirements file's per-line results, so that an
edit to a large file re-reads the changed lines), its `LockCache` (a TOML lock file's
per-package results, likewise) and its pyproject `Memo` (each dependency's results), all
emptied by `forget()`, as are the values `deps.toml_text` keeps of the last large TOML text
and `deps.pipfile_text` of the last large Pipfile.lock previewed (a lock preview's, also by
`preview_unused`).
They, and the matching code (which imports `packaging`), are loaded with the first manifest:
most scans have none, and the imports were a tenth of a small project's start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.analyzers.text_base import TextAnalyzer, TextEdit, TextFix
from bastion.analyzers.versions import deps_version
from bastion.deps import include_lines
from bastion.deps.names import parser_for
from bastion.deps.rules import RULES
from bastion.filekinds import FileKind
from bastion.model import Finding, NotAnalysed

if TYPE_CHECKING:
    from bastion.deps.lines import LineCache
    from bastion.deps.lock_blocks import LockCache
    from bastion.deps.pyproject_memo import Memo
    from bastion.files import ReadRoot


class DepsAnalyzer(TextAnalyzer):
    id = "deps"
    version = deps_version()  # the index in use when the process started
    kinds = frozenset({FileKind.REQUIREMENTS, FileKind.PYPROJECT, FileKind.LOCK})

    def __init__(self) -> None:
        self._lines: LineCache | None = None  # the three built together, by the first analysis
        self._pieces: LockCache | None = None
        self._memo: Memo | None = None

    def rule_ids(self) -> dict[str, str]:
        return dict(RULES)

    def dependency_key(self, text: str, path: str) -> str | None:
        return include_lines.dependency_key(text, path)

    def analyse_text(self, text: str, path: str, kind: FileKind,
                     root: ReadRoot | None = None) -> list[Finding | NotAnalysed]:
        from bastion.deps import analysis

        if self._lines is None or self._pieces is None or self._memo is None:
            from bastion.deps.lines import LineCache
            from bastion.deps.lock_blocks import LockCache
            from bastion.deps.pyproject_memo import Memo

            self._lines, self._pieces, self._memo = LineCache(), LockCache(), Memo()
        result = analysis.analyse(path, text, root and root.folder, kind=_kind(kind, path),
                                  lines=self._lines, pieces=self._pieces,
                                  memo=self._memo, root_name=root and root.name)
        return [*result.findings, *result.not_analysed]

    def preview(self, text: str, lines: list[str], first: int, last: int, path: str,
                kind: FileKind, root: ReadRoot | None = None) -> list[Finding] | None:
        """`TextAnalyzer.preview` of a manifest, read without what the analyzer keeps."""
        manifest = _kind(kind, path)
        if manifest == "pyproject":
            from bastion.deps import pyproject_preview

            return pyproject_preview.findings_on(text, lines, first, last)
        if manifest != "requirements":
            from bastion.deps import lock_preview

            return lock_preview.findings_on(manifest, text, lines, first, last)
        from bastion.deps import preview

        return preview.findings_on(lines, first, last, path, root and root.folder,
                                   root and root.name)

    def preview_unused(self) -> None:
        """A lock preview's values, kept for a whole read that will not come, are dropped."""
        from bastion.deps import pipfile_text, toml_text

        toml_text.drop_preview()
        pipfile_text.forget()

    def document_closed(self, path: str) -> None:
        """Its last read of `path`, and the last large TOML or JSON text parsed (any file's:
        at worst parsed again)."""
        from bastion.deps import pipfile_text, toml_text

        toml_text.forget()
        pipfile_text.forget()
        for cache in (self._lines, self._pieces, self._memo):
            if cache is not None:
                cache.closed(path)

    def forget(self) -> None:
        from bastion.deps import pipfile_text, toml_text

        toml_text.forget()
        pipfile_text.forget()
        for cache in (self._lines, self._pieces, self._memo):
            if cache is not None:
                cache.forget()

    def fixes(self, text: str, path: str, kind: FileKind, finding: Finding,
              root: ReadRoot | None = None) -> list[TextFix]:
        if finding.rule_id not in ("BST401", "BST402"):
            return []
        from bastion.deps import fix, store
        from bastion.deps.index import InvalidIndex

        try:
            index = store.load()
        except InvalidIndex:
            return []
        bump = fix.bump(path, text, finding.span.start_line, finding.span.start_col, index,
                        root and root.folder, kind=_kind(kind, path))
        if bump is None:
            return []
        return [TextFix(bump.title, (TextEdit(bump.span, bump.new_text),), "review")]


def _kind(kind: FileKind, path: str) -> str | None:
    return parser_for(kind, path)

