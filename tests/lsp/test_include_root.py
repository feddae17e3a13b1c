"""Requirements includes in the editor stay inside the workspace folder holding the document
(issue 11): a workspace folder with no pyproject.toml or .git, inside a parent that is a git
repository, used to read `-r ../outside/reqs.txt` from anywhere under that parent. A document
outside every workspace folder reads includes only inside its own folder. Includes inside the
workspace folder are still read. The message names what limits the reads: the workspace folder
(`bastion check` says "the scan root"), or the document's own folder."""

from __future__ import annotations

from lsprotocol import types

from .conftest import codes, diagnostics_for, open_document

VULNERABLE = "django==1.11.0\n"  # BST401 in the shipped index


def _outside(client) -> None:
    parent = client.workspace.parent
    (parent / ".git").mkdir()
    (parent / "outside").mkdir()
    (parent / "outside" / "reqs.txt").write_text(VULNERABLE)


def _not_read(diagnostics: list[types.Diagnostic], line: int, limit: str) -> None:
    (only,) = diagnostics
    assert only.code == "not-analysed" and only.range.start.line == line, only
    assert f"'../outside/reqs.txt' is outside {limit}: not read" in only.message


async def test_an_include_out_of_the_workspace_folder_is_not_read(client):
    _outside(client)
    uri = (client.workspace / "requirements.txt").as_uri()
    open_document(client, uri, "flask==3.0.3\n-r ../outside/reqs.txt\n")
    _not_read(await diagnostics_for(client, uri, 1), 1,
              f"the workspace folder {str(client.workspace)!r}")


async def test_an_include_inside_the_workspace_folder_is_read(client):
    _outside(client)
    (client.workspace / "base.txt").write_text(VULNERABLE)
    (client.workspace / "sub").mkdir()
    uri = (client.workspace / "sub" / "requirements.txt").as_uri()
    open_document(client, uri, "flask==3.0.3\n-r ../base.txt\n")
    diagnostics = await diagnostics_for(client, uri, 1)
    assert codes(diagnostics) == ["BST401"] and diagnostics[0].range.start.line == 1
    assert "django 1.11.0 (pinned in base.txt:1)" in diagnostics[0].message


async def test_a_document_outside_the_workspace_reads_only_its_folder(client):
    _outside(client)
    (client.workspace.parent / "other").mkdir()
    uri = (client.workspace.parent / "other" / "requirements.txt").as_uri()
    open_document(client, uri, "-r ../outside/reqs.txt\n")
    _not_read(await diagnostics_for(client, uri, 1), 0, "the folder of 'requirements.txt'")
