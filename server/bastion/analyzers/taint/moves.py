"""A function's analysis where the function moved: an Enter above it shifts its lines, not what
it does.

The function cache (analysis.py) leaves a function's first line out of its key, and its
callees' too (their summaries' fingerprints tell a line by the function holding it: places.py),
so the outcome of the same text with the same inputs is found after lines were inserted or
removed above it or above its callees; `moved` gives it the lines of the new places: every line
it holds (findings' places, their paths' steps, sources, verdicts, the summary's) shifted with
the function holding it, which the cache entry names (`kept`), and its nodes (a hit's sink and
statement) those of the function's new tree at the same place in it. An outcome holding a line
at top level is not taken: the function is analysed again. Without it, an Enter in the middle
of a file of views analysed every view below it again, and an Enter in a long class's first
method every caller of the methods below it (argparse.py: 37 functions).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from bastion.analyzers.taint.domain import Origin, Step, Value
from bastion.analyzers.taint.results import FunctionResult, HeldCall, Hit, Summary
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.places import Places


class _Outside(Exception):
    """A line outside the function, or a node not found in its tree."""


def first_line(node: ast.AST) -> int:
    """The 0-based first line of a definition, its decorators included (above it, the first
    one first: asked for each function at each keystroke)."""
    decorators = getattr(node, "decorator_list", None)
    return (min(node.lineno, decorators[0].lineno) if decorators else node.lineno) - 1


def cached_at(cache: LRU, key: bytes, node: ast.AST, places: Places):
    """The outcome (a FunctionOutcome) `cache` holds for `key`, a function's text and inputs
    but not its place nor its callees' (analysis.py), at the place of the function's node `node`
    and of the callees whose lines it holds (`places`: this text's); None when it holds none,
    or one that cannot be moved."""
    entry = cache.get(key)
    if entry is None:
        return None
    outcome, old, owners = entry
    if old is node and not owners:  # the block parser hands back an unedited function's node
        return outcome
    if any(not name for name, _, _ in owners):
        # a line at top level: an edit between it and the function moves it alone, and nothing
        # tells where it is now (the key holds neither)
        return None
    now = []  # (name, first, last) then and now
    moving = old is not node and first_line(old) != first_line(node)
    for name, first, last in owners:
        span = places.span(name)
        if span is None:  # a callee gone (then its caller's key is another)
            return None
        now.append((name, first, last, *span))
        moving = moving or span[0] != first
    if not moving:
        return outcome
    outcome = moved(outcome, old, node, now)
    if outcome is not None:  # the next text finds it at this place
        cache.put(key, (outcome, node, tuple((name, *span) for name, _, _, *span in now)))
    return outcome


def kept(outcome, node: ast.AST, places: Places) -> tuple:
    """The cache entry of an outcome of the function at `node`: with the spans of the other
    functions whose lines it holds (its callees' steps), ("", line, line) for a line at top level."""
    lo, hi = first_line(node), (node.end_lineno or node.lineno) - 1
    found: dict[int, tuple[str, int, int]] = {}

    def owner(line: int) -> int:
        if not lo <= line <= hi and line not in found:
            found[line] = places.owner(line) or ("", line, line)
        return line

    _Shift(node, node, owner).outcome(outcome)
    return outcome, node, tuple(set(found.values()))


def moved(outcome, old: ast.AST, new: ast.AST, others: list[tuple[str, int, int, int, int]]):
    """`outcome` (a FunctionOutcome of the function at node `old`) for the same function text at
    node `new`, its lines in other functions moved with them (`others`: their name, first and
    last line then and now); None when it holds a line nowhere in them."""
    lo, hi = first_line(old), (old.end_lineno or old.lineno) - 1
    delta = first_line(new) - lo
    # the innermost first: of two spans holding a line, the one starting later
    spans = sorted(((first, last, now - first, now_last) for _, first, last, now, now_last in others),
                   reverse=True)

    def where(line: int) -> int:
        if lo <= line <= hi:
            return line + delta
        for first, last, shift, now_last in spans:
            if first <= line <= last:
                if line + shift > now_last:
                    raise _Outside
                return line + shift
        raise _Outside

    try:
        return _Shift(old, new, where).outcome(outcome)
    except _Outside:
        return None


class _Shift:
    """An outcome's copy with each line given by `where` (which raises `_Outside` for one it
    cannot place), and each node of `old`'s tree by the node at its place in `new`'s."""

    def __init__(self, old: ast.AST, new: ast.AST, where: Callable[[int], int]) -> None:
        self.old, self.new = old, new
        self.line = where
        self.values: dict[int, Value] = {}  # by id: a value shared by several parts stays shared
        self.nodes: dict[int, ast.AST] = {}  # id of a node of `old`'s tree -> `new`'s at its place

    def span(self, line: int, end_line: int) -> tuple[int, int]:
        # an origin made without its end (a parameter's) keeps end_line 0
        return self.line(line), self.line(end_line) if end_line >= line else end_line

    # Origins and steps made directly, not by `attrs.evolve` (a dozen calls each): an Enter above
    # argparse.py's methods moved some 800 of them.
    def origin(self, origin: Origin) -> Origin:
        if origin.path is not None:
            return origin
        line, end_line = self.span(origin.line, origin.end_line)
        return Origin(origin.kind, origin.label, line, origin.col, end_line, origin.end_col,
                      origin.param, None, origin.key)

    def step(self, step: Step) -> Step:
        if step.path is not None:
            return step
        line, end_line = self.span(step.line, step.end_line)
        return Step(line, step.col, end_line, step.end_col, step.note)

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
        """The node at `node`'s place in the new tree: the same text parses to the same tree, so
        the path down to it is the same (found down the nodes whose span holds its own, not by
        walking both trees: an Enter above 45 of argparse.py's functions walked them all)."""
        if node is None or self.old is self.new:
            return node
        found = self.nodes.get(id(node))
        if found is not None:
            return found
        path = _path(self.old, node, _place(node))
        if path is None:
            path = _path(self.old, node, None)  # a node whose span is not its parent's
        if path is None:
            raise _Outside
        found = self.new
        for index in path:
            children = list(ast.iter_child_nodes(found))
            if index >= len(children):
                raise _Outside
            found = children[index]
        if type(found) is not type(node):
            raise _Outside
        self.nodes[id(node)] = found
        return found

    def hit(self, hit: Hit) -> Hit:
        return Hit(hit.sink_class, hit.sink, self.node(hit.node), self.node(hit.statement),
                   self.value(hit.value), tuple(self.step(s) for s in hit.via), hit.vector)

    def result(self, result: FunctionResult) -> FunctionResult:
        seen = {}
        for (line, col, end_line, end_col, sink_class), (sink, whole, upstream) in result.seen.items():
            seen[(self.line(line), col, self.line(end_line), end_col, sink_class)] = (
                sink, whole, None if upstream is None else self.line(upstream))
        return attrs.evolve(result, returns=self.value(result.returns),
                            hits=[self.hit(h) for h in result.hits], held=[self.held(c) for c in result.held],
                            fields={k: self.value(v) for k, v in result.fields.items()}, seen=seen)

    def outcome(self, outcome):
        # the summary's fingerprint, of lines told by their functions (places.py), is kept
        return attrs.evolve(outcome, result=self.result(outcome.result),
                            summary=self.summary(outcome.summary), seen_spans=None)

    def summary(self, summary: Summary) -> Summary:
        return attrs.evolve(summary, returns=self.value(summary.returns),
                            sinks=tuple(self.hit(h) for h in summary.sinks),
                            fields={k: self.value(v) for k, v in summary.fields.items()},
                            proves=tuple(p if p.value is None else attrs.evolve(p, value=self.value(p.value))
                                         for p in summary.proves),
                            with_fields=None if summary.with_fields is None
                            else self.summary(summary.with_fields),
                            held=tuple(self.held(c) for c in summary.held))

    def held(self, call: HeldCall) -> HeldCall:
        return attrs.evolve(call, args=tuple(self.value(v) for v in call.args),
                            keywords=tuple((k, self.value(v)) for k, v in call.keywords),
                            step=self.step(call.step))


def _place(node: ast.AST) -> tuple[int, int, int, int] | None:
    if "lineno" not in node._attributes:  # no place: an `arguments`, a comprehension's `for`
        return None
    return node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0


def _path(root: ast.AST, target: ast.AST, place: tuple[int, int, int, int] | None
          ) -> tuple[int, ...] | None:
    """The indexes of the children (`ast.iter_child_nodes`) leading from `root` to `target`,
    read down the nodes whose place holds `place` (None: every node)."""
    if root is target:
        return ()
    for index, child in enumerate(ast.iter_child_nodes(root)):
        if place is not None:
            at = _place(child)
            if at is not None and (at[:2] > place[:2] or at[2:] < place[2:]):
                continue
        found = _path(child, target, place)
        if found is not None:
            return (index, *found)
    return None
