"""A source read's label names the expression read as `ast.unparse` writes it; a name or an
attribute chain on one (`request.args`, most reads) is joined without unparsing it
(qualnames._dotted): the same text for every such node of real code, and the label of a read
through a call or a subscript still unparsed."""

from __future__ import annotations

import ast
from pathlib import Path

from bastion.analyzers.taint import qualnames
from bastion.analyzers.taint.analyzer import TaintAnalyzer


def test_dotted_text_is_what_unparse_writes():
    package = Path(qualnames.__file__).parent
    seen = 0
    for path in sorted(package.glob("*.py"))[:40]:
        for node in ast.walk(ast.parse(path.read_text())):
            text = qualnames._dotted(node)
            if text is not None:
                assert text == ast.unparse(node)
                seen += 1
            elif isinstance(node, (ast.Name, ast.Attribute)):
                assert not isinstance(node, ast.Name)  # an attribute of a call or a subscript
    assert seen > 1000


def test_labels_of_reads_in_findings():
    source = ("import os\nfrom flask import request\n\n"
              "def view():\n    os.system(request.args['cmd'])\n"
              "    os.system(request.get_json()['c'])\n")
    messages = sorted(f.message for f in TaintAnalyzer().analyse_file(source, "views.py"))
    assert any("(`request.args`" in m for m in messages)
    assert any("(`request.get_json()`" in m for m in messages)
