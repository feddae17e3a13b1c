"""What the summary store's indexes derive from a workspace module's text (the Flask hooks it
registers, scoped_hooks.py; the Django routes it declares, url_routes.py), kept until the text
changes: by the digest the module graph gives it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from bastion.analyzers.taint.modules import ModuleGraph

T = TypeVar("T")


class DigestMemo(Generic[T]):
    """`make(path, text)` of each module asked for, `missing` for an unreadable one."""

    def __init__(self, graph: ModuleGraph, make: Callable[[str, str], T], missing: T) -> None:
        self.graph = graph
        self.make = make
        self.missing = missing
        self._kept: dict[str, tuple[str, T]] = {}  # path -> (its text's digest, what was made)

    def of(self, path: str) -> T:
        entry = self.graph.text(path)
        if entry is None:
            return self.missing
        kept = self._kept.get(path)
        if kept is None or kept[0] != entry[1]:
            kept = self._kept[path] = (entry[1], self.make(path, entry[0]))
        return kept[1]
