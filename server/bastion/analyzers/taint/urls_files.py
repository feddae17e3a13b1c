"""The `urls.py` files that may route a Django module's views: those of its folder and of each
folder above it up to the workspace root, and of those folders' direct subfolders (the project
package beside the apps, as `startproject` lays them out: `mysite/urls.py` routing
`polls.views`). Read without parsing, for the result-cache key of a warm scan (scan_key.py) as
for the summary store's route index (url_routes.py).
"""

from __future__ import annotations

import os

from bastion.analyzers.taint.modules import ModuleGraph
from bastion.digests import blake2b

_URLS = "urls.py"


class UrlsFiles:
    """The `urls.py` files near a module (see above), each folder listed once (until `forget`);
    `key`, their identity for a Django module's result-cache key (the store's, and a warm
    scan's, scan_key.py)."""

    def __init__(self, graph: ModuleGraph) -> None:
        self.graph = graph
        self._folders: dict[str, tuple[str, ...]] = {}  # folder -> its urls.py and its subfolders'

    def forget(self) -> None:
        """Files appeared or went: the folders are listed again."""
        self._folders = {}

    def near(self, real: str) -> list[str]:
        files: list[str] = []
        folder = os.path.dirname(real)
        while self.graph.resolver.holds(os.path.join(folder, _URLS)):
            files += self._listed(folder)
            folder = os.path.dirname(folder)
        return sorted(set(files) - {real})

    def key(self, text: str, path: str | None) -> str:
        if path is None or "django" not in text:
            return ""
        files = self.near(self.graph.resolver.real(path))
        parts = [f"{f}\0{entry[1] if (entry := self.graph.text(f)) else '-'}" for f in files]
        return blake2b("\n".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest() \
            if parts else ""

    def _listed(self, folder: str) -> tuple[str, ...]:
        found = self._folders.get(folder)
        if found is None:
            try:
                children = sorted(os.listdir(folder))
            except OSError:
                children = []
            candidates = [os.path.join(folder, _URLS)] + [os.path.join(folder, c, _URLS) for c in children]
            found = self._folders[folder] = tuple(os.path.realpath(c) for c in candidates
                                                  if os.path.isfile(c) and not os.path.islink(c))
        return found
