"""Module-level aliases of `Annotated` types an entry's parameters are annotated with (FastAPI's
documented `CommonsDep = Annotated[dict, Depends(common_parameters)]`, `ItemId = Annotated[int,
Path(ge=1)]`, then `def read(commons: CommonsDep, item_id: ItemId)`): entry_params.py reads the
parameter as if the alias's `Annotated[...]` were written in its place, so a dependency's
return value, a validated type or a pattern it declares apply as they do written inline.

Only an alias of the module itself, bound once at module level (`X = Annotated[...]` or
`X: TypeAlias = Annotated[...]`); one imported from another module of the app, and a Python
3.12 `type X = ...` statement, are not followed."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.annotations import ANNOTATED
from bastion.analyzers.taint.factories import resolve

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env


def annotated_aliases(body: list[ast.stmt], env: Env, kinds: dict[str, str],
                      once: Callable[[str], bool]) -> dict[str, ast.Subscript]:
    """Name -> the `Annotated[...]` it is bound to, of `body`'s statements, the names `once`
    says are bound only there."""
    found: dict[str, ast.Subscript] = {}
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, ast.Subscript) \
                and isinstance(value.slice, ast.Tuple) and once(target.id) \
                and resolve(value.value, env, kinds) in ANNOTATED:
            found[target.id] = value
    return found


def expanded(annotation: ast.expr | None, aliases: dict[str, ast.Subscript] | None) -> ast.expr | None:
    """The annotation, or the `Annotated[...]` the alias it names stands for."""
    if aliases and isinstance(annotation, ast.Name):
        return aliases.get(annotation.id, annotation)
    return annotation
