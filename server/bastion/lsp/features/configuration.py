"""initialize / initialized / didChangeConfiguration / didChangeWatchedFiles: settings, live."""

from __future__ import annotations

import logging
import os

from lsprotocol import types

from bastion.lsp.documents import uri_to_path
from bastion.lsp.session import ClientFacts
from bastion.lsp.settings import ROOT_NAME, Message
from bastion.lsp.templates import files_changed

log = logging.getLogger(__name__)
SECTION = "bastion"


def register(server) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams) -> None:
        options = params.initialization_options
        options = options if isinstance(options, dict) else {}
        ls.session.client = ClientFacts.from_initialize(params, options)
        # A client with its own lesson panel runs `bastion.learnMore` itself; advertising the
        # command too would make vscode-languageclient register a clashing one.
        for command in ls.session.client.client_commands:
            ls.protocol.fm.commands.pop(command, None)
        folders = [uri_to_path(f.uri) for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [uri_to_path(params.root_uri)]
        ls.session.settings.folders = [f for f in folders if f]
        # A document's includes are read inside the workspace folder holding it, else its folder.
        ls.engine.set_roots(ls.session.settings.folders, ROOT_NAME)
        ls.summaries.start(ls.session.settings.folders)
        # initializationOptions may hold the settings directly or under "settings".
        raw = options.get("settings", {k: v for k, v in options.items() if k != "clientCommands"})
        ls.pending_messages = ls.session.settings.set_client_settings(raw, "initializationOptions")

    @server.feature(types.INITIALIZED)
    async def initialized(ls, params: types.InitializedParams) -> None:
        if ls.rules_missing is not None:  # each document also says it was not analysed
            ls.show_messages([Message("error", ls.rules_missing)])
        ls.show_messages(ls.pending_messages)
        ls.pending_messages = []
        await pull_client_settings(ls)
        if ls.session.client.watch_files_dynamic:
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[
                    types.Registration(
                        id="bastion-file-watch",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                            *(types.FileSystemWatcher(glob_pattern=pattern)
                              for pattern in _watched_patterns(ls)),
                            # A folder deleted is one event, for the folder: only a pattern
                            # that matches folders receives it (microsoft/vscode#109754).
                            types.FileSystemWatcher(glob_pattern="**/*", kind=types.WatchKind.Delete)]),
                    )]))
            except Exception as exc:  # pyproject changes are still seen through their mtime
                log.info("file watcher registration refused: %s", exc)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls, params: types.DidChangeConfigurationParams) -> None:
        before = ls.session.settings.generation
        if ls.session.client.configuration:
            await pull_client_settings(ls, announce=False)
        else:
            settings = params.settings
            if isinstance(settings, dict) and SECTION in settings:
                settings = settings[SECTION]
            ls.show_messages(ls.session.settings.set_client_settings(settings, "settings"))
        if ls.session.settings.generation != before:
            ls.reanalyse_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls, params: types.DidChangeWatchedFilesParams) -> None:
        """A Python module changed on disk (a checkout, another tool): the workspace summaries
        of the documents importing it are computed again. A file of a kind the analyses read
        (the engine says which: a template file, a requirements or lock file...): the open
        modules that may read it are analysed again. A file or folder deleted takes the
        workspace-scan results of the files it held with it at once. Anything else watched is
        configuration: every document is analysed again under the files' new settings."""
        configuration = False
        kinds: dict = {}  # kind of watched files -> the paths of that kind changed
        deleted = []
        for change in params.changes:
            path = uri_to_path(change.uri)
            if path is None:
                configuration = True
                continue
            gone = change.type == types.FileChangeType.Deleted
            if gone:
                deleted.append(path)
            module = path.endswith((".py", ".pyw"))
            if module:
                ls.summaries.disk_changed(path, created=change.type == types.FileChangeType.Created)
            # the settings' file is read again with every setting (a deleted one holds nothing)
            held = () if os.path.basename(path) == _SETTINGS_FILE else ls.engine.files.changed(path, gone)
            for kind in held:
                kinds.setdefault(kind, []).append(path)
            configuration = configuration or not held and not module
        for kind, paths in kinds.items():
            if kind.summarised:
                ls.summaries.manifests_changed()
            files_changed(ls, kind, paths, kind.rescanned and ls.workspace_scan.files_changed())
        dropped = ls.workspace_scan.deleted(deleted) if deleted else []
        ls.summaries.deleted(deleted)
        if configuration:
            ls.session.settings.forget_files()
            ls.reanalyse_all()
        elif dropped and ls.session.client.pull_diagnostics:
            ls.workspace_diagnostic_refresh(None)


_SETTINGS_FILE = "pyproject.toml"


def _watched_patterns(ls) -> list[str]:
    """The settings' file, the files the analyses read (the engine's), and every module (the
    workspace summaries)."""
    return list(dict.fromkeys([f"**/{_SETTINGS_FILE}", *ls.engine.files.watched_patterns(), "**/*.py"]))


async def pull_client_settings(ls, announce: bool = True) -> None:
    if not ls.session.client.configuration:
        return
    try:
        values = await ls.workspace_configuration_async(types.ConfigurationParams(
            items=[types.ConfigurationItem(section=SECTION)]))
    except Exception as exc:  # a client that fails this request keeps the initial settings
        log.warning("workspace/configuration failed: %s", exc)
        return
    value = values[0] if values else None
    if value is None:
        return
    before = ls.session.settings.generation
    ls.show_messages(ls.session.settings.set_client_settings(value, "workspace settings 'bastion'"))
    if announce and ls.session.settings.generation != before:
        ls.reanalyse_all()
