"""Template files in the editor: an open template's text is what the taint analysis reads (not
the file on disk, which lags behind unsaved edits), and so is an open module that may say
where templates are (a Django project's manage.py or settings module); the open modules that may
render a template are analysed again when one changes, on disk or in the editor."""

from __future__ import annotations

import os

from bastion.analyzers.taint.django_settings import may_name_templates
from bastion.analyzers.taint.template_files import is_template_file, template_names
from bastion.filekinds import discovered_kind, is_python
from bastion.lsp.documents import Document


class OpenTemplates:
    """The texts of the open template documents, by normalised path, handed to the analyzers
    that read template files (`read_open_texts`) when the server is built. Written on the event
    loop, read on the analysis worker: one dictionary item assigned or read at a time."""

    def __init__(self, engine) -> None:
        self._texts: dict[str, str] = {}
        for analyzer in engine.analyzers:
            analyzer.read_open_texts(self._texts.get)

    def opened(self, ls, doc: Document) -> None:
        self.changed(ls, doc)

    def changed(self, ls, doc: Document) -> None:
        """Opened or edited: the views that may render it, or render a template it locates,
        see this text."""
        if doc.path is None or not (is_template_file(doc.path) and not discovered_kind(doc.path)
                                    or is_python(doc.path) and may_name_templates(doc.path)):
            return  # neither (requirements.txt is a manifest)
        self._texts[os.path.normpath(doc.path)] = doc.text
        templates_changed(ls, [doc.path])

    def closed(self, ls, doc: Document) -> None:
        """The file on disk is its text again."""
        if doc.path is not None and self._texts.pop(os.path.normpath(doc.path), None) is not None:
            templates_changed(ls, [doc.path])

    def shutdown(self) -> None:
        self._texts.clear()


def templates_changed(ls, paths: list[str], scanned: bool = False) -> None:
    """The open modules that name a template file are analysed again (a superset of those
    that render one of `paths`: the file may be one a named template includes); `scanned`:
    workspace-scan results went stale too (a pull client asks again for both)."""
    uris = [uri for uri, doc in ls.session.documents.items()
            if doc.path and is_python(doc.path) and template_names(doc.text)]
    ls.scheduler.disk_changed(paths, uris)
    if (uris or scanned) and ls.session.client.pull_diagnostics:
        ls.workspace_diagnostic_refresh(None)
