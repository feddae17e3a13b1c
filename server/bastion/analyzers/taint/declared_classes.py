"""The classes a service's fields and a helper's parameters are declared to hold (issue 12:
layered apps hand a repository to the service using it): a dataclass's `repo: UserRepository`,
`def __init__(self, repo: UserRepository): self.repo = repo`, `def handle(svc: UserService, q)`.
Read as a clean instance of that class, a method called on it is the class's (summaries.py's
`summary_for`), whatever the caller passed: the annotation says what it is.

Only a class of this module that is no record nor form (a pydantic model's `user: User` holds
the request's data, not a service), or an imported name written as a class is whose module is a
workspace module with that class's `__init__` or bases (a library's `db: Session` stays the
caller's parameter: its models know such objects by what built them).
"""

from __future__ import annotations

import ast
from collections.abc import Container
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS, Value
from bastion.analyzers.taint.nodes import LastCall
from bastion.analyzers.taint.signatures import every

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env
    from bastion.analyzers.taint.context_record import ModuleContext
    from bastion.engine.cache import LRU

_TYPING = ("typing.", "typing_extensions.", "collections.", "builtins.")
_KEY = "declared_classes instance"  # the module's helper_memo key, with the class's name


def declared_fields(definitions: list[ast.stmt], env: Env, records: dict[str, tuple[str, ...]],
                    forms: dict, memo: LRU | None = None) -> dict[str, dict[str, str]]:
    """Class -> {field -> the class its annotation names}: the class's `field: Class`, and the
    fields its `__init__` stores straight from a parameter so annotated (`self.repo = repo`).
    `memo`: keeps each class's annotated fields and stores by its node (`_declarations`), read
    again only in the class a keystroke made anew; what they name is resolved at each text."""
    classes = {d.name for d in definitions if d.__class__ is ast.ClassDef}  # no call a definition
    skipped = classes & (set(records) | set(forms))
    found: dict[str, dict[str, str]] = {}
    last = LastCall(memo, b"declared fields")
    for node in definitions:
        if node.__class__ is not ast.ClassDef:
            continue
        table = {}
        for field, annotation, stores in last.get(node, _declarations):
            if stores is None:  # `field: Class`
                held = declared_class(annotation, env, classes, skipped)
                if held is not None:
                    table[field] = held
            else:
                table.update(_init_stores(stores, env, classes, skipped))
        if table:
            found[node.name] = table
    return found


# (field, annotation, None) of a `field: annotation`; ("", None, (stores, rebound)) of an `__init__`
_Declaration = tuple[str, ast.expr | None, tuple[list[tuple[str, str, ast.expr]], frozenset[str]] | None]


def _declarations(node: ast.AST) -> list[_Declaration]:
    """A class's annotated fields and its `__init__`'s stores of an annotated parameter, in the
    order of its body, before what their annotations name is resolved."""
    found: list[_Declaration] = []
    for item in node.body:  # each told by its class: a class a keystroke made anew is read again
        if item.__class__ is ast.AnnAssign and item.target.__class__ is ast.Name:
            found.append((item.target.id, item.annotation, None))
        elif item.__class__ is ast.FunctionDef and item.name == "__init__":
            stores = _stores(item)
            if stores[0]:
                found.append(("", None, stores))
    return found


def _stores(init: ast.FunctionDef) -> tuple[list[tuple[str, str, ast.expr]], frozenset[str]]:
    """(field, parameter, its annotation) of each `self.repo = repo` among `__init__`'s own
    statements, `repo` an annotated parameter; and the names it binds (a parameter bound again
    holds what it was given no more), walked only for such a store."""
    params = {a.arg: a.annotation for a in every(init.args) if a.annotation is not None}
    found = []
    for item in init.body if params else ():
        if isinstance(item, ast.Assign) and len(item.targets) == 1 \
                and isinstance(target := item.targets[0], ast.Attribute) \
                and isinstance(target.value, ast.Name) and target.value.id == "self" \
                and isinstance(item.value, ast.Name) and item.value.id in params:
            found.append((target.attr, item.value.id, params[item.value.id]))
    if not found:
        return [], frozenset()
    return found, frozenset(n.id for n in ast.walk(init)
                            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))


def declared_class(annotation: ast.expr | None, env: Env, classes: Container[str],
                   skipped: Container[str]) -> str | None:
    """The class `annotation` names: one of this module's (`classes`, but `skipped`), or an
    imported name written as a class (`services.UserService`, `UserService` imported)."""
    if isinstance(annotation, ast.Name) and annotation.id in classes:
        return annotation.id if annotation.id not in skipped else None
    if not isinstance(annotation, (ast.Name, ast.Attribute)):
        return None
    name = env.qualname(annotation)
    if name is None or "." not in name or name.startswith(_TYPING):
        return None
    return name if name.rpartition(".")[2][:1].isupper() else None


def _init_stores(stores: tuple[list[tuple[str, str, ast.expr]], frozenset[str]], env: Env,
                 classes: set[str], skipped: set[str]) -> dict[str, str]:
    """The fields `__init__` stores from a parameter annotated with a class (`_stores`), the
    last store of a field the one kept, but of a parameter it binds again."""
    found = {}
    for field, param, annotation in stores[0]:
        held = declared_class(annotation, env, classes, skipped)
        if held is not None:
            found[field] = (param, held)
    return {field: held for field, (param, held) in found.items() if param not in stores[1]}


def declared_instance(module: ModuleContext, name: str) -> Value | None:
    """A clean instance of the class `name` (declared_class's) for the walk, or None when it is
    an imported class of no workspace module: asked of the store once per analysis."""
    key = (_KEY, name)
    found = module.helper_memo.get(key)
    if found is None:
        known = "." not in name or module.external is not None and (
            module.external(f"{name}.__init__", True) is not None
            or module.external_bases is not None and bool(module.external_bases(name)))
        found = module.helper_memo[key] = Value(clean=EVERY_CLASS, kind=f"{name}()") if known \
            else False
    return found or None


def declared_instances(module: ModuleContext, class_name: str) -> dict[str, Value]:
    """The fields of `class_name` (and of its ancestors of this module) declared to hold an
    instance of a class a method call on them resolves to, as the instances they hold."""
    found: dict[str, Value] = {}
    for cls in reversed(module.lineage(class_name)):
        for field, held in module.declared_fields.get(cls, {}).items():
            instance = declared_instance(module, held)
            if instance is not None:
                found[field] = instance
    return found
