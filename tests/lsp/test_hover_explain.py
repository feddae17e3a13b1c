"""Hover shows the lesson's short form; bastion/explain and bastion/rules serve the catalog."""

from __future__ import annotations

import json
from urllib.parse import unquote

from lsprotocol import types

from .conftest import diagnostics_for, open_document

SOURCE = "import subprocess\nsubprocess.call(cmd, shell=True)\n"


async def test_hover_over_finding_shows_lesson(client):
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, SOURCE)
    await diagnostics_for(client, uri, 1)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 3)))
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    text = hover.contents.value
    assert "B602" in text and "CWE-78" in text
    assert "high" in text.lower()
    assert "https://cwe.mitre.org/data/definitions/78.html" in text  # learn more, no panel
    assert hover.range.start == types.Position(1, 0)


async def test_hover_outside_findings_is_empty(client):
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, SOURCE + "x = 1\n")
    await diagnostics_for(client, uri, 1)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(2, 0)))
    assert hover is None


async def test_hover_link_runs_learn_more_in_vscode(vscode):
    """A client with its own lesson panel gets a command link with the finding's range."""
    uri = (vscode.workspace / "a.py").as_uri()
    open_document(vscode, uri, SOURCE)
    await diagnostics_for(vscode, uri, 1)
    hover = await vscode.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 3)))
    link = next(part for part in hover.contents.value.split("(") if "command:bastion.learnMore" in part)
    args = json.loads(unquote(link.split("?", 1)[1].rstrip(")")))
    assert args[0]["ruleId"] == "B602" and args[0]["uri"] == uri
    assert args[0]["range"]["start"] == {"line": 1, "character": 0}


async def test_explain_returns_the_full_lesson(client):
    lesson = await client.protocol.send_request_async("bastion/explain", {"ruleId": "B506"})
    assert lesson.id == "B506" and lesson.cwe.id == 502
    assert "safe_load" in lesson.fixed and "yaml.load" in lesson.vulnerable
    assert lesson.markdown.startswith("#") and "```python" in lesson.markdown
    own = await client.protocol.send_request_async("bastion/explain", {"ruleId": "bst101"})
    assert own.id == "BST101" and own.cwe.id == 347


async def test_explain_unknown_rule_is_an_error_not_a_crash(client):
    try:
        await client.protocol.send_request_async("bastion/explain", {"ruleId": "B999"})
    except Exception as exc:  # the server answers with a JSON-RPC error
        assert "B999" in str(exc)
    else:
        raise AssertionError("bastion/explain accepted an unknown rule id")
    # The server is still alive and answering.
    rules = await client.protocol.send_request_async("bastion/rules", {})
    ids = {r.id for r in rules.rules}
    assert {"B602", "B101", "BST101"} <= ids and len(ids) >= 95
    bst206 = next(r for r in rules.rules if r.id == "BST206")
    assert (bst206.cwe.id, bst206.cwe.broader) == (95, [94])  # the rule picker finds it by CWE-94


async def test_malformed_explain_request(client):
    for params in ({}, {"ruleId": 42}, {"rule": "B602"}):
        try:
            await client.protocol.send_request_async("bastion/explain", params)
        except Exception as exc:
            assert "ruleId" in str(exc)
        else:
            raise AssertionError(f"accepted {params}")


async def test_learn_more_command_for_clients_without_a_panel(nvim):
    result = await nvim.workspace_execute_command_async(types.ExecuteCommandParams(
        command="bastion.learnMore", arguments=[{"ruleId": "B602"}]))
    assert result["id"] == "B602"
    assert any("B602" in m.message for m in nvim.messages)


async def test_explain_with_a_finding_shows_the_users_code_and_fixes(client):
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, "import yaml\n\n\ndef load(p):\n    return yaml.load(open(p))\n")
    diags = await diagnostics_for(client, uri, 1)
    b506 = next(d for d in diags if d.code == "B506")
    lesson = await client.protocol.send_request_async("bastion/explain", {
        "ruleId": "B506", "uri": uri, "range": client.protocol._converter.unstructure(b506.range)})
    assert lesson.flagged.code == "    return yaml.load(open(p))"
    assert lesson.flagged.startLine == 5
    fix = lesson.fixes[0]
    assert fix.safety in ("safe", "review") and "B506" in fix.title
    assert "+    return yaml.safe_load(open(p))" in fix.diff
    edit = fix.edit.documentChanges[0]
    assert edit.textDocument.uri == uri and edit.textDocument.version == 1
