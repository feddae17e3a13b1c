"""How an engine's taint analyzer is given the summary store of a workspace (workspace.py), or
loses it: the front ends (`bastion check`, the workspace scan, the editor's summary service) call
these with the folders they know. Kept apart from the store, which knows nothing of the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bastion.analyzers.taint.workspace import SummaryStore


def attach(engine, roots: Iterable[str], compute: bool = True,
           overlay: Callable[[str], str | None] | None = None,
           previous: SummaryStore | None = None) -> SummaryStore | None:
    """Gives the engine's taint analyzer a store of summaries for the workspace under `roots`
    (None: the engine has no taint analyzer), with what `previous` published that still holds
    (`SummaryStore.carry`) in it before any analysis reads it."""
    for analyzer in engine.analyzers:
        if analyzer.id == "taint":
            store = SummaryStore(roots, analyzer.models, analyzer.version, compute, overlay)
            if previous is not None:
                store.carry(previous)
            analyzer.workspace = store
            return store
    return None


def detach(engine) -> None:
    """The engine's taint analyzer uses no workspace summaries (the editor without folders)."""
    for analyzer in engine.analyzers:
        if analyzer.id == "taint":
            analyzer.workspace = None
