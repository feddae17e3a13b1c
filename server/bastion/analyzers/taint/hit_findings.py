"""How a taint hit (results.Hit: a source's value reaching a sink) becomes the Finding the
analyzer reports: which origins its rule reports (each source kind at the sink classes its models
list), where it is (at the callee's sink of the same file, else at the call), its message and
confidence, and its flow steps with their columns in characters.

Owner: pure functions of the hit, its rule, the models and the text's lines (analyzer.py).
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
