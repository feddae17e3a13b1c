"""What the server analyses, when, and for which text (issue 11): a big document does not hold
up the others, a result belongs to the exact text it was computed from, an edit's result equals
a fresh open of the same text."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from .conftest import (
    change_document,
    codes,
    diagnostics_for,
    is_pull,
    on_publish,
    open_document,
)

BIG = ("import subprocess\n" + "".join(f"x{i} = f({i % 10})\n" for i in range(20_000))
       + "subprocess.call(c, shell=True)\n")
SMALL = "import pickle\npickle.loads(data)\n"


async def test_a_small_document_is_served_while_a_big_one_is_analysed(vscode):
    """The big document's first analysis yields the worker between slices: the small document,
    opened just after it, is published before the big one is complete (it waited for all of
    it before)."""
    big, small = (vscode.workspace / "big.py").as_uri(), (vscode.workspace / "small.py").as_uri()
    published: list[tuple[str, list[str]]] = []
    on_publish(vscode, lambda p: published.append((p.uri, codes(p.diagnostics))))
    open_document(vscode, big, BIG)
    open_document(vscode, small, SMALL)

    async def big_complete():
        while (big, ["B404", "B602"]) not in published:
            await vscode.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(big_complete(), 120)
    small_at = next(i for i, (uri, _) in enumerate(published) if uri == small)
    assert published[small_at][1] == ["B301", "B403"]
    assert small_at < published.index((big, ["B404", "B602"])), published


# An earlier text of the same uri, at the same version, still being analysed when the new text
# arrives: many findings on many lines, or none at all.
MANY = "eval(x)\n" * 1002
NONE = "x = 1\n" * 1500
TWO_LINES_CLEAN = "x = 1\ny = 2\n"
TWO_LINES_VULNERABLE = "import os\nos.system(cmd)\n"


def _close(client, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def _result_for(client, uri: str, expected: list[str]) -> list[types.Diagnostic]:
    """The diagnostics of version 1 once they are `expected` (pushed), or the pulled ones."""
    if is_pull(client):
        return await diagnostics_for(client, uri, 1)

    async def published():
        while not (client.versions.get(uri) == 1 and codes(client.diagnostics[uri]) == expected):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(published(), 30)


@pytest.mark.parametrize("close_first", [False, True], ids=["reopened", "closed-then-opened"])
@pytest.mark.parametrize(("old", "new", "expected"), [
    (MANY, TWO_LINES_CLEAN, []), (NONE, TWO_LINES_VULNERABLE, ["B605"])], ids=["many", "none"])
async def test_a_new_text_at_the_same_version_never_gets_the_old_texts_result(
        client, close_first, old, new, expected):
    uri = (client.workspace / "same.py").as_uri()
    open_document(client, uri, old)
    if close_first:
        _close(client, uri)
    open_document(client, uri, new)
    assert codes(await _result_for(client, uri, expected)) == expected
    # Hover and code actions read only the result of the current text.
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 1)))
    assert hover is None
    stale = types.Diagnostic(range=types.Range(start=types.Position(1000, 0),
                                               end=types.Position(1000, 7)),
                             message="x", code="B307", source="bastion")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=stale.range, context=types.CodeActionContext(diagnostics=[stale])))
    # No fix nor suppression for a line of the old text: at most the rule's lesson.
    assert [a.title for a in actions or []] in ([], ["Learn more about B307"])


INDENTED = "def f(x):\n    eval(a)\n    eval(b)\n"


def _changes(client, uri: str, version: int, *changes) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text)
            for start, end, text in changes]))


async def _fresh(client, name: str, text: str) -> list[str]:
    uri = (client.workspace / name).as_uri()
    open_document(client, uri, text)
    return codes(await diagnostics_for(client, uri, 1))


@pytest.mark.parametrize("shape", ["replace-lines", "two-inserts", "one-insert-per-version"])
async def test_indenting_a_body_keeps_its_findings(client, shape):
    """`def f(x):` with its body indented four spaces more is still valid: the findings stay
    (they disappeared until the next edit anywhere)."""
    uri = (client.workspace / "indent.py").as_uri()
    open_document(client, uri, INDENTED)
    assert codes(await diagnostics_for(client, uri, 1)) == ["B307", "B307"]
    if shape == "replace-lines":
        _changes(client, uri, 2, ((1, 0), (2, 11), "        eval(a)\n        eval(b)"))
        version = 2
    elif shape == "two-inserts":
        _changes(client, uri, 2, ((1, 0), (1, 0), "    "), ((2, 0), (2, 0), "    "))
        version = 2
    else:
        change_document(client, uri, 2, (1, 0), (1, 0), "    ")
        change_document(client, uri, 3, (2, 0), (2, 0), "    ")
        version = 3
    assert codes(await diagnostics_for(client, uri, version)) == ["B307", "B307"]


async def test_a_space_that_breaks_the_next_line_gives_what_a_fresh_open_gives(client):
    uri = (client.workspace / "space.py").as_uri()
    open_document(client, uri, INDENTED)
    await diagnostics_for(client, uri, 1)
    change_document(client, uri, 2, (2, 0), (2, 0), " ")
    got = codes(await diagnostics_for(client, uri, 2))
    assert got == await _fresh(client, "fresh.py", "def f(x):\n    eval(a)\n     eval(b)\n")
