"""A pyproject.toml whose open is served from the disk cache is read by the deps analyzer once
its result is published (issue 15): the first keystroke after the open then reads the line it
changed, not the whole file (1.4 s at 1 MB). The real server runs in this process, so that what
it parses can be seen."""

from __future__ import annotations

import time

from bastion.deps import pyproject

from .raw_client import RawClient
from .test_services import in_process  # noqa: F401 - the fixture

TEXT = '[project]\nname = "app"\ndependencies = [\n' + "".join(
    f'  "django=={n % 3}.2.5",\n' for n in range(2000)) + "]\n"
PUBLISHED = "textDocument/publishDiagnostics"


def _published(client: RawClient, uri: str, version: int, after: int) -> list[dict]:
    """The diagnostics of the first publication for `uri` at `version` past the first `after`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for message in client.notifications(PUBLISHED)[after:]:
            if message["params"]["uri"] == uri and message["params"].get("version") == version:
                return message["params"]["diagnostics"]
        client.drain(0.05)
    raise TimeoutError(f"no diagnostics for {uri} at version {version}")


def _places(diagnostics: list[dict]) -> list[tuple]:
    return [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diagnostics]


def _open(client: RawClient, uri: str) -> list[dict]:
    """The diagnostics of the open's whole result: a first analysis publishes the lines in view
    first (engine/text_preview.py), then the whole file's, 2,000 lines later."""
    after = len(client.notifications(PUBLISHED))
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "toml", "version": 1, "text": TEXT}})
    found = _published(client, uri, 1, after)
    deadline = time.monotonic() + 60
    while not any(d["range"]["start"]["line"] > 2000 for d in found) and time.monotonic() < deadline:
        after = len(client.notifications(PUBLISHED)) - 1
        client.drain(0.05)
        found = _published(client, uri, 1, after)
    return found


def test_the_first_keystroke_after_an_open_from_the_disk_cache_parses_no_whole_text(
        in_process, tmp_path, monkeypatch):  # noqa: F811 - the fixture
    _server, client = in_process
    uri = (tmp_path / "pyproject.toml").as_uri()
    first = _open(client, uri)  # analysed, and kept in the disk cache
    assert any(d["code"] == "BST401" for d in first)
    # Closed (the last document: the analyzers forget it), then opened again: from the cache.
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.alive()
    parsed: list[str] = []
    original = pyproject.loads
    monkeypatch.setattr(pyproject, "loads", lambda text: parsed.append(text) or original(text))
    assert _open(client, uri) == first
    edited = TEXT.replace('  "django==1.2.5",\n', '  "django==1.2.5",  # pinned\n', 1)
    after = len(client.notifications(PUBLISHED))
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": edited}]})
    assert _places(_published(client, uri, 2, after)) == _places(first)
    assert edited not in parsed, [(t == TEXT, len(t)) for t in parsed]
