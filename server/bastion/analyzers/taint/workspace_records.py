"""The record classes of a workspace module (dataclasses, attrs classes, named tuples, pydantic
models: classes.record_fields) as the summaries of their generated `__init__`, which the
summary store (workspace.py) serves its importers: `Cmd(cmd=request.args["c"])` in a view of
another module holds each argument in the field it names (instances.construct), as a record of
the view's own module does, instead of the default model's one value for every field. A field
the class validates (`retries: int` of a pydantic model, forms.py) holds no argument's data.
"""

from __future__ import annotations

from bastion.analyzers.taint.context import ClassFacts
from bastion.analyzers.taint.domain import NONE, SAFE, Origin, Value
from bastion.analyzers.taint.results import Summary


def record_summaries(context: ClassFacts) -> dict[str, Summary]:
    """`Class.__init__` -> its summary, for each record class of the module."""
    found: dict[str, Summary] = {}
    for name, fields in context.records.items():
        validated = context.forms[name].clean if name in context.forms else frozenset()
        stored = {field: SAFE if field in validated else Value(
            frozenset({Origin("param", f"parameter `{field}`", 0, param=index)}), known=True)
            for index, field in enumerate(fields)}
        found[f"{name}.__init__"] = Summary(fields, NONE, (), stored)
    return found
