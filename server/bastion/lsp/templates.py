"""Watched files in the editor: an open template's text is what the taint analysis reads (not
the file on disk, which lags behind unsaved edits), and so is an open module that may say
where templates are (a Django project's manage.py or settings module): the kinds of files whose
open texts the analyses read (the engine's `WorkspaceFiles`, `open_texts`). The open modules
that may read a changed file are analysed again when one changes, on disk or in the editor."""

from __future__ import annotations

import os

from bastion.filekinds import is_python
from bastion.lsp.documents import Document


class OpenTemplates:
    """The texts of the open documents of a kind the analyses read open (templates), by
    normalised path, handed to the analyzers that read such files (`read_open_texts`) when the
    server is built. Written on the event loop, read on the analysis worker: one dictionary
    item assigned or read at a time."""

    def __init__(self, engine) -> None:
        self._texts: dict[str, str] = {}
        self._files = engine.files
        for analyzer in engine.analyzers:
            analyzer.read_open_texts(self._texts.get)

    def opened(self, ls, doc: Document) -> None:
        self.changed(ls, doc)

    def changed(self, ls, doc: Document) -> None:
        """Opened or edited: the views that may render it, or render a template it locates,
        see this text."""
        kinds = self._kinds(doc)
        if not kinds:
            return  # of no such kind (requirements.txt is a manifest)
        self._texts[os.path.normpath(doc.path)] = doc.text
        for kind in kinds:
            files_changed(ls, kind, [doc.path])

    def closed(self, ls, doc: Document) -> None:
        """The file on disk is its text again."""
        kinds = self._kinds(doc)
        if kinds and self._texts.pop(os.path.normpath(doc.path), None) is not None:
            for kind in kinds:
                files_changed(ls, kind, [doc.path])

    def shutdown(self) -> None:
        self._texts.clear()

    def _kinds(self, doc: Document) -> list:
        if doc.path is None:
            return []
        return [kind for kind in self._files.changed(doc.path) if kind.open_texts]


def files_changed(ls, kind, paths: list[str], scanned: bool = False) -> None:
    """The open modules that may read files of `kind` (`WatchedFiles.read_by`: for templates,
    those that name a template file, a superset of those that render one of `paths`: the file
    may be one a named template includes) are analysed again; `scanned`: workspace-scan results
    went stale too (a pull client asks again for both)."""
    uris = [uri for uri, doc in ls.session.documents.items()
            if doc.path and is_python(doc.path) and kind.read_by(doc.text)]
    ls.scheduler.disk_changed(paths, uris)
    if (uris or scanned) and ls.session.client.pull_diagnostics:
        ls.workspace_diagnostic_refresh(None)
