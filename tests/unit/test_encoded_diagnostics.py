"""lsp/encoded.py: a document's memo re-uses the diagnostics of the findings an edit left alone;
what it publishes must be, byte for byte, what converting every finding afresh and having pygls
encode the notification gives."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace.position_codec import PositionCodec
from tests.hypothesis_budget import examples

from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.lsp.convert import (
    baselined_diagnostic,
    newer_syntax_diagnostic,
    shown_findings,
    to_diagnostic,
    trailing_diagnostics,
)
from bastion.lsp.documents import Document
from bastion.lsp.encoded import DiagnosticMemo, EncodedDiagnostics, encode, publish_message

PATH = "/project/app.py"
URI = "file:///project/app.py"
SOURCE = '''import subprocess
from flask import request

def view():
    name = request.args.get("n")  # é
    t = "é"; cmd = "ls " + name
    subprocess.call(cmd, shell=True)
    s = "é"; eval(name)
    return cmd

password = "hunter2hunter2"
x = "😀" + z; eval(x)
y = 1  # nosec B101
'''
LINES = SOURCE.count("\n")
CONFIGS = (Config(), Config(severity_map=(("high", "warning"), ("medium", "hint"),
                                          ("low", "error"))))
CONVERTER = default_converter()
ENGINE = create_engine(disk_cache=False)

# An edit: (line, column, characters removed, text inserted); columns and counts are clamped.
edits = st.tuples(st.integers(0, LINES), st.integers(0, 40), st.integers(0, 3),
                  st.sampled_from(["", "x", "é", "😀", "\n", "(", "eval(x)", " ", "#"]))
# A step: an edit, which findings of the result are baselined (a bit per finding), the
# settings' severity map, and whether a range uses a newer Python's syntax.
steps = st.tuples(edits, st.integers(0, 2 ** 12), st.sampled_from(CONFIGS), st.booleans())


def _edit(doc: Document, edit, codec: PositionCodec) -> None:
    line, column, removed, inserted = edit
    line = min(line, len(doc.lines) - 1)
    column = min(column, len(doc.line(line)))
    end = min(column + removed, len(doc.line(line)))
    start_units = doc.client_column(line, column, codec)
    end_units = doc.client_column(line, end, codec)
    doc.apply_change(types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line, start_units), end=types.Position(line, end_units)),
        text=inserted), codec)
    doc.version += 1


def _fresh(analysis, baselined, newer, doc, codec, config, version) -> list[types.Diagnostic]:
    """What the server published before the memo: every diagnostic converted afresh."""
    return [*(to_diagnostic(f, doc, codec, config, version) for f in shown_findings(analysis.findings)),
            *trailing_diagnostics(analysis, doc, codec, version),
            *(newer_syntax_diagnostic(start, end, why, doc, codec, version) for start, end, why in newer),
            *(baselined_diagnostic(f, doc, codec, config, version) for f in baselined)]


def _pygls_json(diagnostics: list[types.Diagnostic], version: int) -> str:
    notification = types.PublishDiagnosticsNotification(
        params=types.PublishDiagnosticsParams(uri=URI, diagnostics=diagnostics, version=version))
    return json.dumps(notification, default=CONVERTER.unstructure)


@pytest.mark.parametrize("encoding", [types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8])
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bom=st.booleans(), steps=st.lists(steps, min_size=1, max_size=8))
# "é" to "😀" before a finding on its line: the same finding, one more UTF-16 unit before it.
@example(bom=False, steps=[((7, 9, 0, ""), 0, CONFIGS[0], False),
                           ((7, 9, 1, "😀"), 0, CONFIGS[0], False)])
# The same before a step of a finding on another line.
@example(bom=False, steps=[((5, 9, 0, ""), 0, CONFIGS[0], False),
                           ((5, 9, 1, "😀"), 0, CONFIGS[0], False)])
# The same findings under another severity map; then one of them baselined.
@example(bom=False, steps=[((0, 0, 0, ""), 0, CONFIGS[0], False),
                           ((0, 0, 0, ""), 0, CONFIGS[1], False),
                           ((0, 0, 0, ""), 1, CONFIGS[1], False)])
def test_memoised_diagnostics_are_the_fresh_conversion(encoding, bom, steps):
    codec = PositionCodec(encoding)
    doc = Document.from_text(URI, 1, ("\ufeff" if bom else "") + SOURCE)
    memo = DiagnosticMemo(CONVERTER)
    for edit, baselined_bits, config, newer_syntax in steps:
        _edit(doc, edit, codec)
        analysis = ENGINE.analyse(doc.text, PATH, config)
        # Findings the baseline lists are kept apart from the analysis', as editor_split does.
        picked = [bool(baselined_bits >> i & 1) for i in range(len(analysis.findings))]
        baselined = tuple(f for f, listed in zip(analysis.findings, picked, strict=True) if listed)
        analysis = analysis.__class__(tuple(f for f, listed in zip(analysis.findings, picked,
                                                                   strict=True) if not listed),
                                      analysis.errors, analysis.hints)
        newer = ((1, 2, "it needs Python 3.14"),) if newer_syntax else ()
        encoded = EncodedDiagnostics(doc.version, tuple(memo.result(
            analysis, baselined, newer, doc, codec, config, doc.version)))
        fresh = _fresh(analysis, baselined, newer, doc, codec, config, doc.version)
        assert encoded.items() == fresh
        assert publish_message(URI, encoded, CONVERTER) == _pygls_json(fresh, doc.version)


def test_every_diagnostic_ends_with_its_version():
    """What `encode` relies on: `data` is a diagnostic's last field and "version" its last key."""
    doc = Document.from_text(URI, 3, SOURCE)
    codec = PositionCodec(types.PositionEncodingKind.Utf16)
    analysis = ENGINE.analyse(doc.text, PATH, Config())
    diagnostics = _fresh(analysis, analysis.findings[:2], ((1, 2, "it needs Python 3.14"),), doc, codec,
                         Config(), 3)
    assert {d.code for d in diagnostics} >= {"BST202", "B307", "unused-suppression", "not-analysed"}
    for diagnostic in diagnostics:
        entry = encode(diagnostic, CONVERTER)
        assert entry.head + "3}}" == json.dumps(CONVERTER.unstructure(diagnostic))
    with pytest.raises(ValueError, match="does not end with its version"):
        encode(types.Diagnostic(range=diagnostics[0].range, message="m", data={"version": 3, "x": 1}),
               CONVERTER)
