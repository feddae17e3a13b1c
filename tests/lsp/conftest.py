"""pytest-lsp fixtures: the real server (`python -m bastion lsp`) over stdio.

Two client profiles, as users meet them: VS Code (UTF-16 positions, pushed diagnostics) and
Neovim (UTF-8 positions, pulled diagnostics).
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "bastion", "lsp"]
PROFILES = ["visual-studio-code", "neovim"]


def _capabilities(profile: str) -> types.ClientCapabilities:
    return client_capabilities(profile)


async def _start(lsp_client: LanguageClient, request, profile: str, init_options=None) -> Path:
    workspace = request.getfixturevalue("tmp_path") / "ws"
    workspace.mkdir()
    lsp_client.profile = profile
    lsp_client.versions = {}

    on_publish(lsp_client, lambda params: None)
    lsp_client.registrations = []
    # VS Code implements client/registerCapability; pytest-lsp's client does not.
    lsp_client.protocol.fm.features[types.CLIENT_REGISTER_CAPABILITY] = (
        lambda params: lsp_client.registrations.extend(params.registrations))
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=_capabilities(profile),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        initialization_options=init_options,
    ))
    lsp_client.workspace = workspace
    return workspace


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=PROFILES)
async def client(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, request.param)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def vscode(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "visual-studio-code",
                 {"settings": {}, "clientCommands": ["bastion.learnMore"]})
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env={**os.environ, "BASTION_PROGRESS_INTERVAL_MS": "0",
                                       "BASTION_NO_CACHE": "1"}))
async def progressive(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "visual-studio-code")
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def nvim(request, lsp_client: LanguageClient):
    await _start(lsp_client, request, "neovim")
    yield
    await lsp_client.shutdown_session()


def on_publish(client: LanguageClient, callback) -> None:
    """Record pushed diagnostics with their document version, then call `callback(params)`."""

    def publish(params: types.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        client.versions[params.uri] = params.version
        callback(params)

    client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish


def is_pull(client: LanguageClient) -> bool:
    return client.profile == "neovim"


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version,
                                             text=text)))


def change_document(client: LanguageClient, uri: str, version: int, start, end, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text)]))


async def diagnostics_for(client: LanguageClient, uri: str, version: int,
                          timeout: float = 20.0) -> list[types.Diagnostic]:
    """The diagnostics for exactly `version` of the document, pushed or pulled by the profile."""
    if is_pull(client):
        report = await asyncio.wait_for(client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))),
            timeout)
        assert report.result_id.startswith(f"{version}:"), report.result_id
        return list(report.items)

    async def published() -> list[types.Diagnostic]:
        while client.versions.get(uri) != version:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(published(), timeout)


def codes(diagnostics) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


@pytest.fixture
def anyio_backend():
    return "asyncio"
