"""A data-flow finding's path on the user's own code, in the hover and in the lesson panel's
payload (`bastion/explain` with the finding's place): line numbers, the code of each step and what
happens there, rendered inertly whatever the code holds."""

from __future__ import annotations

from lsprotocol import types
from markdown_it import MarkdownIt

from .conftest import diagnostics_for, open_document

APP = """from flask import Flask, request

app = Flask(__name__)


def read(name):
    return open(name).read()


@app.route("/download")
def download():
    name = request.args.get("name", "")
    return read(name)
"""

PATH = [
    {"line": 12, "code": 'name = request.args.get("name", "")',
     "notes": ["Request data: `request.args`", "assigned to `name`"]},
    {"line": 13, "code": "return read(name)", "notes": ["passed to `read`"]},
    {"line": 7, "code": "return open(name).read()", "notes": ["reaches `open`"]},
]

# Code a hover must show as code: Markdown, HTML, a link, backticks and a bidi override.
HOSTILE = APP.replace(
    'request.args.get("name", "")',
    'request.args.get("**bold** <img src=x onerror=alert(1)> [x](https://evil.example) ``` ` '
    '\u202egnp.exe")')


async def hover_at(client, uri: str, position: types.Position) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position))
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    return hover.contents.value


async def taint_diagnostic(client, uri: str, text: str) -> types.Diagnostic:
    open_document(client, uri, text)
    diags = await diagnostics_for(client, uri, 1)
    [taint] = [d for d in diags if d.code == "BST201"]
    return taint


async def test_hover_shows_the_path_with_lines_and_code(client):
    uri = (client.workspace / "app.py").as_uri()
    taint = await taint_diagnostic(client, uri, APP)
    text = await hover_at(client, uri, taint.range.start)
    assert ("**Path in your code**, source to sink:\n\n"
            '- line 12: `name = request.args.get("name", "")` \u2014 Request data: '
            "`request.args`; assigned to `name`\n"
            "- line 13: `return read(name)` \u2014 passed to `read`\n"
            "- line 7: `return open(name).read()` \u2014 reaches `open`") in text
    # the path takes the summary's place, between the title and the fix
    assert text.index("(BST201)") < text.index("**Path in your code**") < text.index("**Fix:**")


async def test_hover_leaves_the_path_to_an_editor_that_lists_the_steps(vscode):
    """VS Code shows the diagnostic's related steps in its own part of the hover, and caps the
    hover's height: the extension's hover adds neither the path nor the summary, and the steps
    of one line are one related entry."""
    uri = (vscode.workspace / "app.py").as_uri()
    taint = await taint_diagnostic(vscode, uri, APP)
    assert [r.message for r in taint.related_information] == [
        "1. Request data: `request.args`; 2. assigned to `name`", "3. passed to `read`",
        "4. reaches `open`"]
    text = await hover_at(vscode, uri, taint.range.start)
    blocks = text.strip().split("\n\n")
    assert len(blocks) == 2 and "(BST201)" in blocks[0] and blocks[1].startswith("**Fix:**")
    assert "Path in your code" not in text and "request.args.get" not in text
    # a pattern finding keeps its summary there
    open_document(vscode, (vscode.workspace / "b.py").as_uri(),
                  "import subprocess\nsubprocess.call(cmd, shell=True)\n")
    await diagnostics_for(vscode, (vscode.workspace / "b.py").as_uri(), 1)
    pattern = await hover_at(vscode, (vscode.workspace / "b.py").as_uri(), types.Position(1, 3))
    assert len(pattern.strip().split("\n\n")) == 3


async def test_hover_renders_hostile_code_as_code(client):
    uri = (client.workspace / "app.py").as_uri()
    taint = await taint_diagnostic(client, uri, HOSTILE)
    text = await hover_at(client, uri, taint.range.start)
    blocks = text.split("\n\n")
    at = blocks.index("**Path in your code**, source to sink:")
    html = MarkdownIt("commonmark").render(blocks[at + 1])
    source_item = html.split("<li>")[1]
    assert "<img" not in html and "<strong>bold" not in html and "evil.example\"" not in html
    assert "<a " not in html
    # the line's code is one code span, shown as written (HTML-escaped by the renderer)
    assert ("<code>name = request.args.get(&quot;**bold** &lt;img src=x onerror=alert(1)&gt; "
            "[x](https://evil.example) ``` ` \\u202egnp.exe&quot;)</code>") in source_item
    assert "\u202e" not in text


async def test_pattern_finding_hover_has_no_path(client):
    uri = (client.workspace / "a.py").as_uri()
    open_document(client, uri, "import subprocess\nsubprocess.call(cmd, shell=True)\n")
    await diagnostics_for(client, uri, 1)
    assert "Path in your code" not in await hover_at(client, uri, types.Position(1, 3))


async def test_lesson_panel_payload_carries_the_path(vscode):
    uri = (vscode.workspace / "app.py").as_uri()
    taint = await taint_diagnostic(vscode, uri, APP)
    lesson = await vscode.protocol.send_request_async("bastion/explain", {
        "ruleId": "BST201", "uri": uri,
        "range": {"start": {"line": taint.range.start.line, "character": 0},
                  "end": {"line": taint.range.end.line, "character": 0}}})
    assert lesson.flagged.code == "    return read(name)" and lesson.flagged.startLine == 13
    assert [{"line": row.line, "code": row.code, "notes": list(row.notes)}
            for row in lesson.path] == PATH
    plain = await vscode.protocol.send_request_async("bastion/explain", {"ruleId": "BST201"})
    assert not hasattr(plain, "path")
