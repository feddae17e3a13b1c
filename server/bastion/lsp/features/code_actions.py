"""textDocument/codeAction: learn more and suppress for every Bastion diagnostic."""

from __future__ import annotations

from lsprotocol import types

from bastion.engine.suppress_edit import suppress_edit
from bastion.lsp.convert import SOURCE

LEARN_MORE = "bastion.learnMore"


def register(server) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix],
                                resolve_provider=False),
    )
    def code_action(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        doc = ls.session.documents.get(uri)
        result = ls.scheduler.current(uri)
        actions: list[types.CodeAction] = []
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != SOURCE or not diagnostic.code:
                continue
            rule = str(diagnostic.code)
            actions.append(types.CodeAction(
                title=f"Learn more about {rule}", kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                command=types.Command(title=f"Learn more about {rule}", command=LEARN_MORE,
                                      arguments=[{"ruleId": rule, "uri": uri,
                                                  "range": diagnostic.range}])))
            if doc is None or result is None:
                continue  # stale request: offer no edits
            finding = find_finding(ls, result, doc, diagnostic)
            if finding is None:
                continue
            edit = suppress_edit(finding, doc.lines, result.analysis.directives)
            if edit is None:
                continue
            start = doc.to_client(edit.line, edit.start, ls.codec)
            end = doc.to_client(edit.line, edit.end, ls.codec)
            actions.append(types.CodeAction(
                title=f"Suppress {rule} here (# nosec {rule})",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                edit=types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=doc.version),
                    edits=[types.TextEdit(range=types.Range(start=start, end=end),
                                          new_text=edit.text)])])))
        return actions


def find_finding(ls, result, doc, diagnostic: types.Diagnostic):
    """The finding behind a diagnostic of the current result, matched by rule and range."""
    for finding, published in zip(result.analysis.findings, result.diagnostics):
        if published.code == diagnostic.code and published.range == diagnostic.range:
            return finding
    return None
