"""Module-level aliases of `Annotated` types an entry's parameters are annotated with (FastAPI's
documented `CommonsDep = Annotated[dict, Depends(common_parameters)]`, `ItemId = Annotated[int,
Path(ge=1)]`, then `def read(commons: CommonsDep, item_id: ItemId)`): entry_params.py reads the
parameter as if the alias's `Annotated[...]` were written in its place, so a dependency's
return value, a validated type or a pattern it declares apply as they do written inline.

An alias bound once at module level: `X = Annotated[...]`, `X: TypeAlias = Annotated[...]`,
`X = TypeAliasType("X", Annotated[...])` or Python 3.12's `type X = Annotated[...]` (FastAPI
unwraps a `TypeAliasType` since 0.128.2). One of another workspace module of the app (`from
.deps import CommonsDep`, the full-stack template's `api/deps.py`) comes through the summary store
(workspace_entries.imported_aliases), made `portable` by its module: each name it holds
qualified there, a function or class of the workspace named by its file (`path::name`, as
workspace_names.split_name reads it), so the importer resolves it without importing what the
alias's module imports, and `Depends(common_parameters)` reads that function's summary."""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.annotations import ANNOTATED
from bastion.analyzers.taint.factories import resolve

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env

_TYPE_ALIAS = getattr(ast, "TypeAlias", None)  # Python 3.12+
_ALIAS_TYPES = frozenset({"typing.TypeAliasType", "typing_extensions.TypeAliasType"})


def annotated_aliases(body: list[ast.stmt], env: Env, kinds: dict[str, str],
                      once: Callable[[str], bool]) -> dict[str, ast.Subscript]:
    """Name -> the `Annotated[...]` it is bound to, of `body`'s statements, the names `once`
    says are bound only there."""
    found: dict[str, ast.Subscript] = {}
    for node in body:  # each told by its class (no call: the module's are read at each keystroke)
        kind = node.__class__
        if kind is ast.Assign or kind is ast.AnnAssign:
            value = node.value
            # only a subscript or a call can be an alias: no `len` call for any other value
            if value.__class__ is not ast.Subscript and value.__class__ is not ast.Call \
                    or kind is ast.Assign and len(node.targets) != 1:
                continue
            target = node.targets[0] if kind is ast.Assign else node.target
        elif _TYPE_ALIAS is not None and kind is _TYPE_ALIAS and not node.type_params:
            target, value = node.name, node.value
        else:
            continue
        if value.__class__ is ast.Call and len(value.args) == 2 \
                and resolve(value, env, kinds) in _ALIAS_TYPES:  # `TypeAliasType("X", ...)`
            value = value.args[1]
        if target.__class__ is ast.Name and value.__class__ is ast.Subscript \
                and value.slice.__class__ is ast.Tuple and once(target.id) \
                and resolve(value.value, env, kinds) in ANNOTATED:
            found[target.id] = value
    return found


def portable(aliases: dict[str, ast.Subscript], env: Env, kinds: dict[str, str],
             workspace: Callable[[str], tuple[str | None, str]], path: str,
             defined: Callable[[str], bool]) -> dict[str, ast.Subscript]:
    """`aliases` of the module at `path` as another module reads them: each name or attribute
    chain one name holding its qualified name (`fastapi.Path`), or `file::name` for what the
    module defines (`defined`) or imports from a workspace file (`workspace`: split_name over
    its import table)."""
    def qualified(node: ast.expr) -> ast.Name | None:
        if isinstance(node, ast.Name) and defined(node.id) and node.id not in env.aliases:
            return ast.Name(f"{path}::{node.id}", ast.Load())
        name = resolve(node, env, kinds)
        if name is None:
            return None
        target, function = workspace(name)
        return ast.Name(f"{target}::{function}" if target is not None else name, ast.Load())

    class Qualify(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.expr:
            return qualified(node) or node

        def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
            return qualified(node) or self.generic_visit(node)

    return {name: Qualify().visit(copy.deepcopy(alias)) for name, alias in aliases.items()}


def written_aliases(env: Env, imported: dict[str, ast.Subscript]) -> dict[str, ast.Subscript]:
    """Another module's aliases (`imported`, by their qualified names: `deps.CommonsDep`) by the
    names this module writes them with: `CommonsDep` after `from .deps import CommonsDep`,
    `d.CommonsDep` after `import app.deps as d`, `deps.CommonsDep` after `from . import deps`."""
    found = dict(imported)
    for local, name in env.aliases.items():
        if name in imported:
            found[local] = imported[name]
        else:
            found.update((local + key[len(name):], alias) for key, alias in imported.items()
                         if key.startswith(name + "."))
    return found


def expanded(annotation: ast.expr | None, aliases: dict[str, ast.Subscript] | None) -> ast.expr | None:
    """The annotation, or the `Annotated[...]` the alias it names stands for."""
    if not aliases:
        return annotation
    if isinstance(annotation, ast.Name):
        return aliases.get(annotation.id, annotation)
    if isinstance(annotation, ast.Attribute) and isinstance(annotation.value, ast.Name):
        return aliases.get(f"{annotation.value.id}.{annotation.attr}", annotation)  # `deps.ItemId`
    return annotation
