"""The parts of a module context's passes (context.py) that are each a function of one top-level
definition, taken from the last context built for a document: a keystroke makes one definition
anew (the block parser hands back the very nodes of the others, at their places), and a pass
asking every definition again cost argparse.py ~5,400 calls a keystroke for the context.

`kept_parts(memo, tag, key, definitions, part)` is `[part(d) for d in definitions]`, where the
last call under `tag` had an equal `key` (all the part depends on besides its definition: the
import table, the classes' names, the globals' kinds...): with as many definitions, a definition
that is the very node at the same position keeps its last part, the others are asked anew; with
another number, the very nodes of the unchanged start and end keep theirs (`_around`). A
pass joins the parts as it joined its per-definition answers (what depends on the whole module,
a name bound in two places, is in the join, never in a part). The memo's owner (the taint
analyzer, per document) owns the last parts; `forget_parts` drops them with the document.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TypeVar

from bastion.engine.cache import LRU

_T = TypeVar("_T")
_PARTS = (b"context parts",)  # the memo's: tag -> (key, the definitions, their parts)


def kept_parts(memo: LRU | None, tag: bytes, key: object, definitions: list[ast.stmt],
               part: Callable[[ast.stmt], _T]) -> list[_T]:
    """The part of each definition, the last call's for the unchanged ones (see the header)."""
    if memo is None:
        return [part(d) for d in definitions]
    by_tag = memo.get(_PARTS)
    if by_tag is None:
        by_tag = {}
        memo.put(_PARTS, by_tag)
    kept = by_tag.get(tag)
    if kept is None or kept[0] != key:
        parts = [part(d) for d in definitions]
    elif len(kept[1]) == len(definitions):
        last = kept[1]
        parts = list(kept[2])
        for at in [at for at, node in enumerate(definitions) if node is not last[at]]:
            parts[at] = part(definitions[at])
    else:
        parts = _around(kept[1], kept[2], definitions, part)
    # a copy: the caller's list may grow after (module_level's wrappers)
    by_tag[tag] = (key, list(definitions), parts)
    return parts


def _around(last: list[ast.stmt], last_parts: list, definitions: list[ast.stmt],
            part: Callable[[ast.stmt], _T]) -> list[_T]:
    """The parts of `definitions`, another number of them than `last`: the unchanged run of very
    nodes at the start and the one at the end keep their parts (a definition typed or joined
    between them, the others handed back by the block parser), those between are asked anew."""
    shorter = min(len(last), len(definitions))
    head = 0
    while head < shorter and definitions[head] is last[head]:
        head += 1
    tail = 0
    while tail < shorter - head and definitions[-1 - tail] is last[-1 - tail]:
        tail += 1
    ends = len(definitions) - tail
    return [*last_parts[:head], *[part(d) for d in definitions[head:ends]],
            *last_parts[len(last_parts) - tail:]]


def forget_parts(memo: LRU) -> None:
    """The last document's parts go (its nodes with them)."""
    memo.pop(_PARTS)
