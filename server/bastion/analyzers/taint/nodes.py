"""Every node of a syntax tree, in `ast.walk`'s order (breadth first), for the walks that
read the nodes of some kinds (a set of names, the calls in a function, a count): half the time
of `ast.walk` over the stdlib set's functions, which yields each node from nested generators.

The expression contexts (`Load`, `Store`, `Del`: one shared object per kind, read as a node's
`ctx`) are left out; nothing looks for them as nodes.

Also the memos of such walks: by node (`kept_by_node`), and a long function's by statement,
each kept by its lines (`kept_by_statements`); and, while a one-off scan's analysis runs
(`walks_kept`), every walk by its root (`_WALKS`, owned here, one per thread): the engine's
passes and the summary store's read the same tree (parsing.parse_shared), a function or a
module walked again by each reader (2.1M nodes walked in a cold scan of the 323-file stdlib
tree, 1.16M of them of a root walked before). A scan's trees are never changed once parsed.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar
from weakref import ref


def _node_classes(kind: type) -> list[type]:
    return [kind, *(sub for child in kind.__subclasses__() for sub in _node_classes(child))]


# node class -> the fields that may hold nodes: every class of the `ast` module, so that a
# value is told a node by its class, a set look-up (`isinstance` and `getattr`, calls, were
# half of a walk's: a keystroke walks the function it edited some five times)
_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(f for f in kind._fields if f != "ctx") for kind in _node_classes(ast.AST)}


class _Walks(threading.local):
    # a root (weakly: an entry leaves with its root's tree) -> the nodes under it
    kept: dict[ref[ast.AST], list[ast.AST]] | None = None  # while a scan's analysis runs
    store: dict[ref[ast.AST], list[ast.AST]] | None = None  # across them (a module summarised
    # while a file that imports it is analysed is walked again when it is scanned)


_WALKS = _Walks()


@contextmanager
def walks_kept() -> Iterator[None]:
    """Walks kept by root until the scope ends: only around the analysis of trees that no
    reader changes (a one-off scan's; the editor's block trees are made anew as it types)."""
    if _WALKS.store is None:
        _WALKS.store = {}
    outer, _WALKS.kept = _WALKS.kept, _WALKS.store
    try:
        yield
    finally:
        _WALKS.kept = outer


def nodes(root: ast.AST) -> list[ast.AST]:
    """`root` and every node under it, each once, in `ast.walk`'s order (a list of the
    caller's own)."""
    kept = _WALKS.kept
    if kept is not None:
        below = kept.get(ref(root))
        if below is not None:
            return [root, *below]
    found = [root]
    fields_of = _FIELDS
    for node in found:  # grows while it is read: each node's children are read in turn
        kind = node.__class__
        fields = fields_of[kind] if kind in fields_of else tuple(f for f in kind._fields if f != "ctx")
        values = node.__dict__  # a node's fields are its attributes (absent: one built without it)
        for field in fields:
            value = values[field] if field in values else None
            if value.__class__ is list:
                for item in value:
                    if item.__class__ in fields_of:
                        found.append(item)
            elif value.__class__ in fields_of:
                found.append(value)
    if kept is not None:
        kept[ref(root, kept.pop)] = found[1:]  # not the root itself, which it would keep alive
    return found


def header_nodes(node: ast.ClassDef) -> list[ast.AST]:
    """The nodes of a class outside its body (decorators, bases, keywords): a class's walk is
    theirs and its members', which a long class's new node at each keystroke keeps (blocks.py)."""
    return [child for name, value in ast.iter_fields(node) if name != "body"
            for child in (value if isinstance(value, list) else [value]) if isinstance(child, ast.AST)]


def last_name(node: ast.expr) -> str | None:
    """The name a name or attribute ends with: `log` of `log`, `self.log`, `logs.logger`'s
    `logger`; None for any other expression."""
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


_T = TypeVar("_T")


def kept_by_node(memo, tag: bytes, node: ast.AST, compute: Callable[[ast.AST], _T],
                 moved: bool = False) -> _T:
    """`compute(node)`, kept in `memo` (an LRU, or None) by the node, which the value holds so
    that its id is not reused while the entry lives: the block parser hands back the nodes of
    the blocks a keystroke did not change. `moved`: the value holds no line nor node, so that
    of a node the same text was parsed to at other lines is `node`'s (`twins`)."""
    key = (tag, id(node))
    kept = memo.get(key) if memo is not None else None
    if kept is not None and kept[0] is node:
        return kept[1]
    if moved and memo is not None:
        for twin in twins(memo, node):
            kept = memo.get((tag, id(twin)))
            if kept is not None and kept[0] is twin:
                memo.put(key, (node, kept[1]))
                return kept[1]
    found = compute(node)
    if memo is not None:
        memo.put(key, (node, found))
    return found


def any_kept(memo, tag: bytes, items: list[ast.AST], compute: Callable[[ast.AST], bool],
             moved: bool = False) -> bool:
    """`any(kept_by_node(memo, tag, item, compute, moved) for item in items)`, the answers read
    through `LastCall`: a class a keystroke makes anew holds the nodes of its other members (each
    of _pydecimal.py's Decimal's 125 was looked up in the LRU at every key in one of them)."""
    if memo is None:
        return any(map(compute, items))
    return LastCall(memo, tag, moved).any(items, compute)


