"""Nested request bodies (issue 12): a field of a body model typed with another model of the
module (`customer: Customer`, `lines: list[Line]`, `address: Address | None`) is validated field
by field as the body is, so `order.customer.age` of `age: int` is a number and so is `line.qty`
of each line. entries.py keeps a body's clean fields as paths (`customer.age`, `lines[].qty`: `[]`
for each element), parameters.py gives the body's value items holding them."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.annotations import annotated_type, element_type, optional_type, validated
from bastion.analyzers.taint.classes import model_fields
from bastion.analyzers.taint.domain import ANY, SAFE, Value
from bastion.analyzers.taint.factories import resolve

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env
    from bastion.analyzers.taint.classes import ClassShape
    from bastion.analyzers.taint.entry_models import EntryModel

_DEPTH = 4  # models nested deeper keep their fields the request's


def clean_paths(body: dict[str, ast.expr], entry: EntryModel, env: Env, kinds: dict[str, str],
                classes: dict[str, ClassShape], depth: int = _DEPTH,
                seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """The paths of the body's fields that its annotations validate into data no injection fits
    in, through the models of the module its fields are typed with (a model met again, a
    recursive `children: list[Node]`, is not walked twice)."""
    paths: set[str] = set()
    for name, kind in body.items():
        if validated(kind, entry.clean_annotations, env, kinds, classes):
            paths.add(name)
            continue
        model = optional_type(annotated_type(kind, env, kinds), env, kinds)
        element = element_type(model, env, kinds)
        inner = element if element is not None else model
        found = resolve(inner, env, kinds) if inner is not None and depth > 1 else None
        fields = model_fields(found, classes, entry.validated_models) if found not in seen else None
        if fields and found is not None:
            prefix = name + ("[]" if element is not None else "")
            paths.update(f"{prefix}.{path}" for path in
                         clean_paths(fields, entry, env, kinds, classes, depth - 1, seen | {found}))
    return frozenset(paths)


def nested_items(paths: frozenset[str] | tuple[str, ...], body: Value) -> dict[str, Value]:
    """The items of a body whose clean field paths are `paths`: a clean field SAFE, a nested
    model (or each element of a list of them) the body's value, still the request's, holding
    its own clean fields."""
    items: dict[str, Value] = {}
    nested: dict[str, set[str]] = {}
    for path in paths:
        head, dot, rest = path.partition(".")
        if dot:
            nested.setdefault(head, set()).add(rest)
        else:
            items[head] = SAFE
    for head, rests in nested.items():
        inner = body.evolve(items=nested_items(frozenset(rests), body))
        if head.endswith("[]"):
            items[head[:-2]] = body.evolve(items={ANY: inner})
        else:
            items[head] = inner
    return items
