"""A one-off scan's taint analyzer (`incremental=False`) checks each file's text whole
(gate.py, `edits=False`): its next text is another file, never an edit, so the per-edit
expressions (123 compiled and measured for the sources alone) are never made, and its answers
and findings are the editor's analyzer's."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.specs import Models

HEADER = "# Copyright (C) 2001 Example Foundation\n# Author: Someone\n\n"
# Small modules sharing their header and end, as a package's do: the stretch between the two
# texts is a few hundred characters, which the editor's gates search around.
FILES = [
    HEADER + "import os\n\n\ndef home():\n    return os.environ.get('HOME')\n",
    HEADER + "import subprocess\nimport sys\n\n\ndef run():\n"
             "    subprocess.call(sys.argv[1], shell=True)\n",
    HEADER + "def add(a, b):\n    return a + b\n",
    HEADER + "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
             "@app.route('/')\ndef index():\n    return eval(request.args['x'])\n",
]


def _findings(analyzer: TaintAnalyzer) -> list[list[tuple[str, int]]]:
    return [sorted((f.rule_id, f.span.start_line) for f in analyzer.analyse_file(text, f"/p/m{i}.py"))
            for i, text in enumerate(FILES)]


def test_a_scan_never_makes_the_per_edit_checks(monkeypatch):
    editor = _findings(TaintAnalyzer())

    def per_edit(self):
        raise AssertionError("a scan made the per-edit checks")

    monkeypatch.setattr(Models, "gate", per_edit)
    scan = _findings(TaintAnalyzer(incremental=False))
    assert scan == editor
    assert any(scan), "the files hold flows: the comparison says something"
    with pytest.raises(AssertionError, match="per-edit"):
        _findings(TaintAnalyzer())  # the editor's does make them for these texts
