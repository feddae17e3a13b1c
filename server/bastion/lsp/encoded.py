"""Diagnostics with their JSON, converted and encoded once per finding and place.

A keystroke changes few findings, yet each result used to convert every finding to an LSP
diagnostic and have pygls unstructure and encode them all again (views.py, 167 diagnostics:
~3 ms a keystroke, more than the analysis). A document's `DiagnosticMemo` keeps, for the
findings of its last result, the converted diagnostic and its JSON, by the finding and its
client columns (with the settings' severity map, all a diagnostic depends on:
convert.client_columns, in the position encoding agreed at `initialize`, the session's); the
next result converts only the findings it does not hold. A finding without steps that only
moved to other lines (a line inserted or deleted above it) takes the diagnostic of one that
differs from it only in its lines, with the range's lines replaced, in the JSON too.

The JSON of a diagnostic differs between versions of the text only in `data["version"]`, which
convert.py puts last: an entry keeps the JSON before that number, and a result's list is written
for its version by joining. It is the text pygls would write (`json.dumps` of the converter's
unstructured form): tests/unit/test_encoded_diagnostics.py compares the two byte for byte.

Owned by the event loop: the scheduler keeps each open document's memo (by the document's
`opened` serial) and drops it when the document is closed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import attrs
import cattrs
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from bastion.config import Config
from bastion.engine.engine import Analysis
from bastion.lsp.convert import (
    baselined_diagnostic,
    client_columns,
    newer_syntax_diagnostic,
    shown_findings,
    to_diagnostic,
    trailing_diagnostics,
)
from bastion.lsp.documents import Document
from bastion.model import Finding

# convert.to_diagnostic or convert.baselined_diagnostic
Build = Callable[[Finding, Document, PositionCodec, Config, int], types.Diagnostic]


@attrs.frozen
class Encoded:
    diagnostic: types.Diagnostic  # as converted, for the version in its data
    head: str  # its JSON up to the value of `data["version"]`

    def at(self, version: int) -> types.Diagnostic:
        diagnostic = self.diagnostic
        if diagnostic.data["version"] == version:
            return diagnostic
        return attrs.evolve(diagnostic, data={**diagnostic.data, "version": version})


def encode(diagnostic: types.Diagnostic, converter: cattrs.Converter) -> Encoded:
    text = json.dumps(converter.unstructure(diagnostic))
    tail = _tail(diagnostic.data["version"])
    if not text.endswith(tail):  # `data` is the last field, "version" its last key
        raise ValueError(f"a diagnostic's JSON does not end with its version: {text[-80:]}")
    return Encoded(diagnostic, text[:-len(tail)])


def _tail(version: int) -> str:
    return f"{version}}}}}"


@attrs.frozen
class EncodedDiagnostics:
    """A result's diagnostics, for one version of the text."""

    version: int
    entries: tuple[Encoded, ...] = ()

    def items(self) -> list[types.Diagnostic]:
        """The diagnostics, some of them the memo's own: read them, never change them."""
        return [entry.at(self.version) for entry in self.entries]

    def json(self) -> str:
        """The JSON list pygls would write for `items()`."""
        tail = _tail(self.version)
        return "[" + ", ".join(entry.head + tail for entry in self.entries) + "]"


def publish_message(uri: str, diagnostics: EncodedDiagnostics, converter: cattrs.Converter) -> str:
    """The JSON of the publishDiagnostics notification pygls would write for `diagnostics`."""
    envelope = json.dumps(converter.unstructure(types.PublishDiagnosticsNotification(
        params=types.PublishDiagnosticsParams(uri=uri, diagnostics=[], version=diagnostics.version))))
    # The first `"diagnostics": []` is the field's: the uri before it is a JSON string, where a
    # quote is escaped.
    return envelope.replace('"diagnostics": []', f'"diagnostics": {diagnostics.json()}', 1)


