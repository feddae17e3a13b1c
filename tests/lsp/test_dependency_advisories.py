"""Dependency advisories in the real server (issue 15): a requirements file pinning a
vulnerable version gets the advisory on that line, the bump quick fix applies, the diagnostic
goes away; a lock file gets the advisory and the lock command, no edit."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from .conftest import codes, diagnostics_for, open_document
from .test_code_actions import actions_at, apply_action

REQUIREMENTS = ("flask==3.0.3  # web\n"
                "requests[socks]==2.19.0 ; python_version > '3.8'  # HTTP client\n"
                "jinja2>=3.1.4\n")


async def test_vulnerable_pin_is_reported_and_bumped(client):
    uri = (client.workspace / "requirements.txt").as_uri()
    open_document(client, uri, REQUIREMENTS)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert codes(diagnostics) == ["BST401"]
    (advisory,) = diagnostics
    # On the version specifier of line 2: `==2.19.0` after `requests[socks]`.
    assert advisory.range == types.Range(start=types.Position(1, 15), end=types.Position(1, 23))
    for expected in ("PYSEC-2018-28", "CVE-2018-18074", "GHSA-x84v-xcm2-53pg", "2.31.0"):
        assert expected in advisory.message
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=advisory.range.start))
    assert hover is not None and "BST401" in repr(hover)

    actions = await actions_at(client, uri, advisory)
    bump = next(a for a in actions if a.title.startswith("Upgrade requests to 2.31.0"))
    text = await apply_action(client, uri, REQUIREMENTS, 2, bump)
    assert text.splitlines()[1] == "requests[socks]==2.31.0 ; python_version > '3.8'  # HTTP client"
    assert codes(await diagnostics_for(client, uri, 2)) == []


POETRY = ('[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n'
          'requests = {version = "^2.19", extras = ["socks"]}  # HTTP client\n'
          'django = "~3.2.25"\n')


async def test_poetry_caret_range_is_bumped_keeping_the_caret(client):
    uri = (client.workspace / "app" / "pyproject.toml").as_uri()
    open_document(client, uri, POETRY)
    diagnostics = [d for d in await diagnostics_for(client, uri, 1) if d.code != "BST403"]
    (advisory,) = diagnostics  # django ~3.2.25 (>=3.2.25,<3.3) is the safe twin
    assert advisory.code == "BST402" and "`^2.19` (`>=2.19,<3`)" in advisory.message
    assert advisory.range == types.Range(start=types.Position(5, 23), end=types.Position(5, 28))
    actions = await actions_at(client, uri, advisory)
    bump = next(a for a in actions if a.title.startswith("Require requests ^2.31.0"))
    text = await apply_action(client, uri, POETRY, 2, bump)
    assert text.splitlines()[5] == ('requests = {version = "^2.31.0", extras = ["socks"]}'
                                    "  # HTTP client")
    assert [d for d in await diagnostics_for(client, uri, 2) if d.code != "BST403"] == []


DOTTED = ('tool.poetry.name = "app"\n'
          'tool.poetry.dependencies.requests.version = "2.19.0"  # HTTP client\n'
          'tool.poetry.dependencies.requests.extras = ["socks"]\n'
          'tool.poetry.dependencies.django = { version = "3.2.25" }\n')


async def test_dotted_keys_are_read_and_bumped(client):
    uri = (client.workspace / "dotted" / "pyproject.toml").as_uri()
    open_document(client, uri, DOTTED)
    diagnostics = [d for d in await diagnostics_for(client, uri, 1) if d.code != "BST403"]
    (advisory,) = diagnostics  # django 3.2.25 in an inline table is the safe twin
    assert advisory.code == "BST401" and "CVE-2018-18074" in advisory.message
    assert advisory.range == types.Range(start=types.Position(1, 45), end=types.Position(1, 51))
    actions = await actions_at(client, uri, advisory)
    bump = next(a for a in actions if a.title.startswith("Upgrade requests to 2.31.0"))
    text = await apply_action(client, uri, DOTTED, 2, bump)
    assert text.splitlines()[1] == ('tool.poetry.dependencies.requests.version = "2.31.0"'
                                    "  # HTTP client")
    assert [d for d in await diagnostics_for(client, uri, 2) if d.code != "BST403"] == []


@pytest.mark.parametrize(("name", "text", "line", "command"), [
    ("uv.lock", 'version = 1\n\n[[package]]\nname = "requests"\nversion = "2.19.0"\n'
                'source = { registry = "https://pypi.org/simple" }\n', 4,
     "uv lock --upgrade-package requests"),
    ("pdm.lock", '[metadata]\nlock_version = "4.5.0"\n\n[[package]]\nname = "requests"\n'
                 'version = "2.19.0"\ngroups = ["default"]\n', 5, "pdm update requests"),
])
async def test_lock_file_names_the_lock_command(client, name, text, line, command):
    uri = (client.workspace / name).as_uri()
    open_document(client, uri, text)
    (advisory,) = await diagnostics_for(client, uri, 1)
    assert advisory.code == "BST401" and advisory.range.start == types.Position(line, 11)
    assert command in advisory.message
    actions = await actions_at(client, uri, advisory)
    assert not [a for a in actions if a.title.startswith("Upgrade")]


async def test_an_old_index_is_said_once_per_session(client):
    for name in ("requirements.txt", "requirements-dev.txt"):
        uri = (client.workspace / name).as_uri()
        open_document(client, uri, "requests==2.19.0\n")
        await diagnostics_for(client, uri, 1)

    def said():
        return [m for m in client.messages if "advisory index is" in m.message]
    for _ in range(100):  # the age is read off the event loop: it may follow the diagnostics
        if said():
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    assert len(said()) == 1 and "bastion db update" in said()[0].message
