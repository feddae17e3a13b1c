"""A data-flow finding's path on the user's own code, in the hover and in the lesson panel's
payload (`bastion/explain` with the finding's place): line numbers, the code of each step and what
happens there, rendered inertly whatever the code holds."""

from __future__ import annotations

from pathlib import Path

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
    assert lesson.flagged.code == "    return open(name).read()" and lesson.flagged.startLine == 7
    assert [{"line": row.line, "code": row.code, "notes": list(row.notes)}
            for row in lesson.path] == PATH
    plain = await vscode.protocol.send_request_async("bastion/explain", {"ruleId": "BST201"})
    assert not hasattr(plain, "path")


# report_view: a step on each of seven lines, lines 11 to 17 (the VS Code e2e test's fixture too)
LONG = (Path(__file__).resolve().parents[2] / "client-vscode/test/fixtures/report.py").read_text()


async def test_a_long_path_is_three_related_entries_and_every_step_elsewhere(client):
    """A step on each of seven lines: VS Code would list seven rows in a hover capped at 250 px
    (it scrolled). The related entries are the source line, one entry for the lines between
    that says which steps on which lines, and the sink line; the hover's path (other editors)
    and the data the lesson panel reads keep every step."""
    uri = (client.workspace / "report.py").as_uri()
    taint = await taint_diagnostic(client, uri, LONG)
    assert [(r.location.range.start.line, r.message) for r in taint.related_information] == [
        (10, "1. Request data: `request.args`"),
        (10, "steps 2\u20137 on lines 11\u201316: assigned to `name` \u2026"),
        (16, "8. reaches `open`")]
    assert [(s["line"], s["message"]) for s in taint.data["steps"]][2:7] == [
        (11, "assigned to `stem`"), (12, "assigned to `base`"), (13, "assigned to `title`"),
        (14, "assigned to `target`"), (15, "assigned to `full`")]
    text = await hover_at(client, uri, taint.range.start)
    assert [line.split(":")[0] for line in text.split("\n") if line.startswith("- line ")] == [
        f"- line {n}" for n in range(11, 18)]


async def test_the_lesson_panel_keeps_every_line_of_a_long_path(vscode):
    uri = (vscode.workspace / "report.py").as_uri()
    taint = await taint_diagnostic(vscode, uri, LONG)
    assert len(taint.related_information) == 3
    lesson = await vscode.protocol.send_request_async("bastion/explain", {
        "ruleId": "BST201", "uri": uri,
        "range": {"start": {"line": taint.range.start.line, "character": 0},
                  "end": {"line": taint.range.end.line, "character": 0}}})
    assert [row.line for row in lesson.path] == list(range(11, 18))
    assert lesson.path[3].code == 'title = base.replace(" ", "_")'


HOSTILE_LONG = LONG.replace('request.args.get("name", "report")', '''Store(
        "**bold** <img src=x onerror=alert(1)> [x](https://evil.example) ``` `"
    ).path(request.args.get("name", "report"))''') + '''

class Store:
    def __init__(self, label):
        self.label = label

    def path(self, name):
        return name
'''


async def test_the_merged_entry_cuts_hostile_code_short(client):
    """The first merged step quotes a call whose receiver holds markup and a link: the entry
    shows a few characters of it, as the plain text related messages are, and one row long."""
    uri = (client.workspace / "report.py").as_uri()
    taint = await taint_diagnostic(client, uri, HOSTILE_LONG)
    merged = taint.related_information[1]
    assert merged.message == "steps 2\u20138 on lines 11\u201318: passed to `Store('*\u2026 \u2026"
    assert len(merged.message) <= 48
    assert merged.location.range.start.line == 10
    assert len(taint.related_information) == 3
    assert "evil.example" in taint.data["steps"][1]["message"]  # the panel has it all, escaped
