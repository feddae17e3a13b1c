"""The judged SQL strings and the taint findings indexed for verdicts.py's `retractions`: which
string around a pattern finding is outermost, and which taint finding reports its flow. Built
anew for each result's retractions and owned by that call; no state outlives it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bastion.model import Finding, Span


class Strings:
    """The judged SQL strings by the lines they cover, so that finding the outermost string
    around a pattern finding looks at that line's strings, not at all of the file's."""

    def __init__(self, verdicts: list[tuple[Span, str | None]]) -> None:
        self._verdicts = verdicts
        self._by_line: dict[int, list[int]] = {}
        for order, (span, _) in enumerate(verdicts):
            for line in range(span.start_line, span.end_line + 1):
                self._by_line.setdefault(line, []).append(order)

    def outermost(self, span: Span) -> tuple[Span | None, str | None]:
        best = None
        for order in self._by_line.get(span.start_line, ()):
            candidate, verdict = self._verdicts[order]
            if candidate.contains(span.start_line, span.start_col) and (
                    best is None or candidate.contains(best[0].start_line, best[0].start_col)
                    and candidate.contains(best[0].end_line, best[0].end_col)):
                best = candidate, verdict
        return best if best is not None else (None, None)


class Flows:
    """The taint findings indexed by where they sink and which lines their SQL flows touch: each
    judged pattern finding asks for "the first taint finding of its class that reports this
    flow", and scanning all of them made a file's verdicts cost the square of its findings."""

    def __init__(self, replacing: Sequence[Finding], classes: dict[str, str]) -> None:
        self._replacing = replacing
        self._at: dict[tuple[int, int, str], int] = {}
        self._lines: dict[tuple[int, str], int] = {}
        self._sql_lines: dict[int, set[int]] = {}  # line -> orders of SQL flows with a step there
        self._sql_spans: dict[int, set[int]] = {}  # line -> orders of SQL flows whose sink covers it
        for order, finding in enumerate(replacing):
            sink_class = classes.get(finding.rule_id)
            if sink_class is None:
                continue
            self._at.setdefault((finding.span.start_line, finding.span.start_col, sink_class), order)
            self._lines.setdefault((finding.line, sink_class), order)
            if sink_class == "sql":
                for line in range(finding.span.start_line, finding.span.end_line + 1):
                    self._sql_spans.setdefault(line, set()).add(order)
                for step in finding.steps:
                    self._sql_lines.setdefault(step.span.start_line, set()).add(order)

    def replacement(self, span: Span, sink_class: str) -> Finding | None:
        """The first taint finding of the class that reports the flow through `span`: at the
        same call, or with a step or its sink inside the judged string."""
        found = [self._at.get((span.start_line, span.start_col, sink_class))]
        if sink_class == "sql":
            candidates = set(self._sql_spans.get(span.start_line, ()))
            for line in range(span.start_line, span.end_line + 1):
                candidates |= self._sql_lines.get(line, set())
            found += [order for order in candidates if self._reports(self._replacing[order], span)]
        orders = [order for order in found if order is not None]
        return self._replacing[min(orders)] if orders else None

    def reporting(self, span: Span, upstream: int | None, sink_class: str) -> Finding | None:
        """The first taint finding of the class that reports the flow through `span`
        (`replacement`) or, without one, the first at the line `upstream` (None: no line)."""
        if sink_class == "sql":
            by = self.replacement(span, sink_class)
            if by is not None:
                return by
        else:  # only the finding at the same call reports it (`replacement`, without a call)
            at = (span.start_line, span.start_col, sink_class)
            if at in self._at:
                return self._replacing[self._at[at]]
        line = (upstream, sink_class)
        return self._replacing[self._lines[line]] if upstream is not None and line in self._lines else None

    @staticmethod
    def _reports(finding: Finding, span: Span) -> bool:
        """The flow has a step inside the string, or the string is the value of a name the flow
        is assigned to (`query = "SELECT ..." % name`: the step is the target, left of it)."""
        return finding.span.contains(span.start_line, span.start_col) or any(
            span.contains(s.span.start_line, s.span.start_col)
            or s.span.end_line == span.start_line and s.span.end_col <= span.start_col
            and s.span.start_line == s.span.end_line for s in finding.steps)


def in_same_function(finding: Finding, sink_class: str, replacing: Sequence[Finding],
                      classes: dict[str, str], functions: Sequence[tuple[int, int]]
                      ) -> Finding | None:
    """A taint finding of the class in the function that holds `finding` (none at module level:
    a module's parser serves every function)."""
    around = [(a, b) for a, b in functions if a <= finding.line <= b]
    if not around:
        return None
    first, last = min(around, key=lambda r: r[1] - r[0])
    return next((f for f in replacing if classes.get(f.rule_id) == sink_class
                 and first <= f.line <= last), None)
