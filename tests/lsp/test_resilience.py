"""Typing never wipes the screen, positions are right on non-ASCII lines, nosec is honoured."""

from __future__ import annotations

from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, open_document

TWO_FUNCTIONS = """import subprocess
import yaml


def first(cmd):
    subprocess.call(cmd, shell=True)


def second(path):
    return yaml.load(open(path))
"""


async def test_unclosed_bracket_keeps_other_findings(client):
    uri = (client.workspace / "typing.py").as_uri()
    open_document(client, uri, TWO_FUNCTIONS)
    assert codes(await diagnostics_for(client, uri, 1)) == ["B404", "B506", "B602"]
    # Mid-typing: an unclosed call in `first` breaks the whole module's parse.
    change_document(client, uri, 2, (5, 36), (5, 36), "\n    print(")
    diags = await diagnostics_for(client, uri, 2)
    assert codes(diags) == ["B404", "B506", "B602"], "only the broken statement may go quiet"
    b506 = next(d for d in diags if d.code == "B506")
    assert b506.range.start.line == 10


async def test_columns_after_non_ascii_text(client):
    uri = (client.workspace / "unicode.py").as_uri()
    # "é" is 1 UTF-16 unit / 2 UTF-8 bytes; "😀" is 2 UTF-16 units / 4 UTF-8 bytes; "漢" 1 / 3.
    text = 'import yaml\nx = "é😀漢"; y = yaml.load(open("f"))\n'
    open_document(client, uri, text)
    diags = await diagnostics_for(client, uri, 1)
    b506 = next(d for d in diags if d.code == "B506")
    prefix = 'x = "é😀漢"; y = '
    if client.profile == "neovim":
        expected = len(prefix.encode("utf-8"))
    else:
        expected = len(prefix.encode("utf-16-le")) // 2
    assert b506.range.start == types.Position(1, expected)
    end_text = prefix + 'yaml.load(open("f"))'
    end = len(end_text.encode("utf-8")) if client.profile == "neovim" else len(
        end_text.encode("utf-16-le")) // 2
    assert b506.range.end == types.Position(1, end)


async def test_incremental_edit_after_emoji(client):
    """Edits arrive in the client's units; the server must apply them at the right character."""
    uri = (client.workspace / "emoji.py").as_uri()
    open_document(client, uri, 'import os\ns = "😀" + t; os.system(s)\n')
    assert codes(await diagnostics_for(client, uri, 1)) == ["B605"]
    line = 's = "😀" + t; '
    col = len(line.encode("utf-8")) if client.profile == "neovim" else len(
        line.encode("utf-16-le")) // 2
    # Replace "os.system(s)" with "print(s)" using a range measured in client units.
    change_document(client, uri, 2, (1, col), (1, col + len("os.system")), "print")
    assert codes(await diagnostics_for(client, uri, 2)) == []


async def test_nosec_comment_typed_live(client):
    uri = (client.workspace / "nosec.py").as_uri()
    open_document(client, uri, "import subprocess\nsubprocess.call(c, shell=True)\n")
    assert codes(await diagnostics_for(client, uri, 1)) == ["B404", "B602"]
    change_document(client, uri, 2, (1, 30), (1, 30), "  # nosec B602")
    assert codes(await diagnostics_for(client, uri, 2)) == ["B404"]
    change_document(client, uri, 3, (0, 17), (0, 17), "  # nosec")
    # Nothing left but the hint that a bare `# nosec` silences every rule on its line.
    assert codes(await diagnostics_for(client, uri, 3)) == ["blanket-suppression"]


async def test_binary_and_huge_lines_do_not_crash(client):
    uri = (client.workspace / "odd.py").as_uri()
    open_document(client, uri, "x = 1\x00\n" + "y = '" + "a" * 200_000 + "'\n")
    skipped = await diagnostics_for(client, uri, 1)
    assert [d.message for d in skipped] == ["skipped: binary file (contains NUL bytes)"]
    change_document(client, uri, 2, (0, 0), (1, 0), "import pickle\npickle.loads(b)\n")
    assert codes(await diagnostics_for(client, uri, 2)) == ["B301", "B403"]
