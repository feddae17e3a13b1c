"""workspace/didChangeWorkspaceFolders: folders added to or removed from the workspace after
`initialize`.

The folders (owned by the settings store) decide where a document's requirements includes may
be read (`Engine.set_roots`), where imports of workspace modules resolve (the summaries), which
pyproject.toml is the default, and what the workspace scan covers. A change is a new settings
generation: a result computed under the old folders is never published nor used, and every open
document is analysed again.
"""

from __future__ import annotations

from lsprotocol import types

from bastion.lsp.documents import uri_to_path
from bastion.lsp.settings import ROOT_NAME


def register(server) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(ls, params: types.DidChangeWorkspaceFoldersParams) -> None:
        settings = ls.session.settings
        if not settings.change_folders(_paths(params.event.added), _paths(params.event.removed)):
            return
        ls.engine.set_roots(settings.folders, ROOT_NAME)
        ls.summaries.folders_changed(settings.folders)
        ls.workspace_scan.folders_changed()
        ls.reanalyse_all()


def _paths(folders: list[types.WorkspaceFolder]) -> list[str]:
    return [path for folder in folders or [] if (path := uri_to_path(folder.uri))]
