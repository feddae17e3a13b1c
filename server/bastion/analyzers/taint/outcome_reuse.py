"""The last text's function outcomes, taken again at a keystroke where nothing a function's cache
key reads can have changed (issue 12 item 6: a steady key pays for what it changed).

analysis.py finds an unedited function's outcome by its cache key (function_keys.py), which it
makes again at every keystroke for every function it settles: its callees' fingerprints, the
fields other methods of its class set, its helper tests' texts, its class's bases and Content-Type
(~20 us a function, 1.5-2 ms a key over argparse.py's ~80). `LastOutcomes` keeps, per document
(in the analyzer's memo, as context_reuse.py's stores), each settled function's outcome with a
stamp of what that key is made of, by identity where it can be: the same `Function`
(context_reuse.py hands back an unedited node's; its classification is compared, as
`hand_requests` sets part of it anew), the same node of each callee with the very outcome it
settled to in this text, the same decorating functions, under the same module digest and models;
and for a method what its key reads of its class and lineage (bases, Content-Type, form, the
fields their methods set), found once a class and text. The block parser hands back a node only
at its place, so a kept outcome needs no move. A function whose stamp differs is settled as
before; its new outcome makes its callers' stamps differ (their callee's outcome is another
object). Not kept: the module's top-level code (its places are in its key), a function hidden by
a later one of its name, a recursive cycle's members (settled more than once in a text), the
methods of a module defining a class name twice.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.function_keys import class_inputs, classification
from bastion.analyzers.taint.injected_keywords import decorators_of
from bastion.analyzers.taint.top_level_sources import top_level_places
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.callees import CalleeMemo
    from bastion.analyzers.taint.context_record import ModuleContext

_KEY = (b"last outcomes",)


class LastOutcomes:
    """This text's stamps and outcomes, and the last text's of the same module digest."""

    def __init__(self, memo: LRU, module: ModuleContext, models_digest: str) -> None:
        self._memo = memo
        self._module = module
        # where the top-level bindings its functions may read from are (top_level_sources.py):
        # an outcome holding one is taken only where they are as they were (the digest holds
        # their expressions, not their places, and an edit between one and a function moves
        # one alone)
        self.digest = (module.digest, models_digest, top_level_places(module.top_sources))
        last = memo.get(_KEY)
        self._last: dict[str, _Stamp] = last._next if last is not None and last.digest == self.digest \
            else {}
        self._next: dict[str, _Stamp] = {}
        # the module's functions by name and each class's lineage, asked of every function: the
        # module's functions and classes do not change while its analysis runs
        self._by_name = module.by_name()
        self._lineages: dict[str, tuple[str, ...]] = {}
        # each class's node; a class name defined twice: its methods' lineage is the later class's
        self._classes: dict[str, ast.ClassDef] = {}
        self._twice = False
        for function in module.functions:
            node = function.class_node
            if node is not None and self._classes.setdefault(function.class_name, node) is not node:
                self._twice = True
                break

    def find(self, function: Function, callees: list[str], done: dict,
             callees_of: CalleeMemo) -> tuple[object | None, _Stamp | None]:
        """The outcome the last text settled `function` to under the stamp it has now (None when
        the stamps differ), and that stamp (None for a function not kept)."""
        module = self._module
        by_name = self._by_name
        name = function.name
        if self._twice or name == MODULE_BODY or (by_name[name] if name in by_name else None) is not function:
            return None, None
        owner, lineages = function.class_name, self._lineages
        lineage = () if owner is None else lineages[owner] if owner in lineages \
            else lineages.setdefault(owner, module.lineage(owner))
        kept = self._last
        last = kept[name] if name in kept else None
        if last is not None and _unchanged(last, function, callees, done, module, by_name,
                                           self._classes, lineage):
            return last.outcome, last  # the same objects: the same stamp
        named = [by_name.get(c) for c in callees]
        decorators = decorators_of(function, module) if function.node.decorator_list else []
        nodes = tuple(self._classes.get(c) for c in lineage)
        held = (function, *named, *(done.get(c) for c in callees), *decorators, *nodes)
        fixed = (*map(id, held[:len(held) - len(nodes)]), tuple(callees), classification(function),
                 lineage, tuple(map(module.class_forms.get, lineage)))
        same = last is not None and last.fixed == fixed
        # a method of a class a keystroke made anew (an edit in another of its methods): what
        # its key reads of the class, found again
        classes = (class_inputs(function, callees_of, module), callees_of.later(function)) \
            if nodes else ()
        stamp = _Stamp(fixed, tuple(map(id, nodes)), classes, held, callees, len(callees), len(held))
        return (last.outcome if same and last.classes == classes else None), stamp

    def keep(self, function: Function, stamp: _Stamp | None, outcome) -> None:
        if stamp is not None:
            stamp.outcome = outcome
            self._next[function.name] = stamp

    def done(self) -> None:
        """This text's outcomes are what the next text of the document may take."""
        self._last = {}
        self._memo.put(_KEY, self)


@attrs_classes.define
class _Stamp:
    """What a function's key reads: `fixed`, by identity but its callees' names, its
    classification, its lineage and their forms; `nodes`, the ids of its lineage's class nodes,
    and `classes`, what its key reads of them; `held`, the objects the ids stand for, kept."""

    fixed: tuple
    nodes: tuple[int, ...]
    classes: tuple
    held: tuple
    callees: list[str]
    count: int  # `len(callees)` and `len(held)`, read without a call
    size: int
    outcome: object = None


def _unchanged(last: _Stamp, function: Function, callees: list[str], done: dict,
               module: ModuleContext, by_name: dict[str, Function],
               classes: dict[str, ast.ClassDef], lineage: tuple[str, ...]) -> bool:
    """Whether `last` is `function`'s stamp now: its objects the same, read in the order
    `LastOutcomes.find` holds them, the first that differs ending the look (asked of every
    function at each keystroke: loops, not generators; `by_name`, `module.by_name()`;
    `lineage`, its class's)."""
    held, count, size = last.held, last.count, last.size
    if held[0] is not function or last.callees != callees:
        return False
    index = 1
    for callee in callees:  # look-ups without `get`, a call each: ~80 functions a keystroke
        if (by_name[callee] if callee in by_name else None) is not held[index] \
                or (done[callee] if callee in done else None) is not held[index + count]:
            return False
        index += 1
    at = 1 + 2 * count
    # each group read up to the held objects' count, without `len` or `zip` (calls: ~5 a
    # function a keystroke in views.py's 60 views)
    if function.node.decorator_list:
        for decorator in decorators_of(function, module):
            if at == size or decorator is not held[at]:
                return False
            at += 1
    for cls in lineage:
        if at == size or (classes[cls] if cls in classes else None) is not held[at]:
            return False
        at += 1
    # its callees' names are `last.callees`, equal to `callees`
    return at == size and last.fixed[-3:] == (
        classification(function), lineage, tuple(map(module.class_forms.get, lineage)) if lineage else ())


def forget_outcomes(memo: LRU) -> None:
    """The last document's outcomes go (its document closed)."""
    memo.pop(_KEY)
