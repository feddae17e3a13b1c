"""How a file's qualified names reach the functions of another workspace module (workspace.py):
what that module exports to its importers and what it only re-exports, the workspace file a
qualified name is in and its name there, the functions a call names, and what a file's calls and
classes name (the summaries the editor computes for it).
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Collection
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.callbacks import handed_functions
from bastion.analyzers.taint.class_instances import class_instances
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.modules import import_nodes
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.top_level_sources import AS_READ

if TYPE_CHECKING:
    from bastion.analyzers.taint.specs import Models

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def with_local_imports(env: Env, tree: ast.Module, text: str) -> tuple[Env, ...]:
    """`env` (the module's names) and, when a function of `tree` imports, `env` with every
    import of the file folded in: what a call after `from .utils import check` in a function
    names. A superset (one function's import read in another) only widens which summaries the
    editor computes; the evaluator binds each import where it runs."""
    widened = Env(dict(env.aliases), set(env.imports))
    for node in import_nodes(tree, text):
        widened.add_import(node)
    return (env,) if widened.aliases == env.aliases and widened.imports == env.imports else (env, widened)


def exported_names(tree: ast.Module, imported: Collection[str] = ()) -> tuple[set[str], dict[str, str]]:
    """What another module can call: the top-level functions, the methods of top-level classes
    (`Class.method`, static ones too: a summary's parameters are those a call passes, see
    `Function.implicit_params`), and module-level instances of those classes assigned once
    (instance name -> class name), also of a class of `imported` (the names the module only
    imports, `reexported_names`: `user_service = UserService()` of `from .users import
    UserService`, its methods read where the class is), and the calls of the classes and of
    top-level functions that only return a new instance of one, or of a class of `imported`
    (`repository()` -> class name: `repository().by_name`), and the instances class attributes
    hold (`Product.objects` -> `ProductManager`)."""
    functions: set[str] = set()
    classes: set[str] = set()
    for node in tree.body:
        if isinstance(node, _FUNCTIONS):
            functions.add(node.name)
        elif isinstance(node, ast.ClassDef):
            classes.add(node.name)
            functions.update(f"{node.name}.{item.name}" for item in node.body
                             if isinstance(item, _FUNCTIONS))
    candidates = {}
    # `UrlPolicy()`: an instance built of the class itself (`policy = UrlPolicy()` importing it)
    factories = {f"{cls}()": cls for cls in classes}
    factories.update({f"{node.name}()": cls for node in tree.body if isinstance(node, _FUNCTIONS)
                      if (cls := _factory_of(node, classes.union(imported))) is not None})
    # `Product.objects` -> `ProductManager`: a class attribute's instance (class_instances.py)
    once = Counter(node.name for node in tree.body if isinstance(node, ast.ClassDef))
    factories.update({f"{cls}.{attribute}": held for cls, table in class_instances(
        tree.body, lambda name: once[name] == 1, Env({}, set()), None, tree).items()
        for attribute, held in table.items() if held in classes})
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                and (node.value.func.id in classes or node.value.func.id in imported)):
            candidates[node.targets[0].id] = node.value.func.id
    if not candidates:  # most modules: the walk below was 3/4 of the time, 0.6 s on the stdlib set
        return functions, factories
    stores: dict[str, int] = {}  # a name bound anywhere else may hold something else
    for node in nodes(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in candidates:
            stores[node.id] = stores.get(node.id, 0) + 1
    return functions, {**factories, **{name: cls for name, cls in candidates.items() if stores[name] == 1}}


def reexported_names(tree: ast.Module) -> dict[str, str]:
    """The names a module binds only by a top-level `from x import f [as g]` (its own or a
    package `__init__`'s re-export), with the qualified name they stand for there (`cli.f`,
    spelled as `import_table` keys it): a module importing `g` from it calls `f` of `x`."""
    found: dict[str, str] = {}
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            found.update((alias.asname or alias.name, f"{node.module}.{alias.name}")
                         for alias in node.names if alias.name != "*")
        elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            bound.add(node.name)
    if found:  # a name also assigned (anywhere: a function's too, conservatively) may differ
        for node in nodes(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
    return {name: qualified for name, qualified in found.items() if name not in bound}


def _instance_of(node: ast.expr | None, classes: set[str]) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
        return node.func.id
    return None


def _factory_of(function: ast.FunctionDef | ast.AsyncFunctionDef, classes: set[str]) -> str | None:
    """The class of the module a function returns a new instance of at its end and at every other
    return (its nested functions' returns are theirs, not its own); None for any other."""
    last = function.body[-1]
    cls = _instance_of(last.value, classes) if isinstance(last, ast.Return) else None
    if cls is None or isinstance(function, ast.AsyncFunctionDef) \
            or any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in nodes(function)):
        return None
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return) and _instance_of(node.value, classes) != cls:
            return None
        if not isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda, ast.expr)):
            stack.extend(ast.iter_child_nodes(node))
    return cls


def split_name(name: str, table: dict[str, str]) -> tuple[str | None, str]:
    """The workspace file `name` is in and its name there: `pkg.mod.function`, and
    `pkg.mod.Class.method`, `pkg.mod.instance.method` or `pkg.mod.Class.attribute.method`
    (`exported_names`); `path::Class.method`, a class an exported summary names by its file
    (exports.py: `UserService()` returned by services.py's factory)."""
    if "::" in name:
        target, _, function = name.partition("::")
        return target, function
    prefix, _, function = name.rpartition(".")
    if not function:
        return None, function
    target = table.get(prefix)
    if target is None and "." in prefix:
        outer, _, owner = prefix.rpartition(".")
        target = table.get(outer)
        function = f"{owner}.{function}"
        if target is None and "." in outer:  # `pkg.models.Product.objects.search`
            outer, _, owner = outer.rpartition(".")
            target = table.get(outer)
            function = f"{owner}.{function}"
    return target, function


def names_used(tree: ast.Module, text: str, models: Models) -> list[tuple[str, bool]]:
    """(qualified name, whether a class base) of what the summary store computes for a file
    (workspace.prepare), in the order met: the functions its calls name (and a registrar's,
    a thread's or an executor's handed function, callbacks.py), under the module's imports and
    with every import of the file folded in, its classes' bases, and the readers of the
    globals it reads of other modules (`from settings import TARGET`, `settings.TARGET`:
    top_level_sources.AS_READ)."""
    env = module_context(tree, models, text=text).env
    envs = with_local_imports(env, tree, text)
    registrars = models.registrar_names()
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            handed = handed_functions(models, node, env.qualname(node.func))
            for func in [*functions_named(node, registrars), *handed]:
                found.extend((name, False) for name in sorted({e.qualname(func) for e in envs} - {None}))
        elif isinstance(node, ast.ClassDef):
            found.extend((name, True) for base in node.bases if (name := env.qualname(base)) is not None)
        elif isinstance(node, ast.Name) and node.id in env.aliases:  # `from settings import TARGET`
            found.append((env.aliases[node.id] + AS_READ, False))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and (node.value.id in env.aliases or node.value.id in env.imports) \
                and (name := env.qualname(node)) is not None:
            found.append((name + AS_READ, False))  # `settings.TARGET`
    return found


def functions_named(call: ast.Call, registrars: frozenset[str]) -> list[ast.expr]:
    """The function a call calls and, for a registrar's (`Depends(current_user)`), the one it
    hands the framework to call."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr \
        if isinstance(func, ast.Attribute) else None
    return [func, *call.args[:1]] if name in registrars else [func]
