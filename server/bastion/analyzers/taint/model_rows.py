"""The row a Django query selects, as an instance of its model class: `get_object_or_404(Post,
pk=pk)`, `Post.objects.get(slug=slug)`, `Post.objects.filter(...).first()`. A method called on
it is the class's (summaries.summary_for: of this module, or of another workspace module through
its summaries), as on `Post()`; its fields are what the database holds, not the values it was
selected by (the models' sanitizer of `get_object_or_404`, method_calls.py's keyword reads), so
the instance holds no data of the caller's.

Only a name bound to a class of this module or imported from another module, read through the
manager Django adds to every model (`objects`) and the query methods returning a query set; a
custom manager's own methods may return anything.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS, Value

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# a query set's methods returning one row (`create` is left to the default model: the instance
# holds the values it was given)
ROW_READS = frozenset({"get", "first", "last", "earliest", "latest"})
ROW_SHORTCUTS = frozenset({"django.shortcuts.get_object_or_404"})
# a query set's methods returning a query set of the same model
_QUERY_SETS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related",
                         "using", "only", "defer", "annotate", "distinct", "reverse", "select_for_update"})


def model_row(ev: Evaluator, node: ast.Call, name: str | None) -> Value | None:
    """A clean instance of the model class the call `node` (resolved as `name`) selects a row
    of, or None for any other call."""
    func = node.func
    if name in ROW_SHORTCUTS:
        model = node.args[0] if node.args else None
    elif type(func) is ast.Attribute:
        # `Post.objects.filter(...).order_by(...).first()`: down to the manager
        query = func.value
        while type(query) is ast.Call and type(query.func) is ast.Attribute \
                and query.func.attr in _QUERY_SETS:
            query = query.func.value
        model = query.value if type(query) is ast.Attribute and query.attr == "objects" else None
    else:
        return None
    if type(model) is not ast.Name or ev.env is not None and model.id in ev.env:
        return None
    if model.id in ev.module.class_bases:
        return Value(clean=EVERY_CLASS, kind=f"{model.id}()")
    qualified = ev.qualname(model) if ev.module.external is not None else None
    return Value(clean=EVERY_CLASS, kind=f"{qualified}()") if qualified and "." in qualified else None
