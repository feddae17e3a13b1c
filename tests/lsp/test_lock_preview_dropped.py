"""A large lock's first analysis in the editor publishes its preview, which keeps the TOML values
it parsed for the whole read to come (deps/toml_text.py; 41 MB for a 5 MB uv.lock). When the
document is closed before that read, the scheduler drops the analysis at the step after the
preview; the preview's values must then be released (engine/text_preview.shown tells the deps
analyzer: `preview_unused`), not kept until some later lock read, which a result served from the
cache never makes. The real server runs in this process, so that what it keeps can be seen."""

from __future__ import annotations

import time
import uuid

import attrs
import pytest

from bastion.deps import toml_text
from bastion.lsp import scheduler

from .raw_client import RawClient
from .test_services import in_process  # noqa: F401 - the fixture

PUBLISHED = "textDocument/publishDiagnostics"


def _lock() -> str:
    """2,000 packages (more than a progressive analysis needs), a vulnerable one at the top;
    a comment of its own, so that no result cache answers it."""
    return f"# {uuid.uuid4()}\nversion = 1\n\n" + '[[package]]\nname = "django"\nversion = "3.2.5"\n' \
        + "".join(f'\n[[package]]\nname = "package-{i}"\nversion = "1.{i}.0"\n' for i in range(2000))


def _first_publication(client: RawClient, uri: str) -> list[dict]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in client.notifications(PUBLISHED):
            if message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]
        client.drain(0.02)
    raise TimeoutError(f"nothing published for {uri}")


@pytest.mark.slow  # the server started in this process, held 1 s: ~8 s
def test_a_lock_closed_after_its_preview_releases_the_preview_s_values(
        in_process, tmp_path, monkeypatch):  # noqa: F811 - the fixture
    _server, client = in_process
    monkeypatch.setattr(toml_text, "_KEPT_CHARS", 0)  # every text kept, as a 5 MB lock's is
    made = scheduler.Scheduler._progress

    def progress(self, *args):
        """The preview reported, the worker holds on as a 5 MB lock's whole read would: the
        close arrives before the whole read starts."""
        shown = made(self, *args)
        if shown is None:
            return None

        def report(raw):
            shown.report(raw)
            time.sleep(1.0)
        return attrs.evolve(shown, report=report)

    monkeypatch.setattr(scheduler.Scheduler, "_progress", progress)
    # Another document stays open: closing the last one would empty every cache anyway.
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": (tmp_path / "other.py").as_uri(), "languageId": "python", "version": 1, "text": "x = 1\n"}})
    uri = (tmp_path / "uv.lock").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "toml", "version": 1, "text": _lock()}})
    preview = _first_publication(client, uri)
    assert [(d["code"], d["range"]["start"]["line"]) for d in preview] == [("BST401", 5)]
    kept = toml_text._last
    assert kept is not None and kept[2], "the preview kept no values: nothing to release"
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    deadline = time.monotonic() + 20
    while toml_text._last is not None and time.monotonic() < deadline:
        client.drain(0.05)
    assert toml_text._last is None, "the dropped analysis' preview values are still kept"
    assert client.alive()
