"""Computing one workspace module's summaries for the summary store (workspace.py): its
functions interpreted with the summaries of the modules it imports (outside its import cycle),
and a reader of each global it binds at top level to a source (top_level_sources.py's
`global_readers`), kept as `Exports` in its `ModuleEntry`. The store's state, its lock and
what asks for a summary stay in workspace.py; this runs under its lock.

The module context is built from the module's text as the scan reads it (`ModuleEntry.text`),
as the scan builds it; in a scan, one of them builds it and the other takes a copy
(`SummaryStore.context`): a cold stdlib scan built ~100 contexts twice.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import attrs

from bastion.analyzers.taint.analysis import analyse_module
from bastion.analyzers.taint.context import ModuleContext, module_context
from bastion.analyzers.taint.declared_versions import SHARED as DECLARED
from bastion.analyzers.taint.decorators import drops_arguments
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.exports import Exports
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.summaries import is_property
from bastion.analyzers.taint.top_level_sources import AS_READ, built_readers, global_readers
from bastion.analyzers.taint.workspace_entries import (
    ModuleEntry,
    class_bases,
    imported_aliases,
    imported_forms,
)
from bastion.analyzers.taint.workspace_names import split_name

if TYPE_CHECKING:
    from bastion.analyzers.taint.workspace import SummaryStore


def summarise(store: SummaryStore, module: ModuleEntry, names: set[str] | None = None) -> None:
    """The module's top-level functions, or `names` (`SummaryStore._wanted`) and what they call. What a
    summary holds does not depend on what was asked for first: each is computed from its
    callees' (same-file recursion is cut alike, cycle by cycle)."""
    def lookup(qualified: str, tainted: bool) -> Summary | None:
        target, function = split_name(qualified, module.table)
        if target is None or store.graph.same_cycle(module.path, target):
            return None
        return store.function(target, function, tainted)

    def bases(name: str) -> tuple[str, ...]:
        return class_bases(name, module.table, store._loaded)

    top, instances = module.exported()
    fresh = module.context is None
    if fresh:
        foreign = store.foreign.changed(module.path)
        registrar = store.registrars.match(module.text)
        module.context = store.context(module.path, module.tree, module.table, foreign, registrar)
        if module.context is None:
            aliases = imported_aliases(module.table, store._loaded, store.graph.text)
            module.context = store.keep_context(module.path, module.tree, module.table, foreign, registrar,
                                                module_context(module.tree, store.models, None, bases,
                                                               module.text, registrar, foreign,
                                                               module.lines, aliases))
        # `TARGET = sys.argv[1]`: what `from settings import TARGET` reads, as a function's summary
        readers = {**built_readers(module.tree.body, instances), **global_readers(module.context.top_sources)}
        module.context.functions.extend(Function(node, name) for name, node in readers.items())
    if names is not None and all(n.endswith(AS_READ) and module.context.function_named(n) is None
                                 for n in names):
        return  # a global bound to no source (`db = SQLAlchemy()`, read by its importers): no reader
    forms = imported_forms(module.table, store._loaded, store.graph.text, store.models) \
        if fresh else None
    # one search of the text per package (a generator over every line per package was a
    # million steps in a cold stdlib scan)
    versioned = [p for p in store.models.versioned if p in module.text]
    result = analyse_module(module.tree, store.models, external=lookup if fresh else None,
                            only=top if names is None else names, external_bases=bases,
                            module=module.context, done=module.done, external_forms=forms,
                            declared=DECLARED.of_path(module.path, store.roots, versioned))
    if not isinstance(module.summaries, Exports):
        module.summaries = Exports(module.path, module.lines, module.table, module.context.parents)
    exports = module.summaries
    for outcome in result.outcomes:
        if outcome.function not in top:  # not what another module calls
            continue
        function = module.context.function_named(outcome.function)
        if function is not None and function.node.decorator_list \
                and drops_arguments(module.context, function):
            continue  # its decorator calls it on none of the caller's arguments (decorators.py)
        exports.put(outcome.function, attrs.evolve(outcome.summary, getter=True)
                    if function is not None and function.node.decorator_list and is_property(function)
                    else outcome.summary)
        owner, _, method = outcome.function.partition(".")
        for instance, class_name in instances.items():  # `db = Database()`: `db.query`
            if class_name == owner:
                exports.alias(f"{instance}.{method}", outcome.function)
    module.summarised = names is None


def handed(context: ModuleContext) -> ModuleContext:
    """A copy of `context` as built, which its user may change as analysis.py and `summarise`
    do: they set its fields anew, but `summarise` adds to its functions and the helper paths
    memo holds what one analysis found."""
    mine = copy.copy(context)
    mine.functions = list(context.functions)
    mine.helper_memo = {}
    return mine