class LastCall:
    """`kept_by_node(memo, tag, item, compute, moved)` of each item a call asks, the last call's
    under `tag` read from one dict it kept (a look-up an item, not the LRU's, which moves each
    entry it finds): for the passes asking it of every method at each keystroke."""

    def __init__(self, memo, tag: bytes, moved: bool = False) -> None:
        self._memo, self._tag, self._moved = memo, tag, moved
        # by the node itself (a node is equal to itself alone): a look-up without calls
        self._last: dict[ast.AST, object] = {}
        self._next: dict[ast.AST, object] = {}
        if memo is not None:
            self._last = memo.get((tag, b"last call")) or {}
            memo.put((tag, b"last call"), self._next)

    def get(self, item: ast.AST, compute: Callable[[ast.AST], _T]) -> _T:
        last = self._last
        found = self._next[item] = last[item] if item in last else kept_by_node(
            self._memo, self._tag, item, compute, self._moved)
        return found

    def any(self, items: list[ast.AST], compute: Callable[[ast.AST], bool]) -> bool:
        """`any(self.get(item, compute) for item in items)`, the look-ups inline (a generator's
        step and a `get` an item were ~110 calls a keystroke in a method of _pydecimal.py's
        Decimal, whose class's Content-Type is asked again at each)."""
        last, asked = self._last, self._next
        for item in items:
            found = asked[item] = last[item] if item in last else kept_by_node(
                self._memo, self._tag, item, compute, self._moved)
            if found:
                return True
        return False

    def each(self, items: list[ast.AST], compute: Callable[[ast.AST], _T]) -> list[_T]:
        """`[self.get(item, compute) for item in items]`, the look-ups inline: for a pass over a
        module's every definition (60 functions a keystroke in a file of views), in a list
        display (an `append` a method of _pydecimal.py's Decimal was ~100 calls a keystroke)."""
        last = self._last
        found = [last[item] if item in last else kept_by_node(self._memo, self._tag, item, compute,
                                                               self._moved) for item in items]
        # written after: an answer is read from `_last` alone, so none of the loop reads these
        self._next.update(zip(items, found, strict=True))
        return found


# (TWIN, id(node)) -> (node, the node of the same text at other lines it was parsed after), in
# the analyzer's memo: a block moved by an edit above it is parsed again (block_twins.py)
TWIN = b"moved from"
MAX_TWINS = 8  # twins of twins followed: each edit moving a block makes one more


def twins(memo, node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of the same text `node` was parsed after at other lines, the last first."""
    for _ in range(MAX_TWINS):
        twin = memo.get((TWIN, id(node)))
        if twin is None or twin[0] is not node:
            return
        node = twin[1]
        yield node


def kept_in(memo: dict, tag: str, node: ast.AST, compute: Callable[[ast.AST], _T]) -> _T:
    """`compute(node)`, kept in `memo` (a dict living as long as one analysis: the module
    context's `helper_memo`) by the node itself, for a walk the evaluator asks at each call."""
    key = (tag, node)
    found = memo.get(key)
    if found is None:
        found = memo[key] = compute(node)
    return found


# a function this many lines long or longer is walked statement by statement, each kept by its
# lines: its walk (some 20 us a line) costs more than finding its statements' lines
LONG_LINES = 40


def long_function(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None \
        and node.end_lineno - node.lineno >= LONG_LINES


def kept_by_statements(memo, key: object, node: ast.FunctionDef | ast.AsyncFunctionDef,
                       walk: Callable[[ast.AST], _T],
                       lines_of: Callable[[], Callable[[int, int], str] | None]) -> list[_T]:
    """`walk` of each node of a function's header and of each statement of its body, a
    statement's kept in `memo` under `key` by its lines' text and its columns, which determine its
    tree (it starts at a statement boundary): the block parser makes a new node of the edited
    function, and of all its statements, at each keystroke, so a walk whose answer holds no
    positions walks the statement edited. `lines_of()`: what gives the text of the lines from
    `first` to `last`, or None (not known: the function is walked whole).

    A function met under `key` the first time is walked whole, as one part, and kept from its
    next text on (an edit's): a scan meets each function once, and its statements' keys cost
    it 10-25% more than the whole walks (the stdlib set's long functions)."""
    last: dict[tuple[int, int | None, str], _T] | None = memo.get(key)
    lines = lines_of() if last is not None else None
    if lines is None:
        memo.put(key, {})
        return [walk(node)]
    kept = {}
    parts = [walk(child) for child in header_nodes(node)]
    for statement in node.body:
        at = (statement.col_offset, statement.end_col_offset,
              lines(statement.lineno, statement.end_lineno))
        found = last.get(at)
        if found is None:
            found = walk(statement)
        kept[at] = found
        parts.append(found)
    memo.put(key, kept)  # the function's last statements: a plain dict read, not the LRU's
    return parts
