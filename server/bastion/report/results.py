"""What `bastion check` found across files, independent of how it is printed."""

from __future__ import annotations

import attrs

from bastion.engine.engine import Analysis
from bastion.model import Finding, Level


@attrs.define
class FileResult:
    path: str  # as given or found, relative where possible
    analysis: Analysis


@attrs.define
class CheckResults:
    files: list[FileResult] = attrs.Factory(list)
    errors: list[tuple[str, str]] = attrs.Factory(list)  # (path, message)
    scanned_lines: int = 0
    seconds: float = 0.0

    def findings(self) -> list[tuple[FileResult, Finding]]:
        return [(f, x) for f in self.files for x in f.analysis.findings]

    def suppressed(self) -> list[tuple[FileResult, Finding]]:
        return [(f, x) for f in self.files for x in f.analysis.suppressed]

    def count_at_least(self, severity: Level, confidence: Level = Level.LOW) -> int:
        return sum(1 for _, x in self.findings()
                   if x.severity >= severity and x.confidence >= confidence)

    def by_severity(self) -> dict[str, int]:
        counts = {"high": 0, "medium": 0, "low": 0}
        for _, finding in self.findings():
            counts[finding.severity.label] = counts.get(finding.severity.label, 0) + 1
        return counts
