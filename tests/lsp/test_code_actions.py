"""Code actions end to end: verified fixes (resolved lazily or sent eagerly), fix-all, suppress,
stale versions. Edits are applied by the test client to its own copy of the text and sent back
with didChange, exactly as an editor does, and the diagnostics must follow."""

from __future__ import annotations

import attrs
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import SERVER, _start, codes, diagnostics_for, open_document

SOURCE = '''import os
import subprocess

import requests
import yaml


def load(path):
    """Reads «config» — non-ASCII on purpose: ünïcödé 😀."""
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.Loader)  # trailing comment


def fetch(url):
    return requests.get(url)


def build(target):
    subprocess.run(
        "make -j4 " + target,
        shell=True,
    )
'''


# -- helpers ----------------------------------------------------------------------------------
def _offset(text: str, position: types.Position, encoding: str) -> int:
    lines = text.split("\n")
    base = sum(len(line) + 1 for line in lines[:position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return base + index
        units += len(char.encode("utf-16-le")) // 2 if encoding == "utf-16" else \
            len(char.encode("utf-8"))
    return base + len(line)


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = [(_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding),
              e.new_text) for e in edits]
    for start, end, new in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def encoding_of(client: LanguageClient) -> str:
    return "utf-8" if client.profile == "neovim" else "utf-16"


async def actions_at(client, uri: str, diagnostic=None, only=None, diagnostics=()):
    rng = diagnostic.range if diagnostic is not None else types.Range(
        start=types.Position(0, 0), end=types.Position(0, 0))
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=rng,
        context=types.CodeActionContext(
            diagnostics=[diagnostic] if diagnostic is not None else list(diagnostics),
            only=only)))


async def edit_of(client, action: types.CodeAction) -> types.WorkspaceEdit | None:
    if action.edit is None and action.data is not None:
        action = await client.code_action_resolve_async(action)
    return action.edit


async def apply_action(client, uri: str, text: str, version: int, action) -> str:
    """Apply an action's edit to `text`, send it as one didChange (new version); return it."""
    edit = await edit_of(client, action)
    assert edit is not None, f"{action.title} has no edit"
    (change,) = edit.document_changes
    assert change.text_document.uri == uri and change.text_document.version == version - 1
    new_text = apply_edits(text, list(change.edits), encoding_of(client))
    ordered = sorted(change.edits, key=lambda e: (e.range.start.line, e.range.start.character),
                     reverse=True)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                         for e in ordered]))
    return new_text


def by_code(diagnostics, code: str) -> types.Diagnostic:
    return next(d for d in diagnostics if d.code == code)


# -- tests ------------------------------------------------------------------------------------
async def test_server_registers_kinds_and_resolve(client):
    assert client.profile in ("visual-studio-code", "neovim")
    uri = (client.workspace / "caps.py").as_uri()
    open_document(client, uri, SOURCE)
    await diagnostics_for(client, uri, 1)
    # Every fix here can change behaviour (review): fix-all, which applies safe fixes only, has
    # nothing to apply and is not offered.
    assert list(await actions_at(client, uri, only=[types.CodeActionKind.SourceFixAll])) == []


async def test_fix_resolves_applies_and_diagnostics_update(client):
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, SOURCE)
    diags = await diagnostics_for(client, uri, 1)
    assert "B506" in codes(diags)
    actions = await actions_at(client, uri, by_code(diags, "B506"))
    titles = [a.title for a in actions]
    assert titles[0] == ("Fix B506: use yaml.safe_load (review: check custom tags and the "
                         "loader's value types)"), titles
    assert "Suppress B506 here (# nosec B506)" in titles and "Learn more about B506" in titles
    fix = actions[0]
    assert not fix.is_preferred and fix.data["version"] == 1 and fix.data["rule"] == "B506"
    assert fix.data["safety"] == "review"
    assert fix.edit is None  # both profiles resolve edits lazily
    text = await apply_action(client, uri, SOURCE, 2, fix)
    assert "return yaml.safe_load(fh)  # trailing comment" in text
    assert text.replace("yaml.safe_load(fh)", "yaml.load(fh, Loader=yaml.Loader)") == SOURCE
    assert "B506" not in codes(await diagnostics_for(client, uri, 2))


async def test_fix_on_a_line_with_non_ascii_text(client):
    """Edit positions after "é🔑" differ between UTF-16 and UTF-8 clients."""
    uri = (client.workspace / "wide.py").as_uri()
    source = ('import yaml\n\n\ndef peek(fh):\n'
              '    note = "é🔑"; return yaml.load(fh, Loader=yaml.Loader)\n')
    open_document(client, uri, source)
    diags = await diagnostics_for(client, uri, 1)
    actions = await actions_at(client, uri, by_code(diags, "B506"))
    text = await apply_action(client, uri, source, 2, actions[0])
    assert text == source.replace("yaml.load(fh, Loader=yaml.Loader)", "yaml.safe_load(fh)")
    assert "B506" not in codes(await diagnostics_for(client, uri, 2))


async def test_review_fix_is_labelled_and_not_preferred(client):
    uri = (client.workspace / "net.py").as_uri()
    open_document(client, uri, SOURCE)
    diags = await diagnostics_for(client, uri, 1)
    actions = await actions_at(client, uri, by_code(diags, "B113"))
    fix = next(a for a in actions if a.title.startswith("Fix B113"))
    assert fix.title == "Fix B113: add timeout=10 (review: check the slowest legitimate response)"
    assert not fix.is_preferred
    text = await apply_action(client, uri, SOURCE, 2, fix)
    assert "requests.get(url, timeout=10)" in text
    assert "B113" not in codes(await diagnostics_for(client, uri, 2))


