"""A function's analysis where the function moved: an Enter above it shifts its lines, not what
it does.

The function cache (analysis.py) leaves a function's first line out of its key, so the outcome
of the same text with the same inputs is found after lines were inserted or removed above it;
`moved` gives it the lines of the new place: every line it holds (findings' places, their
paths' steps, sources, verdicts, the summary's) shifted, and its nodes (a hit's sink and
statement) those of the function's new tree at the same place in it. An outcome holding a line
outside the function (a step inside a callee, a store elsewhere) is not moved: the function is
analysed again, as before this reuse. Without it, an Enter in the middle of a file of views
analysed every view below it again.
"""

from __future__ import annotations

import ast

import attrs

from bastion.analyzers.taint.domain import Origin, Step, Value
from bastion.analyzers.taint.results import FunctionResult, Hit, Summary
from bastion.engine.cache import LRU


class _Outside(Exception):
    """A line outside the function, or a node not found in its tree."""


def first_line(node: ast.AST) -> int:
    """The 0-based first line of a definition, its decorators included."""
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))]) - 1


def cached_at(cache: LRU, key: bytes, node: ast.AST):
    """The outcome (a FunctionOutcome) `cache` holds for `key`, a function's text and inputs
    but not its place (analysis.py), at the place of the function's node `node`; None when it
    holds none, or one that cannot be moved."""
    entry = cache.get(key)
    if entry is None:
        return None
    outcome, old = entry
    if old is node or first_line(old) == first_line(node):
        return outcome
    outcome = moved(outcome, old, node)
    if outcome is not None:  # the next text finds it at this place
        cache.put(key, (outcome, node))
    return outcome


def moved(outcome, old: ast.AST, new: ast.AST):
    """`outcome` (a FunctionOutcome of the function at node `old`) for the same function text at
    node `new`; None when it holds a place outside the function."""
    from bastion.analyzers.taint.analysis import FunctionOutcome

    shift = _Shift(old, new)
    try:
        return FunctionOutcome(outcome.function, shift.result(outcome.result),
                               shift.summary(outcome.summary))
    except _Outside:
        return None


class _Shift:
    def __init__(self, old: ast.AST, new: ast.AST) -> None:
        self.old, self.new = old, new
        self.lo, self.hi = first_line(old), (old.end_lineno or old.lineno) - 1
        self.delta = first_line(new) - self.lo
        self.values: dict[int, Value] = {}  # by id: a value shared by several parts stays shared
        self.nodes: dict[int, ast.AST] | None = None

    def line(self, line: int) -> int:
        if not self.lo <= line <= self.hi:
            raise _Outside
        return line + self.delta

    def span(self, line: int, end_line: int) -> tuple[int, int]:
        # an origin made without its end (a parameter's) keeps end_line 0
        return self.line(line), self.line(end_line) if end_line >= line else end_line

    def origin(self, origin: Origin) -> Origin:
        if origin.path is not None:
            return origin
        line, end_line = self.span(origin.line, origin.end_line)
        return attrs.evolve(origin, line=line, end_line=end_line)

    def step(self, step: Step) -> Step:
        if step.path is not None:
            return step
        line, end_line = self.span(step.line, step.end_line)
        return attrs.evolve(step, line=line, end_line=end_line)

    def value(self, value: Value) -> Value:
        done = self.values.get(id(value))
        if done is not None:
            return done
        items = None if value.items is None else {k: self.value(v) for k, v in value.items.items()}
        done = Value(frozenset(self.origin(o) for o in value.taint), value.clean, value.const, items,
                     value.kind, value.prefix, tuple(self.step(s) for s in value.steps),
                     value.modelled, value.known,
                     frozenset((sink_class, self.line(line)) for sink_class, line in value.reported))
        self.values[id(value)] = done
        return done

    def node(self, node: ast.AST | None) -> ast.AST | None:
        if node is None:
            return None
        if self.nodes is None:  # the same text parses to the same tree: nodes pair in walk order
            old, new = list(ast.walk(self.old)), list(ast.walk(self.new))
            if len(old) != len(new):
                raise _Outside
            self.nodes = {id(a): b for a, b in zip(old, new, strict=True)}
        found = self.nodes.get(id(node))
        if found is None:
            raise _Outside
        return found

    def hit(self, hit: Hit) -> Hit:
        return Hit(hit.sink_class, hit.sink, self.node(hit.node), self.node(hit.statement),
                   self.value(hit.value), tuple(self.step(s) for s in hit.via))

    def result(self, result: FunctionResult) -> FunctionResult:
        seen = {}
        for (line, col, end_line, end_col, sink_class), (sink, whole, upstream) in result.seen.items():
            seen[(self.line(line), col, self.line(end_line), end_col, sink_class)] = (
                sink, whole, None if upstream is None else self.line(upstream))
        return attrs.evolve(result, returns=self.value(result.returns),
                            hits=[self.hit(h) for h in result.hits],
                            fields={k: self.value(v) for k, v in result.fields.items()}, seen=seen)

    def summary(self, summary: Summary) -> Summary:
        return attrs.evolve(summary, returns=self.value(summary.returns),
                            sinks=tuple(self.hit(h) for h in summary.sinks),
                            fields={k: self.value(v) for k, v in summary.fields.items()},
                            proves=tuple(p if p.value is None else attrs.evolve(p, value=self.value(p.value))
                                         for p in summary.proves),
                            with_fields=None if summary.with_fields is None
                            else self.summary(summary.with_fields))
