"""Publishing a workspace module for the editor's analyses (workspace.py's `prepare`, under
the store's lock): its summaries exported whole, with its record classes' constructors and what
it re-exports, fingerprinted, and the files they were computed from; and the modules of the
classes whose instances its functions return or hold (`services.get_service()` returning
`UserService(UserRepository(conn))`: a caller calls `UserRepository`'s methods through it,
held_calls.py), and of the dependencies its `Annotated` aliases name (type_aliases.py), though
the file prepared imports none of them."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import attrs

from bastion.analyzers.taint.exports import Exports
from bastion.analyzers.taint.workspace_entries import entry_fingerprint, reexported_methods

if TYPE_CHECKING:
    from bastion.analyzers.taint.results import Summary
    from bastion.analyzers.taint.workspace import SummaryStore


def publish(store: SummaryStore, target: str, seen: set[str] | None = None) -> None:
    """Publishes the module at `target` once computed (`store._modules`); nothing for another."""
    module = store._modules.get(target)
    if module is None:
        return
    seen = {target} if seen is None else seen
    store._classes(module)
    exported = module.summaries.all() if isinstance(module.summaries, Exports) \
        else dict(module.summaries)
    exported = {**store._records(module), **exported}
    # `from .cli import build_parser`, and `from .models import Repo`'s methods
    methods = reexported_methods(module, store._module)
    instances = module.exported()[1]  # `user_service = UserService()` of an imported class
    held_methods = [f"{instance}.{method.partition('.')[2]}" for method in methods
                    for instance, cls in instances.items() if cls == method.partition(".")[0]]
    for name in [*module.reexported(), *methods, *held_methods]:
        if (found := store.function(target, name)) is not None:
            exported.setdefault(name, found)
    module.fingerprint = entry_fingerprint(exported, module.classes, module.scoped, module.forms,
                                           module.aliases)
    held = frozenset(t for summary in exported.values() if summary is not None
                     for t in _held_files(summary))
    # and those of the dependencies its aliases name (`from .auth import get_current_user`)
    held = held.union(*map(_named_files, (module.aliases or {}).values())) - {target}
    store._published[target] = attrs.evolve(module, summaries=exported,
                                             closure=store.graph.closure(target), held=held)
    store._dirty.discard(target)
    for other in held - seen:
        if other not in store._published or other in store._dirty:
            seen.add(other)
            store.function(other, "")  # the whole module, as `prepare` computes an import's
            publish(store, other, seen)


def _named_files(alias: ast.Subscript) -> set[str]:
    """The files of the functions and classes an alias names (`Depends(path::get_db)`,
    type_aliases.portable): an importer reads their summaries as it reads this module's."""
    return {node.id.partition("::")[0] for node in ast.walk(alias)
            if isinstance(node, ast.Name) and "::" in node.id}


def _held_files(summary: Summary) -> set[str]:
    """The files of the classes (`path::Class()`) whose instances `summary`'s function returns,
    or its `__init__` stores in fields, to the depth a caller reads them (summaries.shaped)."""
    found: set[str] = set()
    stack = [(summary.returns, 0), *((v, 0) for v in summary.fields.values())]
    while stack:
        value, depth = stack.pop()
        if value.kind is not None and "::" in value.kind:
            found.add(value.kind.partition("::")[0])
        if value.items and depth < 3:
            stack.extend((item, depth + 1) for item in value.items.values())
    return found
