"""What `CalleeMemo` (callees.py) keeps of a function node across texts: its text's digest and
what was found in that text (`NodeRecord`), kept while the block parser hands back the node; and
the last text's records by node (`last_records`), in the analyzer's memo as context_reuse.py's
stores, dropped when the document closes.
"""

from __future__ import annotations

import ast

import attrs

from bastion import attrs_classes
from bastion.analyzers.taint.text_facts import TextFacts
from bastion.engine.cache import LRU

_LAST = (b"last text's records",)


@attrs_classes.define
class NodeRecord:
    """A function node's text digest and what was found in its text (`CalleeMemo._record`,
    callees.py)."""

    node: ast.AST  # kept, so that its id is not reused while the record lives
    digest: bytes
    facts: TextFacts | None = None
    stores: frozenset[str] | None = None
    reads: dict[bytes, bool] = attrs.Factory(dict)  # a trigger's digest -> whether it matches
    finds: dict[bytes, frozenset] = attrs.Factory(dict)  # a pattern's digest -> its findall
    # ((the module's shape, the function's dependencies), its callees) of a module-level function
    callees: tuple[tuple, frozenset[str]] | None = None
    # (what else a function's cache key is made of, the key): function_keys.py's `uncached_key`
    key: tuple[tuple, bytes] | None = None


def last_records(memo: LRU | None) -> tuple[dict[ast.AST, NodeRecord], dict[ast.AST, NodeRecord]]:
    """(the last text's records by node, this text's, which the next text takes): a node of the
    last text is one look-up, not the LRU's (a lock and a move, some 6 calls each of a module's
    functions at each new text); by the node itself, equal to itself alone."""
    if memo is None:
        return {}, {}
    last = memo.get(_LAST) or {}
    kept: dict[ast.AST, NodeRecord] = {}
    memo.put(_LAST, kept)
    return last, kept


def forget_records(memo: LRU) -> None:
    """The last document's records go (its document closed)."""
    memo.pop(_LAST)
