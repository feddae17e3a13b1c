"""One flaw, one finding (issue 12): the value a sink call returns, when every part of it reached
that sink, carries the finding reported there (`Value.reported`: sink class, 0-based line), and
a later sink of the same class reads it as already reported. `msg = mark_safe("%s" % q)` then
`HttpResponse(msg)` is one cross-site scripting flaw, reported where the unescaped markup is
made; `code = compile(src, ...)` then `exec(code)` one code injection, at `compile`.

This is not "clean": the flaw is there. Only the hit is left out; the sink's verdict for bandit's
pattern finding (verdicts.py) is judged as before, and names the upstream line, so that a pattern
finding on the second call is replaced by the finding that reports the flow (never retracted
without one). A value joined with data that did not pass the first sink is not reported
(domain.join keeps only what both sides reported), nor is one read from another module's summary
(its lines are not this file's: exports.py)."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.domain import Value


def upstream_line(value: Value, sink_class: str) -> int | None:
    """The line of the finding that already reports `value`'s flow into a `sink_class` sink."""
    if not value.reported:  # most values: no list made
        return None
    lines = [line for reported, line in value.reported if reported == sink_class]
    return min(lines) if lines else None


def with_reported(value: Value, node: ast.Call, hits: list) -> Value:
    """The result of the sink call `node`, `hits` the hits recorded since it started: it carries
    the findings reported at `node` when every origin of it reached the sink there."""
    if not value.taint:
        return value
    found = set()
    for hit in hits:
        if hit.node is node and value.taint <= hit.value.taint:
            line = _finding_line(hit)
            if line is not None:
                found.add((hit.sink_class, line))
    if not found or found <= value.reported:
        return value
    return value.evolve(reported=value.reported | found)


def _finding_line(hit) -> int | None:
    """Where the hit's finding is (hit_findings.hit_finding): at the callee's sink for one reached
    through a summary of this file; none known for another module's."""
    if hit.via:
        sink = hit.via[-1]
        return sink.line if sink.path is None else None
    return hit.node.lineno - 1
