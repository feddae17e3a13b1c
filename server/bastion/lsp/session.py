"""Server state that only the event-loop thread mutates: documents, results, client facts."""

from __future__ import annotations

import attrs
from lsprotocol import types

from bastion.config import Config
from bastion.engine.engine import Analysis
from bastion.engine.units import Split
from bastion.lsp.documents import Document
from bastion.lsp.encoded import EncodedDiagnostics
from bastion.lsp.settings import SettingsStore


@attrs.frozen
class Result:
    """Diagnostics computed for one text of a document (the serial of its didOpen and its
    version) under one settings generation."""

    opened: int
    version: int
    generation: int
    analysis: Analysis
    config: Config
    diagnostics: EncodedDiagnostics
    split: Split | None = None  # the engine's units of exactly this text, when it kept them

    @property
    def result_id(self) -> str:
        return f"{self.version}:{self.generation}:{self.opened}"


@attrs.define
class ClientFacts:
    pull_diagnostics: bool = False
    resolve_code_actions: bool = False
    configuration: bool = False
    watch_files_dynamic: bool = False
    client_commands: frozenset[str] = frozenset()
    name: str = ""

    @classmethod
    def from_initialize(cls, params: types.InitializeParams, options: dict) -> ClientFacts:
        caps = params.capabilities
        text = caps.text_document
        workspace = caps.workspace
        resolve = bool(text and text.code_action and text.code_action.resolve_support
                       and "edit" in (text.code_action.resolve_support.properties or []))
        commands = options.get("clientCommands") if isinstance(options, dict) else None
        return cls(
            pull_diagnostics=bool(text and text.diagnostic is not None),
            resolve_code_actions=resolve,
            configuration=bool(workspace and workspace.configuration),
            watch_files_dynamic=bool(workspace and workspace.did_change_watched_files
                                     and workspace.did_change_watched_files.dynamic_registration),
            client_commands=frozenset(c for c in commands or [] if isinstance(c, str)),
            name=(params.client_info.name if params.client_info else ""),
        )


@attrs.define
class Session:
    settings: SettingsStore = attrs.Factory(SettingsStore)
    client: ClientFacts = attrs.Factory(ClientFacts)
    documents: dict[str, Document] = attrs.Factory(dict)
    results: dict[str, Result] = attrs.Factory(dict)
    shown_messages: set[str] = attrs.Factory(set)
    # 0-based inclusive line ranges the user sees, by document (see features/visible_ranges.py)
    visible: dict[str, tuple[tuple[int, int], ...]] = attrs.Factory(dict)
