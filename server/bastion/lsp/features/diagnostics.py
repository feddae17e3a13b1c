"""textDocument/diagnostic: the pull model, for clients that ask for diagnostics themselves."""

from __future__ import annotations

from lsprotocol import types

from bastion.lsp import pygls_compat as compat


def register(server) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="bastion", inter_file_dependencies=False,
                                workspace_diagnostics=True),
    )
    async def document_diagnostic(ls, params: types.DocumentDiagnosticParams):
        result = await ls.scheduler.wait_for(params.text_document.uri)
        if result is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if params.previous_result_id == result.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
        # The diagnostics' JSON is the result's (lsp/encoded.py): spliced in, not encoded again.
        return compat.SplicedResult(
            types.RelatedFullDocumentDiagnosticReport(items=[], result_id=result.result_id),
            '"items": []', f'"items": {result.diagnostics.json()}')