class DiagnosticMemo:
    """The encoded diagnostics of a document's findings in its last result."""

    def __init__(self, converter: cattrs.Converter) -> None:
        self._converter = converter
        # The entries' severities are the settings' map's (`Config.lsp_severity`): a result
        # under another map converts afresh.
        self._severity_map: tuple[tuple[str, str], ...] | None = None
        self._entries: dict[tuple, Encoded] = {}

    def result(self, analysis: Analysis, baselined: Sequence[Finding],
               newer_syntax: Sequence[tuple[int, int, str]], doc: Document, codec: PositionCodec,
               config: Config, version: int) -> list[Encoded]:
        """An analysis' diagnostics: its shown findings first, in order (code actions pair
        `shown_findings` with the leading diagnostics), then what was not analysed or not
        shown, its suppression hints, the lines of a newer Python's syntax (first line, last
        line, why) and the `baselined` findings shown as hints. The memo then holds the
        findings of this result only."""
        shown = shown_findings(analysis.findings)
        converted = self._findings([*((f, to_diagnostic) for f in shown),
                                    *((f, baselined_diagnostic) for f in baselined)],
                                   doc, codec, config, version)
        others = [*trailing_diagnostics(analysis, doc, codec, version),
                  *(newer_syntax_diagnostic(start, end, why, doc, codec, version)
                    for start, end, why in newer_syntax)]
        return [*converted[:len(shown)], *(encode(d, self._converter) for d in others),
                *converted[len(shown):]]

    def _findings(self, findings: Sequence[tuple[Finding, Build]], doc: Document,
                  codec: PositionCodec, config: Config, version: int) -> list[Encoded]:
        old = self._entries if config.severity_map == self._severity_map else {}
        self._severity_map, self._entries = config.severity_map, {}
        moved: dict[tuple, Encoded] | None = None  # built at the first finding not in `old`
        encoded = []
        for finding, build in findings:
            columns = client_columns(finding, doc, codec)
            key = (build, finding, columns)
            entry = old.get(key) or self._entries.get(key)
            if entry is None and not finding.steps:
                if moved is None:
                    moved = {_unplaced(*old_key): old_entry for old_key, old_entry in old.items()
                             if not old_key[1].steps}
                near = moved.get(_unplaced(build, finding, columns))
                entry = near and _moved(near, finding.span.start_line, finding.span.end_line)
            if entry is None:
                entry = encode(build(finding, doc, codec, config, version), self._converter)
            self._entries[key] = entry
            encoded.append(entry)
        return encoded


def _unplaced(build: Build, finding: Finding, columns: tuple[int, ...]) -> tuple:
    """What the diagnostic of a finding without steps depends on besides the lines of its
    span: the range is those lines and its client columns, and no other field of the
    diagnostic names a line."""
    span = finding.span
    return (build, finding.rule_id, finding.name, finding.severity, finding.confidence,
            finding.cwe, finding.message, finding.source, finding.suppressed_by, finding.retracted,
            span.end_line - span.start_line, columns)


def _range_json(start_line: int, start: int, end_line: int, end: int) -> str:
    return (f'{{"range": {{"start": {{"line": {start_line}, "character": {start}}}, '
            f'"end": {{"line": {end_line}, "character": {end}}}}}')


def _moved(entry: Encoded, start_line: int, end_line: int) -> Encoded | None:
    """`entry` with its range moved to the lines `start_line`..`end_line` (a line inserted or
    deleted above a finding moves it: 1,897 of them were converted again, 27-41 ms); None when
    its JSON does not begin with its range as `_range_json` writes it."""
    old = entry.diagnostic.range
    head = _range_json(old.start.line, old.start.character, old.end.line, old.end.character)
    if not entry.head.startswith(head):
        return None
    place = types.Range(start=types.Position(line=start_line, character=old.start.character),
                        end=types.Position(line=end_line, character=old.end.character))
    return Encoded(attrs.evolve(entry.diagnostic, range=place),
                   _range_json(start_line, old.start.character, end_line, old.end.character)
                   + entry.head[len(head):])
