"""Diagnostics follow the text: open, change, close, in both client profiles."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, is_pull, on_publish, open_document

SOURCE = """import subprocess


def run(cmd):
    return subprocess.call(cmd, shell=True)
"""


async def test_open_reports_bandit_findings(client):
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, SOURCE)
    diags = await diagnostics_for(client, uri, 1)
    assert codes(diags) == ["B404", "B602"]
    b602 = next(d for d in diags if d.code == "B602")
    assert b602.source == "bastion"
    assert b602.range == types.Range(start=types.Position(4, 11), end=types.Position(4, 43))
    assert b602.severity == types.DiagnosticSeverity.Error
    assert b602.code_description.href == "https://cwe.mitre.org/data/definitions/78.html"
    assert b602.data["rule"] == "B602" and b602.data["cwe"] == 78
    assert b602.data["confidence"] == "high"


async def test_diagnostics_follow_edits(client):
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, SOURCE)
    assert "B602" in codes(await diagnostics_for(client, uri, 1))
    # Remove ", shell=True": the finding becomes B603 (no shell).
    change_document(client, uri, 2, (4, 30), (4, 42), "")
    assert codes(await diagnostics_for(client, uri, 2)) == ["B404", "B603"]
    # Add a yaml.load call at the end.
    change_document(client, uri, 3, (5, 0), (5, 0), "import yaml\nyaml.load(open('c'))\n")
    assert codes(await diagnostics_for(client, uri, 3)) == ["B404", "B506", "B603"]


async def test_close_clears_pushed_diagnostics(vscode):
    uri = (vscode.workspace / "app.py").as_uri()
    open_document(vscode, uri, SOURCE)
    assert await diagnostics_for(vscode, uri, 1)
    vscode.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    await vscode.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(vscode.diagnostics[uri]) == []


async def test_pull_returns_unchanged_for_same_version(nvim):
    uri = (nvim.workspace / "app.py").as_uri()
    open_document(nvim, uri, SOURCE)
    first = await nvim.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    again = await nvim.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=first.result_id))
    assert again.kind == "unchanged" and again.result_id == first.result_id


async def test_untitled_buffer(client):
    uri = "untitled:Untitled-1"
    open_document(client, uri, "import pickle\npickle.loads(data)\n")
    assert codes(await diagnostics_for(client, uri, 1)) == ["B301", "B403"]


async def test_rapid_edits_publish_only_the_newest_version(vscode):
    """Keys typed faster than a unit is analysed coalesce: no backlog, never a stale publish.

    The edited function is large (every keystroke re-analyses all of it), so the keys arrive
    while an analysis runs and must be taken together by the next one.
    """
    uri = (vscode.workspace / "fast.py").as_uri()
    body = "".join(f"    y{i} = x + {i}\n" for i in range(3000))
    open_document(vscode, uri, "import os\n\n\ndef big(x):\n" + body + "    \n")
    await diagnostics_for(vscode, uri, 1)
    seen: list[int] = []

    on_publish(vscode, lambda params: seen.append(params.version))

    typed = "os.system(x)"
    line = 4 + 3000
    for i, char in enumerate(typed):
        change_document(vscode, uri, i + 2, (line, 4 + i), (line, 4 + i), char)
    last = 1 + len(typed)
    diags = await diagnostics_for(vscode, uri, last)
    assert codes(diags) == ["B605"]
    assert seen == sorted(seen), "a stale version was published after a newer one"
    assert len(seen) < len(typed), "every keystroke was analysed: changes did not coalesce"
    assert not is_pull(vscode)


# Findings on the first lines and the last one, 1,600 lines apart.
LARGE = ("import pickle\npickle.loads(a)\n\n\n"
         + "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(400)) + "eval(x)\n")


async def publishes_until_complete(client, uri: str, text: str = LARGE, count: int = 3) -> list:
    """Opens `text` and returns what is published until all `count` of its findings are."""
    published: list = []
    on_publish(client, published.append)
    open_document(client, uri, text)

    async def complete():
        while not published or len(published[-1].diagnostics) < count:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(complete(), 60)
    return published


async def test_large_file_publishes_progressively(progressive):
    """A first analysis publishes partial findings (same version) before the full set."""
    uri = (progressive.workspace / "big.py").as_uri()
    published = await publishes_until_complete(progressive, uri)
    assert codes(published[-1].diagnostics) == ["B301", "B307", "B403"]
    assert all(p.version == 1 for p in published)
    assert len(published) >= 2, "no partial publish before the full one"
    first = set(codes(published[0].diagnostics))
    assert first and first < {"B301", "B307", "B403"}, "the first publish was not partial"
    assert "B307" not in first, "the last unit was published first: not top to bottom"


async def test_visible_lines_are_published_first(progressive):
    """With `bastion/visibleRanges` (sent by Bastion's VS Code extension), the first analysis of
    a large file reports the lines on screen first; malformed hints are ignored."""
    uri = (progressive.workspace / "scrolled.py").as_uri()
    last = LARGE.count("\n") - 1
    progressive.protocol.notify("bastion/visibleRanges", {"textDocument": {"uri": uri},
                                                          "ranges": "not a list"})
    progressive.protocol.notify("bastion/visibleRanges", {
        "textDocument": {"uri": uri},
        "ranges": [{"start": {"line": last - 30, "character": 0},
                    "end": {"line": last, "character": 0}}]})
    published = await publishes_until_complete(progressive, uri)
    assert codes(published[-1].diagnostics) == ["B301", "B307", "B403"]
    assert len(published) >= 2, "no partial publish before the full one"
    assert codes(published[0].diagnostics) == ["B307"], "the visible last line was not first"


async def test_an_unchanged_finding_follows_the_text_it_stands_in(client):
    """A finding the edit leaves alone is published from the document's memo (lsp/encoded.py):
    its range still follows a character before it that is wider in the client's units, and the
    lines inserted above it, and its data names the version."""
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, 'import yaml\nx = "é"; yaml.load(open("c"))\n')
    before = next(d for d in await diagnostics_for(client, uri, 1) if d.code == "B506")
    # "é" -> "😀": the same code points, one more unit in UTF-16 and two more in UTF-8.
    start = before.range.start.character
    change_document(client, uri, 2, (1, 5), (1, 5 + (2 if is_pull(client) else 1)), "😀")
    moved = next(d for d in await diagnostics_for(client, uri, 2) if d.code == "B506")
    assert moved.range.start.character == start + (2 if is_pull(client) else 1)
    assert moved.data["version"] == 2 and before.data["version"] == 1
    change_document(client, uri, 3, (0, 0), (0, 0), "\n\n")
    shifted = next(d for d in await diagnostics_for(client, uri, 3) if d.code == "B506")
    assert shifted.range.start.line == 3 and shifted.range.start.character == moved.range.start.character
    assert shifted.data["version"] == 3
