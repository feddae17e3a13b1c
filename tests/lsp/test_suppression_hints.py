"""Suppression hints in the editor: Hint-severity diagnostics on the comments, in both profiles.

Unused comments carry the Unnecessary tag (clients fade them out); blanket, expired and
reason-less ones say what is wrong; a finding whose suppression no longer holds is reported again.
"""

from __future__ import annotations

from lsprotocol import types

from .conftest import change_document, diagnostics_for, open_document

CLEF = "\U0001d11e"  # outside the BMP: two UTF-16 code units, four UTF-8 bytes

SOURCE = f'''import subprocess  # nosec B404
label = "{CLEF}"  # nosec B602
subprocess.call(cmd, shell=True)  # nosec
subprocess.call(cmd, shell=True)  # bastion: ignore[B602] reason="r" until=2020-01-31
subprocess.call(cmd, shell=True)  # noqa: S602
'''


def column(client, text: str) -> int:
    if client.profile == "neovim":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def comment_range(client, line: str, comment: str) -> types.Range:
    start = line.index(comment)
    row = SOURCE.split("\n").index(line)
    return types.Range(start=types.Position(row, column(client, line[:start])),
                       end=types.Position(row, column(client, line[:start + len(comment)])))


def hints(diagnostics) -> dict[str, types.Diagnostic]:
    return {str(d.code): d for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint}


async def test_suppression_hints_are_hint_diagnostics_on_the_comments(client):
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, SOURCE)
    diags = await diagnostics_for(client, uri, 1)
    lines = SOURCE.split("\n")

    found = hints(diags)
    assert set(found) == {"unused-suppression", "blanket-suppression", "expired-suppression"}
    for diagnostic in found.values():
        assert diagnostic.source == "bastion"

    unused = found["unused-suppression"]
    assert unused.range == comment_range(client, lines[1], "# nosec B602")
    assert list(unused.tags) == [types.DiagnosticTag.Unnecessary]
    assert "unused" in unused.message

    blanket = found["blanket-suppression"]
    assert blanket.range == comment_range(client, lines[2], "# nosec")
    assert not blanket.tags
    assert "B602" in blanket.message

    expired = found["expired-suppression"]
    assert expired.range == comment_range(
        client, lines[3], '# bastion: ignore[B602] reason="r" until=2020-01-31')
    assert "2020-01-31" in expired.message

    # The expired comment silences nothing: its finding is reported again, and says why.
    reported = [d for d in diags if d.code == "B602"]
    assert [d.range.start.line for d in reported] == [3]
    assert reported[0].message.endswith("(suppression expired 2020-01-31)")
    assert reported[0].severity != types.DiagnosticSeverity.Hint


async def test_hints_follow_edits(client):
    uri = (client.workspace / "edit.py").as_uri()
    text = "import subprocess  # nosec B404\nsubprocess.call(cmd, shell=True)  # nosec B602\n"
    open_document(client, uri, text)
    assert hints(await diagnostics_for(client, uri, 1)) == {}
    # shell=True -> shell=False: B602 goes, so its comment now silences nothing.
    change_document(client, uri, 2, (1, 27), (1, 31), "False")
    diags = await diagnostics_for(client, uri, 2)
    unused = hints(diags)["unused-suppression"]
    line = "subprocess.call(cmd, shell=False)  # nosec B602"
    start = line.index("#")
    assert unused.range == types.Range(start=types.Position(1, start),
                                       end=types.Position(1, len(line)))
    assert list(unused.tags) == [types.DiagnosticTag.Unnecessary]
    # and back: the hint goes away again.
    change_document(client, uri, 3, (1, 27), (1, 32), "True")
    assert hints(await diagnostics_for(client, uri, 3)) == {}


async def test_governance_from_pyproject(client):
    (client.workspace / "pyproject.toml").write_text(
        '[tool.bastion]\nrequire_reason = ["bastion"]\nunsuppressible = ["B602"]\n')
    uri = (client.workspace / "governed.py").as_uri()
    text = ("import subprocess  # bastion: ignore[B404]\n"
            "subprocess.call(cmd, shell=True)  # nosec B602\n")
    open_document(client, uri, text)
    diags = await diagnostics_for(client, uri, 1)
    assert sorted(str(d.code) for d in diags) == [
        "B404", "B602", "suppression-without-reason", "unsuppressible-rule"]
    b404 = next(d for d in diags if d.code == "B404")
    assert b404.message.endswith("(suppression ignored: no reason given)")
    b602 = next(d for d in diags if d.code == "B602")
    assert "cannot be suppressed" in b602.message
    assert hints(diags)["unsuppressible-rule"].range.start.line == 1
