"""Publishing a workspace module for the editor's analyses (workspace.py's `prepare`, under
the store's lock): its summaries exported whole, with its record classes' constructors and what
it re-exports, fingerprinted, and the files they were computed from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from bastion.analyzers.taint.exports import Exports
from bastion.analyzers.taint.workspace_entries import entry_fingerprint, reexported_methods

if TYPE_CHECKING:
    from bastion.analyzers.taint.workspace import SummaryStore


def publish(store: SummaryStore, target: str) -> None:
    """Publishes the module at `target` once computed (`store._modules`); nothing for another."""
    module = store._modules.get(target)
    if module is None:
        return
    store._classes(module)
    exported = module.summaries.all() if isinstance(module.summaries, Exports) \
        else dict(module.summaries)
    exported = {**store._records(module), **exported}
    # `from .cli import build_parser`, and `from .models import Repo`'s methods
    for name in [*module.reexported(), *reexported_methods(module, store._module)]:
        if (found := store.function(target, name)) is not None:
            exported.setdefault(name, found)
    module.fingerprint = entry_fingerprint(exported, module.classes, module.scoped, module.forms)
    store._published[target] = attrs.evolve(module, summaries=exported,
                                             closure=store.graph.closure(target))
    store._dirty.discard(target)
