"""Class attributes holding an instance of a class built with constant arguments: Django's
manager (`objects = ProductManager()` in a model, read as `Product.objects`), a service a
class-based view keeps (`finder = services.ProductFinder()`, read as `self.finder`). Read as a
clean instance of that class, a method called on it is the class's (summaries.summary_for: of this
module, or of another workspace module through its summaries), as on `ProductFinder()` itself.

An attribute is such an instance only when nothing may rebind it, as class_constants.py asks of
a constant: its class is bound once in the module and undecorated (a dataclass's or a model
field's default is what its constructor is given), the body binds the name once with a plain
assignment (not an annotated one: a pydantic field), no other class of the module binds it, and
the text never stores, deletes or sets attributes by name (`obj.finder = ...`, `setattr`).
Another module's class only built with no argument, in a class declaring no fields.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.class_constants import (
    class_constant,
    dynamic_text,
    stored_in_text,
    stored_in_tree,
)
from bastion.analyzers.taint.domain import EVERY_CLASS, Value

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env
    from bastion.analyzers.taint.context_record import ModuleContext


def class_instances(definitions: list[ast.stmt], once: Callable[[str], bool], env: Env,
                    text: str | None, tree: ast.Module) -> dict[str, dict[str, str]]:
    """Class -> {attribute -> the qualified name of the class it holds an instance of}; from
    the tree where the text is not known (the summary store's modules), as class_constants.py."""
    if text is not None and dynamic_text(text):
        return {}
    classes = {d.name for d in definitions if d.__class__ is ast.ClassDef}  # no call a definition
    binders: Counter[str] = Counter()
    found: dict[str, dict[str, str]] = {}
    for node in definitions:
        if node.__class__ is not ast.ClassDef:
            continue
        bound = Counter(name for item in node.body for name in _bound(item))
        binders.update(bound)
        if node.decorator_list or not once(node.name):
            continue
        # a class declaring fields (`name = models.CharField(max_length=200)`) is a model or a
        # form: its metaclass makes them the instance's data, another module's class is no service
        fields = any(type(item) is ast.Assign and type(item.value) is ast.Call
                     and type(item.value.func) is ast.Attribute
                     and (item.value.args or item.value.keywords) for item in node.body)
        for item in node.body:
            if type(item) is ast.Assign and len(item.targets) == 1 and type(item.targets[0]) is ast.Name \
                    and bound[item.targets[0].id] == 1:
                held = _built(item.value, env, classes)
                if held is not None and not ("." in held and fields):
                    found.setdefault(node.name, {})[item.targets[0].id] = held
    names = {name for table in found.values() for name in table}
    if not names:
        return {}
    stored = stored_in_text(names, text) if text is not None else stored_in_tree(names, tree)
    kept = {cls: {name: held for name, held in table.items()
                  if name not in stored and binders[name] == 1} for cls, table in found.items()}
    return {cls: table for cls, table in kept.items() if table}


def class_read(module: ModuleContext, class_name: str | None, env: dict, path: str) -> Value | None:
    """A class attribute's constant (class_constants.py), else the instance it holds."""
    if module.class_constants or module.self_constants:
        found = class_constant(module, class_name, env, path)
        if found is not None:
            return found
    return _class_instance(module, class_name, env, path) if module.class_instances else None


def _class_instance(module: ModuleContext, class_name: str | None, env: dict, path: str
                   ) -> Value | None:
    """`Product.objects`, or `self.finder` in a method of the class or of one derived from it
    here: a clean instance of the class it holds (a class of another module only with a
    workspace, whose summaries say what its methods do)."""
    owner, _, name = path.partition(".")
    if "." in name or owner in env and owner != "self":
        return None
    lineage = module.lineage(class_name) if owner == "self" and class_name is not None \
        else (owner,) if owner != "self" else ()
    held = next((table[name] for cls in lineage
                 if (table := module.class_instances.get(cls)) and name in table), None)
    if held is None or "." in held and module.external is None:
        return None
    return Value(clean=EVERY_CLASS, kind=f"{held}()")


def _bound(item: ast.stmt) -> list[str]:
    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [item.name]
    if isinstance(item, ast.Assign):
        return [t.id if type(t) is ast.Name else "*" for t in item.targets]
    if isinstance(item, (ast.AnnAssign, ast.AugAssign)):
        return [item.target.id if type(item.target) is ast.Name else "*"]
    return ["*"]  # a body of more than assignments and definitions: any name may be bound


def _built(value: ast.expr, env: Env, classes: set[str]) -> str | None:
    """The class `value` builds with constant arguments: one of this module, or, with none, an
    imported name (`services.ProductFinder()`) written as a class is."""
    if type(value) is not ast.Call or not all(type(a) is ast.Constant for a in value.args) \
            or not all(k.arg is not None and type(k.value) is ast.Constant for k in value.keywords):
        return None
    func = value.func
    if type(func) is ast.Name and func.id in classes:
        return func.id
    name = env.qualname(func) if not value.args and not value.keywords else None
    return name if name is not None and "." in name and name.rpartition(".")[2][:1].isupper() else None
