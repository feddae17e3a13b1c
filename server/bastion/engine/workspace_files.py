"""Which workspace files besides the analysed documents the analyses read, and which kinds of
them a change on disk concerns: answered from what the analyzers declare
(`Analyzer.watched_files`), so that a front end watching files (the language server) asks the
engine, never an analyzer's internals. Owns the analyzers' declarations alone, read at the first
question (a tuple assigned whole: any thread may ask)."""

from __future__ import annotations

from collections.abc import Sequence

from bastion.analyzers.base import Analyzer, WatchedFiles


class WorkspaceFiles:
    def __init__(self, analyzers: Sequence[Analyzer]) -> None:
        self._analyzers = analyzers
        self._kinds: tuple[WatchedFiles, ...] | None = None

    @property
    def kinds(self) -> tuple[WatchedFiles, ...]:
        """Every analyzer's kinds of watched files, in the analyzers' order."""
        if self._kinds is None:
            self._kinds = tuple(kind for a in self._analyzers for kind in a.watched_files())
        return self._kinds

    def watched_patterns(self) -> list[str]:
        """The globs of every kind, once each, for an editor's file watcher."""
        return list(dict.fromkeys(p for kind in self.kinds for p in kind.patterns))

    def changed(self, path: str, deleted: bool = False) -> tuple[WatchedFiles, ...]:
        """The kinds of watched files the file at `path` is; `deleted` and none: the kinds a
        folder may hold (a folder deleted is one event, naming it alone), unless it is a module
        (a file). The caller calls `disk_changed` and analyses again the documents whose text
        a kind's `read_by` accepts."""
        held = tuple(kind for kind in self.kinds if kind.holds(path))
        if held or not deleted or path.endswith((".py", ".pyw")):
            return held
        return tuple(kind for kind in self.kinds if kind.in_folders)

    def rescanned_by(self, text: str) -> bool:
        """Whether a text's result may change while the text does not, through files of a kind
        whose workspace-scan results are analysed again when one changes."""
        return any(kind.rescanned and kind.read_by(text) for kind in self.kinds)
