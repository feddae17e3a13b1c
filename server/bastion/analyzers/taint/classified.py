"""Where the functions' classifications (entries.py) are kept: in the LRU the caller of
`functions_of` (context.py's `module_context`) passes, with the module's digest, so that a
function the next text of a document leaves alone is not classified again.

A module's function or method is kept by its header's text (its lines from the first decorator
to the first line of its body: its name, decorators and parameters, all its classification
reads of it), not by its node: an Enter inside a long class moves every method below it, which
the block parser hands back as new nodes (~186 in `_pydecimal.py`'s `Decimal`, 6-10 ms
classified again). What the classification keeps holds no node nor line. A function without the
module's lines, a nested view or a lambda (whose classification reads names around it the
digest does not cover) is kept by its node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.analyzers.taint.moves import first_line
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    import ast

    from bastion.analyzers.taint.entries import Function


class Classified:
    """Classifications in an LRU, by the function's header text (or its node, kept in the value
    so that its id is not reused while the entry lives), its name, class and bases, and the
    module's digest (which covers what the module around decides: its imports, global kinds,
    the functions it calls and registers, the entry models that apply)."""

    def __init__(self, memo: LRU, digest: bytes, lines: list[str] | None = None) -> None:
        self.memo = memo
        self.digest = digest
        self.lines = lines  # the module's, which its tree's line numbers are of

    def header(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """The definition's lines from its first decorator through its body's first line, or
        None without the module's lines."""
        if self.lines is None:
            return None
        return "\n".join(self.lines[first_line(node):node.body[0].lineno])

    def _key(self, function: Function, bases: tuple, header: str | None) -> tuple:
        place = header if header is not None else id(function.node)
        return (b"classified", place, function.name, function.class_name, bases, self.digest)

    def restore(self, function: Function, bases: tuple, header: str | None = None) -> bool:
        kept = self.memo.get(self._key(function, bases, header))
        if kept is None or header is None and kept[0] is not function.node:
            return False
        (_, function.entry, function.return_sink, function.tainted_params,
         function.request_params, function.validated_params, function.validated_fields,
         function.pattern_params, function.helper, function.dependencies,
         function.response_params) = kept
        return True

    def keep(self, function: Function, bases: tuple, header: str | None = None) -> None:
        self.memo.put(self._key(function, bases, header), (
            function.node if header is None else None, function.entry, function.return_sink,
            function.tainted_params, function.request_params, function.validated_params,
            function.validated_fields, function.pattern_params, function.helper,
            function.dependencies, function.response_params))
