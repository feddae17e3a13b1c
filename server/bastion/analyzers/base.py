"""What the engine hands an analyzer, and what an analyzer must provide."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Sequence
from typing import Protocol

from bastion import attrs_classes
from bastion.model import Finding, NotAnalysed, Span
from bastion.model.text import byte_to_char_col, line_at


@attrs_classes.frozen
class ImportContext:
    """The imports bandit would have seen before a unit: `imports` and `aliases` as bandit tracks them."""

    imports: frozenset[str] = frozenset()
    aliases: tuple[tuple[str, str], ...] = ()

    def alias_map(self) -> dict[str, str]:
        return dict(self.aliases)


@attrs_classes.define
class UnitSource:
    """One unit of a document being analysed: its parsed tree carries absolute line numbers."""

    tree: ast.Module
    lines: list[str]  # the whole document's lines, for column conversion
    path: str
    context: ImportContext
    in_function: bool = False  # the tree holds statements of a function body

    def span_of(self, node: ast.AST) -> Span:
        start_line = node.lineno - 1
        end_line = getattr(node, "end_lineno", None) or node.lineno
        start = byte_to_char_col(line_at(self.lines, start_line), node.col_offset)
        end_byte = getattr(node, "end_col_offset", None)
        end_text = line_at(self.lines, end_line - 1)
        end = len(end_text) if end_byte is None else byte_to_char_col(end_text, end_byte)
        return Span(start_line, start, end_line - 1, end)


@attrs_classes.frozen
class WatchedFiles:
    """One kind of workspace file, besides the analysed document, that an analyzer's results on
    Python documents depend on (`Analyzer.watched_files`): an editor watches them on disk."""

    name: str
    patterns: tuple[str, ...]  # globs for an editor's file watcher, under a workspace folder
    holds: Callable[[str], bool]  # whether the file at a path is of the kind, by its name
    read_by: Callable[[str], bool]  # whether a Python text's analysis may read one (a superset)
    in_folders: bool = False  # a folder deleted (one event, naming the folder) may have held some
    open_texts: bool = False  # an open one's unsaved text is read (`read_open_texts`)
    summarised: bool = False  # the workspace modules' summaries depend on them too
    # the workspace scan's results that may read one are analysed again when one changes
    rescanned: bool = False


class Summaries(Protocol):
    """An analyzer's summaries of the workspace modules a document imports, in the editor's
    mode (`Analyzer.summaries`): analyses read only what `prepare` published, and a module
    marked stale keeps its published summaries, used as stale, until computed again. Paths are
    real absolute paths."""

    def mark_stale(self, path: str) -> None:
        """The module was edited: cheap, on the editor's thread (no computation)."""

    def changed(self, path: str) -> None:
        """The module's text changed: its summaries are computed again at the next `prepare`."""

    def deleted(self, path: str) -> None:
        """A file or folder was deleted: the modules under it are gone."""

    def resolve_again(self) -> None:
        """Files appeared: every import is resolved again."""

    def versioned(self) -> list[str]:
        """The modules whose summaries depend on the manifests' declared versions."""

    def prepare(self, text: str, path: str | None) -> None:
        """Computes and publishes every summary the text may use."""

    def used(self, text: str, path: str | None) -> bytes | None:
        """The identity of the published summaries the text uses (None: none)."""


