"""No secret on screen in the editor: diagnostics, hover, code actions and logs (issue 13)."""

from __future__ import annotations

from lsprotocol import types

from .conftest import codes, diagnostics_for, open_document

SECRET = "Zq7-planted-Secret-91x"
SOURCE = (f'DB_PASSWORD = "{SECRET}"\n\n\ndef connect(user, password="{SECRET}"):\n'
          f'    return user, password\n\n\nconnect("app", password="{SECRET}")\n')


async def test_planted_password_is_redacted_everywhere(vscode):
    uri = (vscode.workspace / "app.py").as_uri()
    open_document(vscode, uri, SOURCE)
    diagnostics = await diagnostics_for(vscode, uri, 1)
    assert {"B105", "B106", "B107"} <= set(codes(diagnostics))
    shown = [repr(diagnostics)]
    for diagnostic in diagnostics:
        assert "[redacted: 22 characters, Z...x]" in diagnostic.message
        where = types.TextDocumentIdentifier(uri=uri)
        shown.append(repr(await vscode.text_document_hover_async(
            types.HoverParams(text_document=where, position=diagnostic.range.start))))
        shown.append(repr(await vscode.text_document_code_action_async(types.CodeActionParams(
            text_document=where, range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic])))))
    shown += [repr(vscode.log_messages), repr(vscode.messages)]
    leaked = [text for text in shown if SECRET in text]
    assert not leaked, leaked[0][:2000]
