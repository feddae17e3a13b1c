"""textDocument/didOpen, didChange, didClose: keep the store current and schedule analysis."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from bastion.filekinds import FileKind, kind_of
from bastion.lsp.documents import Document
from bastion.lsp.features.workspace import diagnostics_after_close
from bastion.lsp.settings import Message

_MANIFESTS = frozenset({FileKind.REQUIREMENTS, FileKind.PYPROJECT, FileKind.LOCK})


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        previous = ls.session.documents.get(item.uri)
        if previous is not None:  # opened again without a close: the old text is gone
            ls.scheduler.closed(previous)
        ls.session.documents[item.uri] = Document.from_text(
            item.uri, item.version, item.text, item.language_id)
        ls.scheduler.schedule(item.uri)
        ls.summaries.opened(ls.session.documents[item.uri])
        ls.templates.opened(ls, ls.session.documents[item.uri])
        if kind_of(ls.session.documents[item.uri].path or item.uri) in _MANIFESTS:
            await _advisory_index_age(ls, ls.session.documents[item.uri])

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.session.documents.get(params.text_document.uri)
        if doc is None:
            return
        for change in params.content_changes:
            doc.apply_change(change, ls.codec)
        doc.version = params.text_document.version
        if not ls.session.client.pull_diagnostics:
            ls.scheduler.schedule(doc.uri)
        ls.summaries.changed(doc)
        ls.templates.changed(ls, doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.session.documents.pop(uri, None)
        ls.session.results.pop(uri, None)
        ls.session.visible.pop(uri, None)
        ls.document_closed(uri)
        if doc is not None:
            ls.scheduler.closed(doc)
            ls.summaries.closed(doc.path)
            ls.templates.closed(ls, doc)
        if not ls.session.client.pull_diagnostics:
            # A file the workspace scan saw shows its scan result again, else nothing.
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics_after_close(ls, uri)))


async def _advisory_index_age(ls, doc: Document) -> None:
    """Say once per session (show_messages shows a text once) that the advisory index is
    more than 30 days old, when a manifest that declares dependencies is opened; an unusable
    index is said by the file's "not analysed" instead."""
    from bastion.deps import store
    from bastion.deps.analysis import declares_dependencies
    from bastion.deps.index import InvalidIndex

    def hint() -> str | None:
        if not declares_dependencies(doc.path or doc.uri, doc.text):
            return None
        try:
            return store.stale_hint(store.load())
        except InvalidIndex:
            return None
    text = await asyncio.get_running_loop().run_in_executor(ls.fix_service.executor, hint)
    if text and text not in ls.session.shown_messages:
        ls.show_messages([Message("warning", text)])
