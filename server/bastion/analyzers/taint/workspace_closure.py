"""What the texts of a workspace module's import closure name, for the summary store
(workspace.py): a modelled source (`may_source`: whether a summary returning one may be there to
compute), and the packages some model asks the declared version of (`declarations`, a scan's
result-cache key part: declared_versions.py, each module looked up from its own folder).

Owner: the summary store keeps one `ClosureTexts` and calls it under its lock; it owns its memos
(`forget`: the store's imports or texts changed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.analyzers.taint.declared_versions import SHARED as DECLARED
from bastion.analyzers.taint.modules import ModuleGraph, imported_files
from bastion.digests import blake2b

if TYPE_CHECKING:  # the models and the whole taint analysis, which a warm scan's keys need not
    from bastion.analyzers.taint.specs import Models
    from bastion.analyzers.taint.workspace_entries import ModuleEntry


class ClosureTexts:
    def __init__(self, graph: ModuleGraph, models: Models | None) -> None:
        """`models`: None where only `declarations` is asked (a scan's result-cache keys,
        scan_key.py), which reads none of them."""
        self.graph = graph
        self.models = models
        self._sources: dict[str, bool] = {}  # path -> `may_source`
        self._naming: dict[tuple[str, str], list[str]] = {}  # (path, digest) -> `declarations`' packages

    def forget(self) -> None:
        self._sources.clear()

    def may_source(self, path: str) -> bool:
        """Whether the module or one it imports, transitively, may read a modelled source."""
        found = self._sources.get(path)
        if found is None:
            found = self._sources[path] = any(
                (entry := self.graph.text(p)) is not None and self.models.may_read_sources(entry[0])
                for p in sorted(self.graph.closure(path)))
        return found

    def declarations(self, text: str, path: str | None, packages: frozenset[str]) -> bytes:
        """The declarations of the `packages` each module of the closure of what `text` imports
        names (b"": none names one)."""
        parts = []
        files: set[str] = set()
        for target in imported_files(text, path, self.graph.resolver):
            files |= self.graph.closure(target)
        for file in sorted(files):
            entry = self.graph.text(file)
            if entry is None:
                continue
            named = self._naming.get((file, entry[1]))
            if named is None:  # a closure is met again by every module importing it
                named = self._naming[(file, entry[1])] = [p for p in packages if p in entry[0]]
            if named:
                parts.append(DECLARED.of_path(file, self.graph.resolver.limits, named).digest)
        return blake2b(b"".join(parts), digest_size=16).digest() if parts else b""


def naming(modules: dict[str, ModuleEntry], packages: set[str]) -> list[str]:
    """The modules whose text names one of `packages` (some model asks its declared version):
    their summaries depend on the manifests, the editor computes them again when one changes."""
    return [path for path, module in modules.items()
            if any(package in line for package in packages for line in module.lines)]
