"""Where the functions' classifications (entries.py) are kept: in the LRU the caller of
`functions_of` (context.py's `module_context`) passes, by the function node and the module's
digest, so that a function the next text of a document leaves alone is not classified again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function


class Classified:
    """Classifications in an LRU, by the function node (kept in the value, so that its id is
    not reused while the entry lives), its class and bases, and the module's digest."""

    def __init__(self, memo: LRU, digest: bytes) -> None:
        self.memo = memo
        self.digest = digest

    def _key(self, function: Function, bases: tuple) -> tuple:
        return (b"classified", id(function.node), function.class_name, bases, self.digest)

    def restore(self, function: Function, bases: tuple) -> bool:
        kept = self.memo.get(self._key(function, bases))
        if kept is None or kept[0] is not function.node:
            return False
        (_, function.entry, function.return_sink, function.tainted_params,
         function.request_params, function.validated_params, function.validated_fields,
         function.pattern_params, function.helper, function.dependencies) = kept
        return True

    def keep(self, function: Function, bases: tuple) -> None:
        self.memo.put(self._key(function, bases), (
            function.node, function.entry, function.return_sink, function.tainted_params,
            function.request_params, function.validated_params, function.validated_fields,
            function.pattern_params, function.helper, function.dependencies))
