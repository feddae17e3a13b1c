"""What `CalleeMemo` (callees.py) keeps of a function node across texts: its text's digest and
what was found in that text (`NodeRecord`), kept while the block parser hands back the node.
"""

from __future__ import annotations

import ast

import attrs

from bastion import attrs_classes
from bastion.analyzers.taint.text_facts import TextFacts


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
