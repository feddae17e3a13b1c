"""How the taint analyzer is given the summary store of a workspace (workspace.py), or loses
it: `bastion check` and the workspace scan `attach` one that computes summaries when analyses
need them; the editor asks the engine (engine/workspace_summaries.py), which calls
`TaintAnalyzer.summaries` (`editor_summaries`: one computed in the background). Kept apart from
the store, which knows nothing of the engine. Holds no state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bastion.analyzers.taint.workspace import SummaryStore


class EditorStore(SummaryStore):
    """The store in the editor's mode, as the engine sees it (`analyzers.base.Summaries`)."""

    def used(self, text: str, path: str | None) -> bytes | None:
        external = self.external(text, path)
        return external.digest if external is not None else None


def attach(engine, roots: Iterable[str]) -> SummaryStore | None:
    """Gives the engine's taint analyzer a store of summaries for the workspace under `roots`,
    computed when an analysis first needs one (None: the engine has no taint analyzer)."""
    for analyzer in engine.analyzers:
        if analyzer.id == "taint":
            store = SummaryStore(roots, analyzer.models, analyzer.version)
            analyzer.workspace = store
            return store
    return None


def imported_modules(engine, path: str) -> frozenset[str]:
    """The workspace modules the file at `path` imports, as the store `attach` gave the engine
    resolves them (none without one)."""
    for analyzer in engine.analyzers:
        if analyzer.id == "taint" and analyzer.workspace is not None:
            return analyzer.workspace.imported(path)
    return frozenset()


def editor_summaries(analyzer, roots: Sequence[str], texts: Callable[[str], str | None],
                     previous: EditorStore | None = None) -> EditorStore | None:
    """`TaintAnalyzer.summaries` (`Analyzer.summaries`): the analyzer uses a store whose
    summaries only `prepare` computes (none without `roots`), with what `previous` published
    that still holds (`SummaryStore.carry`) in it before any analysis reads it."""
    if not roots:
        analyzer.workspace = None
        return None
    store = EditorStore(roots, analyzer.models, analyzer.version, compute=False, overlay=texts)
    if previous is not None:
        store.carry(previous)
    analyzer.workspace = store
    return store
