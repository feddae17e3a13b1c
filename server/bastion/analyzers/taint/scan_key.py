"""The taint analyzer's result-cache key part for a file, told without loading the analyzer (a
warm scan is served from the cache before any analyzer is loaded: scan.py's `_from_cache`),
joined as `TaintAnalyzer.dependency_key` joins it: the identity of the workspace modules the
file imports (modules.py), of the templates it renders (template_files.py), of the versions of
packages its project declares and those of the projects of the modules it imports
(declared_versions.py), the names other modules change in place (foreign_changes.py), and the
`urls.py` files near a Django module (url_routes.py).
Manifests and templates are read through the same stamp-keyed caches as the analysis (`SHARED`
for the declarations).

Owner: `ScanKeys`, one per lookup pass of the scan.
"""

from __future__ import annotations

import threading

from bastion.analyzers.rule_tables import folder_tables
from bastion.analyzers.taint.declared_versions import SHARED as DECLARED
from bastion.analyzers.taint.foreign_changes import ForeignChanges, foreign_key
from bastion.analyzers.taint.modules import ModuleGraph, ModuleResolver, dependency_key
from bastion.analyzers.taint.template_files import TemplateFiles
from bastion.analyzers.taint.urls_files import UrlsFiles
from bastion.analyzers.versions import taint_models_dir
from bastion.package_names import pep503_name


def versioned_packages(models: list | None = None) -> frozenset[str]:
    """The packages the shipped models' `before` conditions name (`Models.versioned`), read
    from the parsed tables the model loader caches; a malformed condition the loader would
    refuse may be counted: it only costs a manifest lookup in the key. `models`: the models
    folder's `toml_files`, when the caller has read them."""
    found = set()
    for _, table, _ in folder_tables(taint_models_dir(), models):
        for items in (table or {}).values():
            for item in items if isinstance(items, list) else ():
                before = item.get("before") if isinstance(item, dict) else None
                if isinstance(before, dict) and isinstance(before.get("package"), str):
                    found.add(pep503_name(before["package"]))
    return frozenset(found)


class ScanKeys:
    def __init__(self, roots: tuple[str, ...], models: list | None = None) -> None:
        self.graph = ModuleGraph(ModuleResolver(roots)) if roots else None
        # the roots as the analyzer's summary store holds them (real paths)
        self.roots = self.graph.resolver.limits if self.graph is not None else ()
        self.versioned = versioned_packages(models)
        self._templates = TemplateFiles()
        self._closures = None  # made for the first file importing a workspace module
        self._foreign: ForeignChanges | None = None  # made for the first file
        self._urls = UrlsFiles(self.graph) if self.graph is not None else None

    def _known_imports(self, text: str, path: str) -> tuple[str, ...] | None:
        """The files `text` imports, as the graph remembers them for the file when it read the
        same text (ForeignChanges reads every file of the roots through it)."""
        real = self.graph.resolver.real(path)
        entry = self.graph.text(real)
        return self.graph.deps(real) if entry is not None and entry[0] == text else None

    def _imported(self, text: str, path: str) -> bytes:
        if self._closures is None:
            # without the models (specs.py, ~10 ms to import): `declarations` reads none of them
            from bastion.analyzers.taint.workspace_closure import ClosureTexts

            self._closures = ClosureTexts(self.graph, None)
        return self._closures.declarations(text, path, self.versioned)

    def key(self, text: str, path: str) -> str:
        key = dependency_key(self.graph, text, path, self._known_imports(text, path)) \
            if self.graph is not None else ""
        imported = self._imported(text, path) if key and self.versioned else b""
        if self.graph is not None:
            if self._foreign is None:
                self._foreign = ForeignChanges(self.graph, threading.RLock(), True)
            key += foreign_key(self._foreign.changed(path))
        return key + self._templates.of_module(text, path, self.roots).digest.hex() \
            + DECLARED.of_module(text, path, self.roots, self.versioned).digest.hex() + imported.hex() \
            + (self._urls.key(text, path) if self._urls is not None else "")
