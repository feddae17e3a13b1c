"""How a taint hit (results.Hit: a source's value reaching a sink) becomes the Finding the
analyzer reports: which origins its rule reports (each source kind at the sink classes its models
list), where it is (at the callee's sink of the same file, else at the call), its message and
confidence, and its flow steps with their columns in characters.

Owner: pure functions of the hit, its rule, the models and the text's lines (analyzer.py);
`KeptFindings`, the last text's findings by hit, is the analyzer's (one per analyzer).
"""

from __future__ import annotations

import ast
import os
from typing import TYPE_CHECKING

from bastion.analyzers.base import node_lines
from bastion.analyzers.taint.domain import SINK_CLASSES, Step
from bastion.analyzers.taint.sinks import quoted
from bastion.model import Finding, FlowStep, Level, Span
from bastion.model.text import byte_to_char_col, line_at

if TYPE_CHECKING:
    from bastion.analyzers.taint.analyzer import TaintRule
    from bastion.analyzers.taint.results import Hit
    from bastion.analyzers.taint.specs import Models


def hit_finding(hit: Hit, rule: TaintRule, models: Models, lines: list[str]) -> Finding | None:
    """The finding `hit` gives under `rule` (None: no origin of it is reported at its sink)."""
    # A command-line tool opening the file its user named is not a weakness: each source kind
    # is reported only at the sink classes its models list (`reaches`).
    origins = sorted((o for o in hit.value.taint if o.kind != "param"
                      and hit.sink_class in models.reaches.get(o.kind, SINK_CLASSES)),
                     key=lambda o: (o.line, o.col))
    if not origins:
        return None
    first = origins[0]
    more = f" (and {len(origins) - 1} more)" if len(origins) > 1 else ""
    statement = hit.statement
    if statement is not None and not hasattr(statement, "body"):
        statement_lines = node_lines(statement)
    else:
        statement_lines = node_lines(hit.node)
    span = node_span(hit.node, lines)
    where = ""
    if hit.via:
        sink = hit.via[-1]
        callee = ast.unparse(hit.node.func) if isinstance(hit.node, ast.Call) else "a call"
        if sink.path is None:
            # A sink of this file is where the finding is, as for a flow inside one function
            # (and where bandit's finding on it is): the call that passed the data is a step.
            where = f" (through `{callee}`, called line {hit.node.lineno})"
            span = step_span(sink, lines)
            statement_lines = tuple(range(sink.line, sink.end_line + 1))
        else:  # the editor shows a document's findings in it: at the call into the module
            where = f" ({_line_in(sink.path, sink.line)}, through `{callee}`)"
    message = (f"{first.label}, {_line_in(first.path, first.line)}){more} reaches "
               f"{quoted(hit.sink)}{where}: {rule.short}")
    modelled = hit.value.modelled and all(o.kind != "env" for o in origins)
    confidence = rule.confidence if modelled else min(rule.confidence, Level.MEDIUM)
    return Finding(rule.id, rule.name, rule.severity, confidence, rule.cwe, message,
                   span, "bastion", statement_lines,
                   steps=tuple(_flow_step(s, lines) for s in hit.path()))


def node_span(node: ast.AST, lines: list[str]) -> Span:
    return step_span(Step(node.lineno - 1, node.col_offset, (node.end_lineno or node.lineno) - 1,
                          node.end_col_offset or node.col_offset, ""), lines)


def step_span(step: Step, lines: list[str]) -> Span:
    return Span(step.line, byte_to_char_col(line_at(lines, step.line), step.col), step.end_line,
                byte_to_char_col(line_at(lines, step.end_line), step.end_col))


def _flow_step(step: Step, lines: list[str]) -> FlowStep:
    if step.path is not None:  # in another file, its columns already in characters
        return FlowStep(Span(step.line, step.col, step.end_line, step.end_col), step.note,
                        step.path)
    return FlowStep(step_span(step, lines), step.note)


def _line_in(path: str | None, line: int) -> str:
    return f"line {line + 1}" if path is None else f"{os.path.basename(path)} line {line + 1}"


class KeptFindings:
    """`hit_finding` of each hit of a text, the last text's taken again for the same hit where
    the lines it read are as they were: an unedited function's outcome a keystroke takes again
    (outcome_reuse.py) holds the very hits it had, and making their findings anew was a tenth of
    a new text's calls in a file of 60 views (some 30 a hit, 118 with a path). Its answer is a
    function of the hit (not changed once made), the rule, the models (the analyzer's, fixed)
    and those lines alone, so one taken again is the one made anew."""

    def __init__(self) -> None:
        # id of a hit -> (the hit, kept so that its id is not reused while the entry lives; the
        # rule; the finding or None; ((line index, that line or None past the end), ...))
        self._last: dict[int, tuple] = {}
        self._next: dict[int, tuple] = {}

    def finding(self, hit: Hit, rule: TaintRule, models: Models, lines: list[str]) -> Finding | None:
        key = id(hit)
        last = self._last
        if key in last:
            kept = last[key]
            if kept[0] is hit and kept[1] is rule:
                count = len(lines)
                for index, line in kept[3]:
                    if (lines[index] if 0 <= index < count else None) != line:
                        break
                else:
                    self._next[key] = kept
                    return kept[2]
        finding = hit_finding(hit, rule, models, lines)
        self._next[key] = (hit, rule, finding, _lines_read(finding, lines))
        return finding

    def done(self) -> None:
        """This text's findings are what the next text may take."""
        self._last, self._next = self._next, {}

    def forget(self) -> None:
        self._last, self._next = {}, {}


def _lines_read(finding: Finding | None, lines: list[str]) -> tuple[tuple[int, str | None], ...]:
    """The lines `hit_finding` read the columns of `finding` in: its span's and each step's of
    this file (`step_span`, `line_at`); a finding of no origin read none."""
    if finding is None:
        return ()
    read = {finding.span.start_line, finding.span.end_line}
    for step in finding.steps:
        if step.path is None:
            read.update((step.span.start_line, step.span.end_line))
    count = len(lines)
    return tuple((index, lines[index] if 0 <= index < count else None) for index in sorted(read))
