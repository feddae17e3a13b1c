"""The `urls.py` files that may route a Django module's views: those of its folder and of each
folder above it up to the workspace root, and of those folders' direct subfolders (the project
package beside the apps, as `startproject` lays them out: `mysite/urls.py` routing
`polls.views`), and the root URLconf the project's settings name (`ROOT_URLCONF =
"project.routing"`, a module of any name anywhere in the project): the settings module the first
`manage.py` above the view names (`DJANGO_SETTINGS_MODULE`), or one it star-imports relatively
(`from .base import *`), each module found from `manage.py`'s folder as Django's `sys.path` has
it. Read without parsing, for the result-cache key of a warm scan (scan_key.py) as for the
summary store's route index (url_routes.py).
"""

from __future__ import annotations

import os
import re

from bastion.analyzers.taint.modules import ModuleGraph
from bastion.deferred_patterns import deferred
from bastion.digests import blake2b

_URLS = "urls.py"
_NAME = r"""["']([A-Za-z_][\w.]{0,200})["']"""
_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*""" + _NAME)
_ROOT_URLCONF = deferred(r"^ROOT_URLCONF\s*=\s*" + _NAME, re.MULTILINE)
_STAR_IMPORT = deferred(r"^from\s+\.([A-Za-z_]\w*)\s+import\s+\*", re.MULTILINE)
_MAX_STARS = 4  # settings modules a named one star-imports, read for ROOT_URLCONF


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
        root: str | None = None
        while self.graph.resolver.holds(os.path.join(folder, _URLS)):
            files += self._listed(folder)
            if root is None and os.path.isfile(manage := os.path.join(folder, "manage.py")):
                root = self._root_urlconf(manage) or ""
            folder = os.path.dirname(folder)
        return sorted({*files, *([root] if root else [])} - {real})

    def _root_urlconf(self, manage: str) -> str | None:
        """The file of the `ROOT_URLCONF` the settings module `manage` names sets."""
        project = os.path.dirname(manage)
        entry = self.graph.text(manage)
        named = _SETTINGS.search(entry[0]) if entry is not None else None
        settings = _module_file(project, named.group(1)) if named else None
        for _ in range(1 + _MAX_STARS):
            entry = self.graph.text(settings) if settings is not None else None
            if entry is None:
                return None
            found = _ROOT_URLCONF().search(entry[0])
            if found:
                urls = _module_file(project, found.group(1))
                return urls if urls is not None and self.graph.resolver.holds(urls) else None
            star = _STAR_IMPORT().search(entry[0])  # `from .base import *`
            settings = _module_file(os.path.dirname(settings), star.group(1)) if star else None
        return None

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


def _module_file(folder: str, name: str) -> str | None:
    """The file of the module `name` found from `folder` (a module or a package), real."""
    base = os.path.join(folder, *name.split("."))
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate) and not os.path.islink(candidate):
            return os.path.realpath(candidate)
    return None
