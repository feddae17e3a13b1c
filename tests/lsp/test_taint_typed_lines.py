"""A line half typed in a view (`x = subprocess.`, `x = subprocess.run(host`) leaves the view's
taint finding in the editor at every version: the view is read without the broken line
(block_mends.py), as the engine leaves broken lines quiet; it used to go from the module, and its
finding with it, until the line parsed again (both client profiles)."""

from __future__ import annotations

from .conftest import change_document, diagnostics_for, open_document

APP = '''"""Ping."""
from flask import Flask, request
import subprocess

app = Flask("ping")


@app.route("/ping")
def ping():
    host = request.args.get("host", "")

    subprocess.call(f"ping -c 1 {host}", shell=True)
    return {"pinged": host}
'''


def _taint_lines(diagnostics) -> list[int]:
    return sorted(d.range.start.line for d in diagnostics if d.code == "BST202")


async def test_a_view_s_finding_stays_while_a_line_is_typed_in_it(client):
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, APP)
    assert _taint_lines(await diagnostics_for(client, uri, 1)) == [11]
    version = 1
    for column, char in enumerate("x = subprocess.run(host"):  # on the blank line 10
        version += 1
        at = (10, 4 + column) if column else (10, 0)
        change_document(client, uri, version, at, at, char if column else "    " + char)
        assert _taint_lines(await diagnostics_for(client, uri, version)) == [11], (version, char)
    version += 1
    change_document(client, uri, version, (10, 27), (10, 27), ", shell=True)")
    assert _taint_lines(await diagnostics_for(client, uri, version)) == [10, 11]
