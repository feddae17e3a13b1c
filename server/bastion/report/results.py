"""What `bastion check` found across files, independent of how it is printed."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from typing import TextIO

import attrs

from bastion import attrs_classes
from bastion.engine.analysis import Analysis
from bastion.model import Finding, Level, NotAnalysed

# Above this much JSON a report is written without indentation: Python's encoder indents in
# pure Python, about ten times slower than its compact C encoder (a 4,000-finding SARIF file with
# taint paths took 1.7 s to indent and 0.2 s to write compact), and indentation nearly triples
# the size. A file this large is read by tools, not people. The size, not the number of
# findings, decides: a taint finding with its path weighs several plain ones.
INDENT_MAX_CHARS = 1_000_000
COMPACT = (",", ":")  # json.dumps separators of a compact report


def dump_report(doc: dict) -> str:
    """`doc` as JSON text: indented for people, compact when it is large (see above)."""
    compact = json.dumps(doc, separators=COMPACT)
    if len(compact) > INDENT_MAX_CHARS:
        return compact + "\n"
    return json.dumps(doc, indent=2) + "\n"


def write_report(doc: dict, out: TextIO, lists: Sequence[tuple[dict, str, Iterable]]) -> None:
    """Writes the text `dump_report` gives for `doc` with each `container[key]` of `lists` set
    to the list of its items, but a large report's items are encoded and written as they are
    made: they never exist together, as objects or as text (8,000 taint findings with
    seven-step paths are 21 MB of SARIF, some 100 MB as dicts). A small report's items are
    kept as made and indented with the rest."""
    made = [iter(items) for _, _, items in lists]
    held: list[list] = [[] for _ in lists]
    size = 0
    for items, kept in zip(made, held, strict=True):
        for item in items:
            kept.append(item)
            size += len(json.dumps(item, separators=COMPACT))
            if size > INDENT_MAX_CHARS:
                break
        if size > INDENT_MAX_CHARS:
            break
    else:
        for (container, key, _), kept in zip(lists, held, strict=True):
            container[key] = kept
        out.write(dump_report(doc))
        return
    import secrets  # only for a large report (hmac and random: not worth a start-up)

    markers = []
    for container, key, _ in lists:
        container[key] = secrets.token_hex(16)  # unguessable: no scanned text holds it
        markers.append(f'"{container[key]}"')
    text = json.dumps(doc, separators=COMPACT)
    rest = text
    for marker, items, kept in sorted(zip(markers, made, held, strict=True),
                                      key=lambda slot: text.index(slot[0])):  # as written
        head, _, rest = rest.partition(marker)
        out.write(head + "[")
        separator = ""
        for item in itertools.chain(kept, items):
            out.write(separator + json.dumps(item, separators=COMPACT))
            separator = ","
        out.write("]")
        kept.clear()  # written: not held while the next lists are
    out.write(rest + "\n")


@attrs_classes.define
class FileResult:
    path: str  # as given or found, relative where possible
    analysis: Analysis


@attrs_classes.define
class CheckResults:
    files: list[FileResult] = attrs.Factory(list)
    errors: list[tuple[str, str]] = attrs.Factory(list)  # (path, message)
    scanned_lines: int = 0
    seconds: float = 0.0

    def findings(self) -> list[tuple[FileResult, Finding]]:
        return [(f, x) for f in self.files for x in f.analysis.findings]

    def suppressed(self) -> list[tuple[FileResult, Finding]]:
        return [(f, x) for f in self.files for x in f.analysis.suppressed]

    def not_analysed(self) -> list[tuple[FileResult, NotAnalysed]]:
        """What could not be analysed, file by file: those files' results are incomplete."""
        return [(f, e) for f in self.files for e in f.analysis.errors]

    def incomplete_files(self) -> int:
        return sum(1 for f in self.files if f.analysis.errors)

    def count_at_least(self, severity: Level, confidence: Level = Level.LOW) -> int:
        return sum(1 for _, x in self.findings()
                   if x.severity >= severity and x.confidence >= confidence)

    def by_severity(self) -> dict[str, int]:
        counts = {"high": 0, "medium": 0, "low": 0}
        for _, finding in self.findings():
            counts[finding.severity.label] = counts.get(finding.severity.label, 0) + 1
        return counts