async def test_shell_fix_on_multiline_call(client):
    uri = (client.workspace / "build.py").as_uri()
    open_document(client, uri, SOURCE)
    diags = await diagnostics_for(client, uri, 1)
    actions = await actions_at(client, uri, by_code(diags, "B602"))
    fix = actions[0]
    assert fix.title == ("Fix B602: pass the command as an argument list "
                         "(review: check the program is found without a shell)")
    text = await apply_action(client, uri, SOURCE, 2, fix)
    assert 'subprocess.run(\n        ["make", "-j4", target],\n    )' in text
    after = codes(await diagnostics_for(client, uri, 2))
    assert "B602" not in after and "B603" in after


async def test_fix_all_never_applies_review_fixes(client):
    """yaml.safe_load and a command without a shell once counted as safe and fix-all (and fix on
    save in VS Code) applied them; they can change behaviour, so fix-all leaves them."""
    uri = (client.workspace / "all.py").as_uri()
    open_document(client, uri, SOURCE)
    await diagnostics_for(client, uri, 1)
    assert list(await actions_at(client, uri, only=["source.fixAll"])) == []
    assert list(await actions_at(client, uri, only=["source.fixAll.bastion"])) == []


async def test_suppress_goes_where_bandit_reads_it(client):
    uri = (client.workspace / "quiet.py").as_uri()
    open_document(client, uri, SOURCE)
    diags = await diagnostics_for(client, uri, 1)
    actions = await actions_at(client, uri, by_code(diags, "B602"))
    suppress = next(a for a in actions if a.title.startswith("Suppress"))
    text = await apply_action(client, uri, SOURCE, 2, suppress)
    # Bandit reports B602 on the `shell=True` line: the comment goes there, after the comma.
    assert '        shell=True,  # nosec B602\n' in text
    assert "B602" not in codes(await diagnostics_for(client, uri, 2))


async def test_suppress_merges_into_existing_nosec(vscode):
    uri = (vscode.workspace / "merge.py").as_uri()
    source = "import subprocess\nsubprocess.call(cmd, shell=True)  # nosec B607\n"
    open_document(vscode, uri, source)
    diags = await diagnostics_for(vscode, uri, 1)
    actions = await actions_at(vscode, uri, by_code(diags, "B602"))
    suppress = next(a for a in actions if a.title.startswith("Suppress"))
    text = await apply_action(vscode, uri, source, 2, suppress)
    assert text.endswith("shell=True)  # nosec B607, B602\n")
    assert "B602" not in codes(await diagnostics_for(vscode, uri, 2))


async def test_stale_version_returns_no_edit(vscode):
    uri = (vscode.workspace / "stale.py").as_uri()
    open_document(vscode, uri, SOURCE)
    diags = await diagnostics_for(vscode, uri, 1)
    actions = await actions_at(vscode, uri, by_code(diags, "B506"))
    fix = actions[0]
    vscode.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
            text="# edited\n")]))
    await diagnostics_for(vscode, uri, 2)
    resolved = await vscode.code_action_resolve_async(fix)
    assert resolved.edit is None
    # The old diagnostic's range no longer matches a current finding: no fix is offered for it.
    again = await actions_at(vscode, uri, by_code(diags, "B506"))
    assert not [a for a in again if a.title.startswith("Fix B506")]


# -- a client without codeAction/resolve: edits come with the list ---------------------------
def _eager_capabilities(profile: str) -> types.ClientCapabilities:
    caps = client_capabilities(profile)
    code_action = attrs.evolve(caps.text_document.code_action, resolve_support=None)
    return attrs.evolve(caps, text_document=attrs.evolve(caps.text_document,
                                                         code_action=code_action))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def eager(request, lsp_client: LanguageClient, monkeypatch):
    from . import conftest
    monkeypatch.setattr(conftest, "_capabilities", _eager_capabilities)
    await _start(lsp_client, request, "neovim")
    yield
    await lsp_client.shutdown_session()


async def test_eager_client_gets_edits_with_the_list(eager):
    uri = (eager.workspace / "eager.py").as_uri()
    open_document(eager, uri, SOURCE)
    diags = await diagnostics_for(eager, uri, 1)
    actions = await actions_at(eager, uri, by_code(diags, "B506"))
    assert actions[0].edit is not None
    text = await apply_action(eager, uri, SOURCE, 2, actions[0])
    assert "B506" not in codes(await diagnostics_for(eager, uri, 2))
    assert "yaml.safe_load(fh)" in text
    assert list(await actions_at(eager, uri, only=["source.fixAll.bastion"])) == []


VIEW = '''import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/user")
def user():
    conn = sqlite3.connect("app.db")
    return str(conn.execute("SELECT id FROM users WHERE name = '" + request.args["n"] + "'").fetchall())
'''


async def test_a_taint_finding_is_fixed_and_its_flow_is_gone(client):
    """A whole-file finding (BST204, with its path) gets the parameterised-query fix, verified
    against the whole document, and the diagnostic goes away after the edit."""
    uri = (client.workspace / "view.py").as_uri()
    open_document(client, uri, VIEW)
    diags = await diagnostics_for(client, uri, 1)
    assert "BST204" in codes(diags) and "B608" not in codes(diags)  # one finding, with its path
    actions = await actions_at(client, uri, by_code(diags, "BST204"))
    fix = next(a for a in actions if a.title.startswith("Fix BST204"))
    assert fix.title == ("Fix BST204: pass the values as query parameters "
                         "(review: check the ? placeholders suit the driver)")
    text = await apply_action(client, uri, VIEW, 2, fix)
    assert """conn.execute("SELECT id FROM users WHERE name = ?", (request.args["n"],))""" in text
    assert "BST204" not in codes(await diagnostics_for(client, uri, 2))
