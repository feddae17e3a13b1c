"""What the engine hands a text analyzer (a file that is not Python), and what it must provide.

A text analyzer reads a whole document of one of the kinds it declares (`bastion.filekinds`):
requirements files, lock files, `.env`, YAML, ... It registers in `analyzers/text_registry.py`.
Like a Python analyzer it must be deterministic (results are cached by text, kind and
`version`), and any exception it raises makes the file "not analysed" in every output.

An analyzer subclasses `TextAnalyzer` (a protocol with one default: `preview`, none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bastion import attrs_classes
from bastion.filekinds import FileKind
from bastion.model import Finding, NotAnalysed, Span

if TYPE_CHECKING:
    from bastion.files import ReadRoot


@attrs_classes.frozen
class TextEdit:
    """Replace `span` of the document (0-based lines, code-point columns, end exclusive) with
    `new_text`: a quick fix of a text analyzer, applied as is (no re-analysis, no libcst)."""

    span: Span
    new_text: str


@attrs_classes.frozen
class TextFix:
    """One quick fix for a finding: a title, its edits (none: only advice, e.g. "run `uv lock`"),
    and whether it preserves behaviour for every input ("safe") or needs a look ("review")."""

    title: str
    edits: tuple[TextEdit, ...] = ()
    safety: str = "review"


class TextAnalyzer(Protocol):
    id: str
    version: str  # part of the result cache's key: change it when findings may change
    kinds: frozenset[FileKind]  # the kinds of file it reads

    def rule_ids(self) -> dict[str, str]:
        """Every rule id this analyzer can report, mapped to its check name."""

    def dependency_key(self, text: str, path: str) -> str | None:
        """What the document's findings depend on besides its text, kind and this analyzer's
        version, for the result-cache key ("" when nothing; None: not to be cached, e.g. a
        requirements file that includes another). `text_registry.dependency_key` must agree
        without loading the analyzer."""

    def analyse_text(self, text: str, path: str, kind: FileKind,
                     root: ReadRoot | None) -> list[Finding | NotAnalysed]:
        """Findings in the whole document, with spans in its lines (`text` as the engine
        holds it: newlines as Python reads them, no BOM), and a NotAnalysed for each part that
        could not be read (a line that is no requirement). `lines` of a finding: the lines a
        suppression comment may sit on (default: the span's first line). `root`: the folder
        other files may be read from (a requirements file's includes), none outside it, and
        its name for messages (`Engine.set_roots`); None: the document's own folder."""

    def fixes(self, text: str, path: str, kind: FileKind, finding: Finding,
              root: ReadRoot | None) -> list[TextFix]:
        """Quick fixes for one of this analyzer's findings in `text` ([] when none); `root` as
        for `analyse_text`."""

    def forget(self) -> None:
        """Drop what it keeps to analyse an edited document again quickly (no document is
        open any more); results do not change."""

    def document_closed(self, path: str) -> None:
        """The editor closed the document at `path` (other documents may stay open): let go of
        every text kept for it (its last read, a memo of the last text parsed); results do
        not change. Called under the engine's locks."""

    def preview(self, text: str, lines: list[str], first: int, last: int, path: str,
                kind: FileKind, root: ReadRoot | None) -> list[Finding] | None:
        """The findings `analyse_text` gives on lines `first` to `last` (inclusive, 0-based) of
        `text` (whose lines are `lines`), found without reading the rest of it, which the editor
        shows before a large document's whole analysis ends (engine/text_preview.py); exactly
        those, never one the whole analysis would not give. None: no preview (this default;
        an analyzer that offers one says None for a document it cannot tell so)."""
        return None

    def preview_unused(self) -> None:
        """The whole analysis that was to follow its last preview will not run (the editor
        dropped it: the document was closed): drop what the preview kept for it. Called on
        any thread, without the engine's locks."""
