"""Template files in the editor: the open modules that may render a template are analysed
again when one changes."""

from __future__ import annotations

from bastion.analyzers.taint.template_files import template_names
from bastion.filekinds import is_python


def templates_changed(ls, paths: list[str]) -> None:
    """The open modules that name a template file are analysed again (a superset of those
    that render one of `paths`: the file may be one a named template includes)."""
    uris = [uri for uri, doc in ls.session.documents.items()
            if doc.path and is_python(doc.path) and template_names(doc.text)]
    ls.scheduler.disk_changed(paths, uris)
    if uris and ls.session.client.pull_diagnostics:
        ls.workspace_diagnostic_refresh(None)