class Analyzer(Protocol):
    """An analyzer must be deterministic: the engine caches its results per unit text and context.

    Any exception it raises (RecursionError and MemoryError included) makes the unit, or for
    `analyse_file` the file, "not analysed" in every output; the other units keep their findings.
    """

    id: str
    version: str

    def rule_ids(self) -> dict[str, str]:
        """Every rule id this analyzer can report, mapped to its check name."""

    def nosec_ids(self) -> dict[str, str]:
        """Other names a suppression comment may use, mapped to a rule id ({} when none)."""

    def analyse_unit(self, unit: UnitSource) -> list[Finding]:
        """Findings in the unit, with `lines` set to the statement's lines for suppressions."""

    def analyse_file(self, text: str, path: str, tree: ast.Module | None = None) -> list[Finding]:
        """Findings of checks that read the whole file's text rather than statements ([] when
        the analyzer has none). `tree`: `text` parsed whole, when the engine has parsed it so (a
        one-off analysis), for an analyzer that needs the module not to parse it again; the other
        analyzers have read it before (bandit linked its nodes): it is read, never changed."""

    def left_out(self, text: str, path: str) -> tuple[NotAnalysed, ...]:
        """The parts of the file its whole-file checks could not follow, asked after
        `analyse_file` on the same text (() when none): the file's result is then incomplete
        there, and every output says so, while the rest of its findings stand."""

    def dependency_key(self, text: str, path: str) -> str | None:
        """What the file's findings depend on besides its text and this analyzer's version, for
        the result-cache key ("" when nothing; None: the result must not be cached)."""

    def retract(self, text: str, path: str, findings: list[Finding]) -> dict[int, str]:
        """Index -> why, for the findings of `findings` (every analyzer's, before configuration)
        that this analyzer's whole-file analysis shows to be wrong or reported better by its
        own finding ({} when it judges none). Deterministic in `text`, `findings` and its
        `dependency_key`."""

    def forget(self) -> None:
        """Drop what it keeps to analyse an edited document again quickly (no document is
        open any more); results do not change."""

    def document_closed(self, path: str) -> None:
        """The editor closed the document at `path` (other documents may stay open): let go of
        every text kept for it (a memo of the last text checked, which would hold it until
        the next analysis); results do not change. Called under the engine's lock."""

    def disk_changed(self, paths: Collection[str]) -> None:
        """Files changed on disk (the editor's file events; absolute paths): drop what was
        read from them besides the analysed text, so that the next analysis reads them again."""

    def watched_files(self) -> tuple[WatchedFiles, ...]:
        """The kinds of workspace files besides the analysed one that its results depend on
        (() when none): when one changes on disk, the engine's caller calls `disk_changed` and
        analyses again the documents that may read it (engine/workspace_files.py)."""

    def summaries(self, roots: Sequence[str], texts: Callable[[str], str | None],
                  previous: Summaries | None = None) -> Summaries | None:
        """Its analyses use summaries of the workspace modules under `roots` (none: no
        summaries), computed only when the editor asks (engine/workspace_summaries.py), which it
        returns (None, always, when it has none); a module is read from `texts` (a real path ->
        the editor's text, None when not open) before the disk. `previous`: the summaries it
        returned last, whose entries for modules still under `roots` are used until computed
        again."""

    def read_open_texts(self, texts: Callable[[str], str | None]) -> None:
        """Files besides the analysed one that it reads (a view's templates) are read from
        `texts` first (a normalised absolute path -> the editor's unsaved text, None when the
        file is not open): the language server holds the open documents."""

    def reads_whole(self, function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
        """True when a check may read or report `function` as a whole (not statement by
        statement): the engine then keeps it in one unit. `lines`: the document's lines."""


def node_lines(node: ast.AST) -> tuple[int, ...]:
    """0-based lines a node spans."""
    end = getattr(node, "end_lineno", None) or node.lineno
    return tuple(range(node.lineno - 1, end))


def reads_whole(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    """Whether a default analyzer reads `function` whole (`Analyzer.reads_whole`), answered
    without loading the analyzers, for the splitter (tests/unit/test_analyzer_protocol.py
    checks that it agrees with them). `lines`: the lines the function spans."""
    from bastion.analyzers.bandit_scopes import reads_whole_function

    return reads_whole_function(function, lines)


def body_reads_whole(lines: list[str]) -> bool:
    """Whether statements on `lines`, in a function's body, make a default analyzer read the
    function whole (an edit adding them means the function is no longer split)."""
    from bastion.analyzers.bandit_scopes import body_reads_whole as bandit_reads

    return bandit_reads(lines)
