"""Texts at the edges (BOM, lone surrogate, CR-only line ends, NUL bytes, over the size limit):
the editor reports what `bastion check` reports for the same file, and says when it analyses
nothing."""

from __future__ import annotations

import json
import subprocess
import sys

from lsprotocol import types

from bastion.limits import MAX_FILE_BYTES

from .conftest import codes, diagnostics_for, open_document

SHELL = "import subprocess\nsubprocess.call(c, shell=True)\n"


def check(tmp_path, data: bytes) -> tuple[list[tuple[str, int]], list[str]]:
    """`bastion check --format json` on a file holding `data`: (rule, 0-based line), errors."""
    path = tmp_path / "checked.py"
    path.write_bytes(data)
    run = subprocess.run([sys.executable, "-m", "bastion", "check", "--no-cache", "--format",
                          "json", str(path)], capture_output=True, text=True, check=False)
    report = json.loads(run.stdout)
    return (sorted((r["rule_id"], r["line"] - 1) for r in report["results"]),
            [e["message"] for e in report["errors"]])


def found(diagnostics) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line) for d in diagnostics)


async def test_a_bom_keeps_the_first_lines_findings(client, tmp_path):
    text = "\ufeffeval(x)\n" + SHELL
    uri = (client.workspace / "bom.py").as_uri()
    open_document(client, uri, text)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert found(diagnostics) == check(tmp_path, text.encode("utf-8"))[0]
    assert ("B307", 0) in found(diagnostics)
    # The client counts the BOM: eval starts after it, in UTF-8 and UTF-16 alike (one unit less
    # than its 3 UTF-8 bytes would be wrong for the UTF-8 client).
    b307 = next(d for d in diagnostics if d.code == "B307")
    assert b307.range.start.character == (3 if client.profile == "neovim" else 1)
    assert b307.range.end.character - b307.range.start.character == len("eval(x)")


async def test_a_lone_surrogate_hides_no_later_finding(client):
    uri = (client.workspace / "surrogate.py").as_uri()
    # JSON can carry a lone surrogate (no UTF-8 file can): the statements holding one still
    # count, as they will once saved (with U+FFFD in its place).
    open_document(client, uri, "name = 'x\ud800y'\n" + SHELL.replace("True)", "True)  # \ud800"))
    assert codes(await diagnostics_for(client, uri, 1)) == ["B404", "B602"]


async def test_cr_only_line_ends_give_true_ranges(client, tmp_path):
    text = SHELL.replace("\n", "\r")
    uri = (client.workspace / "cr.py").as_uri()
    open_document(client, uri, text)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert found(diagnostics) == check(tmp_path, text.encode())[0] == [("B404", 0), ("B602", 1)]
    b602 = next(d for d in diagnostics if d.code == "B602")
    assert b602.range == types.Range(start=types.Position(1, 0), end=types.Position(1, 30))


async def test_nul_bytes_are_skipped_and_said(client, tmp_path):
    text = "x = 1\x00\n" + SHELL
    uri = (client.workspace / "nul.py").as_uri()
    open_document(client, uri, text)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert check(tmp_path, text.encode()) == ([], ["skipped: binary file (contains NUL bytes)"])
    assert [d.message for d in diagnostics] == ["skipped: binary file (contains NUL bytes)"]


async def test_a_document_over_the_size_limit_is_not_analysed_and_said_and_others_are_served(vscode):
    """Python would run it: an error on line 1 (it was a "skipped" warning, which a padded file
    could hide behind)."""
    client = vscode
    line = "x = '" + "a" * 1000 + "'\n"
    text = SHELL + line * (MAX_FILE_BYTES // len(line) + 1)
    big, small = (client.workspace / "huge.py").as_uri(), (client.workspace / "small.py").as_uri()
    open_document(client, big, text)
    open_document(client, small, SHELL)
    assert codes(await diagnostics_for(client, small, 1, timeout=60)) == ["B404", "B602"]
    diagnostics = await diagnostics_for(client, big, 1, timeout=60)
    assert len(diagnostics) == 1
    assert diagnostics[0].message.startswith("not analysed: over 8 MiB (")
    assert diagnostics[0].message.endswith(f"; limit {MAX_FILE_BYTES // 1024} KiB)")
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert diagnostics[0].range.start == types.Position(0, 0)
