"""Which entry model owns a class's methods (`owner_of`: the framework calls them on an
instance), and the classes of a file that are views' mixins (`mixed_into`): a mixin's methods run
on the view's instance, so it takes the view's entry (entries.py `functions_of`)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.analyzers.taint.classes import ClassShape
    from bastion.analyzers.taint.entry_models import EntryModel


def owner_of(entries: list[EntryModel], bases: list[str | None]) -> EntryModel | None:
    """The entry model whose framework calls the methods of a class of `bases` on an instance."""
    return next((e for e in entries if e.self_kind is not None
                 and any(b in e.class_bases for b in bases)), None)


def mixed_into(definitions: list[ast.stmt], owner: Callable[[list[str | None]], EntryModel | None],
               shapes: dict[ast.ClassDef, ClassShape]) -> dict[str, list[str | None]]:
    """The classes of the file that views of the file derive from, not views themselves (a
    mixin): each with the bases of those views. The framework calls the mixin's methods on the
    view's instance (its `dispatch`, when the method resolution order finds it first). `owner`:
    `owner_of` the module's entries."""
    mixed: dict[str, list[str | None]] = {}
    for node in definitions:
        # a class told by its node's class, a read, and looked up without a call: each
        # definition at each keystroke
        shape = shapes[node] if node.__class__ is ast.ClassDef and node in shapes else None
        if shape is not None and shape.ancestors and owner(list(shape.bases)):
            for ancestor in shape.ancestors:
                mixed.setdefault(ancestor, []).extend(shape.bases)
    return mixed
