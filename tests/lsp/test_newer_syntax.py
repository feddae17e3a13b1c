"""A document written for a newer Python than the server runs on says so in the editor, naming
the interpreter to use, as `bastion check` does (issue 14): never silence on those lines."""

from __future__ import annotations

import sys

import pytest
from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, open_document

HERE = sys.version_info[:2]
# A construct of the next Python, in a file whose other lines Bastion analyses.
NEWER = {(3, 10): ((3, 12), "type Command = str\n"), (3, 11): ((3, 12), "type Command = str\n"),
         (3, 12): ((3, 13), "class Box[T = str]:\n    pass\n")}.get(HERE)
pytestmark = pytest.mark.skipif(NEWER is None, reason=f"no syntax newer than {HERE} is known")


async def test_newer_syntax_gets_a_not_analysed_error_naming_the_interpreter(client):
    need, construct = NEWER
    want, here = "{}.{}".format(*need), "{}.{}".format(*HERE)
    uri = (client.workspace / "new.py").as_uri()
    open_document(client, uri, "import os\n" + construct + "os.system(cmd)\n")
    diagnostics = await diagnostics_for(client, uri, 1, timeout=60)
    assert codes(diagnostics) == ["B605", "not-analysed"]  # the other lines are analysed
    (note,) = [d for d in diagnostics if d.code == "not-analysed"]
    assert note.severity == types.DiagnosticSeverity.Error
    assert note.range.start == types.Position(1, 0)
    # Line 2: the statement, or the header of the class, whose body is analysed on its own.
    assert note.message == (f"Bastion did not analyse line 2: this file uses Python {want} "
                            f"syntax; Bastion runs on Python {here}: run it with Python >= {want} "
                            "to analyse it.")
    # An edit elsewhere (the incremental path) keeps saying so; a plain syntax error does not.
    change_document(client, uri, 2, (0, 0), (0, 0), "def f(:\n")
    diagnostics = await diagnostics_for(client, uri, 2, timeout=60)
    notes = [d for d in diagnostics if d.code == "not-analysed"]
    assert len(notes) == 1 and f"Python >= {want}" in notes[0].message
    assert notes[0].range.start == types.Position(2, 0)


async def test_an_ordinary_syntax_error_claims_no_version(client):
    uri = (client.workspace / "typo.py").as_uri()
    open_document(client, uri, "import os\ndef f(:\n    pass\nos.system(cmd)\n")
    diagnostics = await diagnostics_for(client, uri, 1, timeout=60)
    assert "not-analysed" not in codes(diagnostics)
