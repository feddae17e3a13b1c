"""The editor shows what was not analysed, and how many findings it does not show (issue 11):
a statement nested too deeply used to get no diagnostics and no message at all."""

from __future__ import annotations

from lsprotocol import types

from bastion.limits import MAX_FINDINGS_PER_FILE

from .conftest import change_document, codes, diagnostics_for, open_document

SHELL = "import subprocess\nx = subprocess.call(cmd, shell=True)"


async def test_a_statement_nested_too_deeply_gets_an_error_diagnostic(client):
    uri = (client.workspace / "deep.py").as_uri()
    open_document(client, uri, SHELL + "\ny = 0" + " + 0" * 30_000 + "\nz = eval(w)\n")
    diagnostics = await diagnostics_for(client, uri, 1, timeout=60)
    assert codes(diagnostics) == ["B307", "B404", "B602", "not-analysed"]
    (note,) = [d for d in diagnostics if d.code == "not-analysed"]
    assert note.severity == types.DiagnosticSeverity.Error
    assert note.range.start == types.Position(2, 0) and note.range.end.line == 2
    assert "did not analyse line 3" in note.message and "nesting deeper than" in note.message
    # An edit elsewhere (the incremental path) keeps saying so.
    change_document(client, uri, 2, (4, 0), (4, 0), "v = eval(u)\n")
    diagnostics = await diagnostics_for(client, uri, 2, timeout=60)
    assert codes(diagnostics) == ["B307", "B307", "B404", "B602", "not-analysed"]


async def test_a_long_sum_that_python_runs_is_analysed(client):
    uri = (client.workspace / "sum.py").as_uri()
    open_document(client, uri, SHELL + " + 0" * 3_000 + "\n")
    assert codes(await diagnostics_for(client, uri, 1, timeout=60)) == ["B404", "B602"]


async def test_findings_beyond_the_limit_are_counted_not_shown(vscode):
    uri = (vscode.workspace / "many.py").as_uri()
    count = MAX_FINDINGS_PER_FILE + 25  # 25 calls a line: under the progressive analysis' size
    open_document(vscode, uri, "".join("r = " + ", ".join(["eval(data)"] * 25) + "\n"
                                       for _ in range(count // 25)))
    diagnostics = await diagnostics_for(vscode, uri, 1, timeout=60)
    assert sum(d.code == "B307" for d in diagnostics) == MAX_FINDINGS_PER_FILE
    (note,) = [d for d in diagnostics if d.code == "findings-not-shown"]
    assert note.message.startswith("25 more findings not shown")
    assert note.severity == types.DiagnosticSeverity.Information
