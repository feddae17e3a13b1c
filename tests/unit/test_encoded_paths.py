"""lsp/encoded.py: findings with steps (data-flow paths) that move, because lines are inserted
or deleted above them or between their steps: what one memo publishes must be, byte for byte,
every finding converted afresh (the guard for a shortcut that would reuse a moved path's
diagnostic: its range, message, steps and their locations name lines). Paths over lines of
non-ASCII text (a step in another file, steps sharing a line, paths long enough to merge their
middle steps), some of them baselined, moved by random edits."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace.position_codec import PositionCodec
from tests.hypothesis_budget import examples

from bastion.config import Config
from bastion.engine.analysis import Analysis
from bastion.lsp.convert import baselined_diagnostic, to_diagnostic
from bastion.lsp.documents import Document
from bastion.lsp.encoded import DiagnosticMemo, EncodedDiagnostics, publish_message
from bastion.model import Finding, FlowStep, Level, Span

URI = "file:///project/app.py"
CONVERTER = default_converter()
LINE_TEXTS = ["    v = request.args.get('p')", "    é = 'é' + v", "    😀 = v; w = 😀 + v", "", "x"]

# A step: its line, first column, width, and whether it lies in another file.
step_specs = st.tuples(st.integers(0, 19), st.integers(0, 12), st.integers(0, 6), st.booleans())
# A finding: its sink line and column, its steps, and whether the baseline lists it.
finding_specs = st.tuples(st.integers(0, 19), st.integers(0, 12),
                          st.lists(step_specs, min_size=1, max_size=7), st.booleans())
# An edit: where (a line), lines deleted there, lines inserted there.
edit_specs = st.tuples(st.integers(0, 21), st.integers(0, 2), st.lists(st.sampled_from(LINE_TEXTS),
                                                                      max_size=3))


def _finding(lines: list[int], spec) -> Finding:
    """The finding of `spec` whose lines are `lines` (its sink's, then its steps'); its message
    names its source's line as the taint findings' do."""
    _, column, steps, _ = spec
    path = [FlowStep(Span(line, col, line, col + width), f"step at {col}",
                     "/project/lib.py" if elsewhere else None)
            for line, (_, col, width, elsewhere) in zip(lines[1:], steps, strict=True)]
    return Finding("BST201", "path-traversal", Level.HIGH, Level.MEDIUM, 22,
                   f"Request data (`request.args`, line {lines[1] + 1}) reaches `open`",
                   Span(lines[0], column, lines[0], column + 4), source="bastion", steps=tuple(path))


def _fresh(findings, baselined, doc, codec, config, version) -> list[types.Diagnostic]:
    return [*(to_diagnostic(f, doc, codec, config, version) for f in findings),
            *(baselined_diagnostic(f, doc, codec, config, version) for f in baselined)]


def _pygls_json(diagnostics, version) -> str:
    return json.dumps(types.PublishDiagnosticsNotification(
        params=types.PublishDiagnosticsParams(uri=URI, diagnostics=diagnostics, version=version)),
        default=CONVERTER.unstructure)


def _moved(place: list[int], at: int, deleted: int, inserted: int, elsewhere: list[bool]) -> list[int] | None:
    """`place`'s lines after the edit; None when one of the document's was deleted."""
    out = []
    for line, other in zip(place, [False, *elsewhere], strict=True):
        if other or line < at:
            out.append(line)
        elif line < at + deleted:
            return None
        else:
            out.append(line - deleted + inserted)
    return out


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.sampled_from(LINE_TEXTS), min_size=20, max_size=20),
       specs=st.lists(finding_specs, min_size=1, max_size=4),
       edits=st.lists(edit_specs, min_size=1, max_size=5),
       encoding=st.sampled_from([types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8]))
def test_moved_paths_publish_the_fresh_conversion(texts, specs, edits, encoding):
    codec, config, memo = PositionCodec(encoding), Config(), DiagnosticMemo(CONVERTER)
    lines = list(texts)
    places = [[spec[0], *(step[0] for step in spec[2])] for spec in specs]
    for version, (at, deleted, inserted) in enumerate([(0, 0, []), *edits], start=1):
        at = min(at, len(lines))
        deleted = min(deleted, len(lines) - at)
        lines[at:at + deleted] = inserted
        places = [None if place is None else _moved(place, at, deleted, len(inserted),
                                                    [step[3] for step in spec[2]])
                  for place, spec in zip(places, specs, strict=True)]
        doc = Document.from_text(URI, version, "\n".join(lines) + "\n")
        findings = [(_finding(place, spec), spec[3]) for place, spec in zip(places, specs, strict=True)
                    if place is not None]
        shown = tuple(f for f, listed in findings if not listed)
        baselined = tuple(f for f, listed in findings if listed)
        encoded = EncodedDiagnostics(version, tuple(memo.result(
            Analysis(shown, (), ()), baselined, (), doc, codec, config, version)))
        fresh = _fresh(shown, baselined, doc, codec, config, version)
        assert encoded.items() == fresh
        assert publish_message(URI, encoded, CONVERTER) == _pygls_json(fresh, version)

