"""A text's call-graph plan (callgraph.py's `closure` and `components` of the sets analysis.py
asks for), taken from the last text's where the functions its walks reached call what they
called (issue 12 item 6: a key pays for the edges it changed). A walk's answer is a function of
where it starts and of the callees of the functions it reaches alone: where each of those, in
the order the walk reached them, has the callees it had, the answer is the last one, and it is
taken without walking (the walks made some 1,000 calls a key on argparse.py). The first
function whose callees differ ends the look and the walk is made anew: each function looked at
before it is one the new walk reaches too (the walk reached it from the same start through
functions whose callees are the same), so no function's callees are found that the walk would
not have found. `callers` (which functions call some) asks the facts only of the functions
whose nodes the last text's search for the same names did not meet: a node holds the same text,
hence the same facts, as callee_records.py's records. A module defining a function name twice
is planned so too: a name's callees are its last definition's, and each definition's facts its
own node's, whichever is asked first (callees.py).

Owner: `Plan` is built per analysed text by analysis.py; the last text's walks are kept in the
analyzer's memo (the LRU of callees.py's facts, as outcome_reuse.py's outcomes), for the next
text of the document, and dropped when it closes.
"""

from __future__ import annotations

from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.callgraph import callers, closure, components
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.entries import Function
from bastion.engine.cache import LRU

_KEY = (b"last plan",)
_CLOSURE, _COMPONENTS, _CALLERS = 0, 1, 2


class Plan:
    """This text's walks by what they started from, and the last text's."""

    def __init__(self, memo: LRU | None, module: ModuleContext, callees_of: CalleeMemo) -> None:
        self._memo = memo
        self._module = module
        self._callees_of = callees_of
        last = memo.get(_KEY) if memo is not None else None
        self._last: dict[tuple, tuple] = last._next if last is not None else {}
        self._next: dict[tuple, tuple] = {}

    def closure(self, names: set[str]) -> set[str]:
        """callgraph.py's `closure(names)`."""
        if self._memo is None:
            return closure(names, self._module, self._callees_of)
        key = (_CLOSURE, frozenset(names))
        last = self._last[key] if key in self._last else None
        if last is None or not self._same_callees(last[1]):
            seen: dict = {}
            last = (closure(names, self._module, self._callees_of, seen), seen)
        self._next[key] = last
        return set(last[0])  # the caller's to change

    def callers(self, names: list[str], done: dict) -> set[str]:
        """callgraph.py's `callers(names, ..., done)`, asking the facts of the functions whose
        nodes the last text's search for the same names did not meet (per node: its text's)."""
        module = self._module
        if self._memo is None:
            return callers(names, module, self._callees_of, done)
        short = frozenset({name.rsplit(".", 1)[-1] for name in names})
        key = (_CALLERS, short)
        last = self._last[key] if key in self._last else None
        calls = self._next.setdefault(key, {})
        return callers(names, module, self._callees_of, done, last, calls, short)

    def components(self, wanted: set[str]) -> list[tuple[list[Function], bool]]:
        """callgraph.py's `components(wanted)`, each with whether it is a cycle: several
        functions, or one calling itself (its callees the walk's, read without a call each)."""
        module = self._module
        key = (_COMPONENTS, frozenset(wanted))
        last = self._last[key] if key in self._last else None
        if last is not None and self._same_roots(last[2], wanted) and self._same_callees(last[1]):
            self._next[key] = last
            named = module.by_name()
            # a component's first member, and its others (None for one alone): lists of one
            # made without a call each
            return [([named[first]] if rest is None else [named[name] for name in rest], cycle)
                    for first, rest, cycle in last[0]]
        seen: dict = {}  # each member's callees: the walk reached it
        walked = [(c, len(c) > 1 or c[0].name in seen[c[0].name])
                  for c in components(module, self._callees_of, wanted, seen)]
        if self._memo is not None:
            self._next[key] = ([(c[0].name, None if len(c) == 1 else [f.name for f in c], cycle)
                                for c, cycle in walked],
                               seen, [f.name for f in module.functions if f.name in wanted])
        return walked

    def done(self) -> None:
        """This text's walks are what the next text of the document may take."""
        if self._memo is not None:
            self._last = {}
            self._memo.put(_KEY, self)

    def _same_callees(self, seen: dict) -> bool:
        """Whether each function `seen` holds, in its order, calls what it holds (as the walks
        ask: callees_of's found set, else found now; none for a name no function has)."""
        kept = self._callees_of.found
        named = self._module.by_name()
        callees_of = self._callees_of
        for name, was in seen.items():
            if (kept[name] if name in kept else callees_of(named[name]) if name in named else ()) != was:
                return False
        return True

    def _same_roots(self, roots: list[str], wanted: set[str]) -> bool:
        """Whether the module's functions of `wanted` are `roots`, in that order: where the
        components' walk starts each tree."""
        count, at = len(roots), 0
        for function in self._module.functions:
            if function.name in wanted:
                if at == count or roots[at] != function.name:
                    return False
                at += 1
        return at == count


def forget_plan(memo: LRU) -> None:
    """The last document's walks go (its document closed)."""
    memo.pop(_KEY)
