"""Files that are not Python in the real server: a `.env` is analysed on open and as it is
typed, and its planted AWS-style key is shown redacted only (issue 15)."""

from __future__ import annotations

from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, open_document

KEY = "AKIAW4TB7QZ2MLX3RN5D"
SHOWN = "[redacted: 20 characters, A...D]"


async def test_planted_key_in_dotenv_is_reported_redacted(vscode):
    uri = (vscode.workspace / ".env").as_uri()
    open_document(vscode, uri, f"DEBUG=1\nAWS_ACCESS_KEY_ID={KEY}\n")
    diagnostics = await diagnostics_for(vscode, uri, 1)
    assert codes(diagnostics) == ["BST301"]
    assert diagnostics[0].range.start == types.Position(1, 18)
    assert SHOWN in diagnostics[0].message
    where = types.TextDocumentIdentifier(uri=uri)
    shown = [repr(diagnostics)]
    hover = await vscode.text_document_hover_async(
        types.HoverParams(text_document=where, position=diagnostics[0].range.start))
    assert hover is not None and "AWS" in repr(hover)
    shown.append(repr(hover))
    shown.append(repr(await vscode.text_document_code_action_async(types.CodeActionParams(
        text_document=where, range=diagnostics[0].range,
        context=types.CodeActionContext(diagnostics=diagnostics)))))

    # Typed: a second key on a new line is found, the first one stays where it is.
    second = "ASIAR6NV2KQ7ZT4MWX3B"
    change_document(vscode, uri, 2, (2, 0), (2, 0), f"AWS_SESSION_KEY={second}\n")
    diagnostics = await diagnostics_for(vscode, uri, 2)
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("BST301", 1), ("BST301", 2)]
    shown += [repr(diagnostics), repr(vscode.log_messages), repr(vscode.messages)]
    leaked = [text for text in shown if KEY in text or second in text]
    assert not leaked, leaked[0][:2000]


async def test_suppression_comment_in_yaml_is_honoured(client):
    uri = (client.workspace / "deploy.yaml").as_uri()
    open_document(client, uri, f"a: {KEY}  # nosec BST301\nb: {KEY}\n")
    diagnostics = await diagnostics_for(client, uri, 1)
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("BST301", 1)]


async def test_a_document_the_client_says_is_not_python_and_of_no_known_name_is_skipped(client):
    uri = (client.workspace / "deploy").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="sh", version=1,
                                             text=f"export KEY={KEY}\n")))
    diagnostics = await diagnostics_for(client, uri, 1)
    assert codes(diagnostics) == ["not-analysed"]
    assert "not Python (sh)" in diagnostics[0].message and KEY not in diagnostics[0].message


async def test_suppress_action_adds_a_comment_in_dotenv_but_never_in_json(vscode):
    titles = {}
    for name, text in ((".env", f"KEY={KEY}\n"), ("creds.json", f'{{"key": "{KEY}"}}\n')):
        uri = (vscode.workspace / name).as_uri()
        open_document(vscode, uri, text)
        diagnostics = await diagnostics_for(vscode, uri, 1)
        assert codes(diagnostics) == ["BST301"], name
        actions = await vscode.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics)))
        titles[name] = [a.title for a in actions or []]
    assert "Suppress BST301 here (# nosec BST301)" in titles[".env"]
    assert not any(t.startswith("Suppress") for t in titles["creds.json"]), titles
