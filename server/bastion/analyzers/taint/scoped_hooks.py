"""Flask's `g` filled by a hook of a module the view's module does not import: what a
`before_request` hook stores there from request data (`g.user_dir = request.args["d"]`) a view
reads back as request data, when the hook's module is one the view's imports or its packages
load in turn (the app's package, which imports the hooks module, in `create_app` too: the import
graph reads imports in functions) and the hook runs for the view: it is registered
on the object the view's module registers its views on (`@app.before_request` and `@app.route`
on the same `app`, `@bp.before_request` and `@bp.get` on the same blueprint), or for every
request of the app (`@bp.before_app_request`, or a hook on a `Flask(...)` object).

Modules the view's module imports directly count whole, any function's stores (scoped.py,
workspace_entries.scoped_stores); this adds the rest of their import closure, hooks only. An
object is named by its defining file and name there (`identity`), as both modules import it.
`HookIndex` keeps each module's `ModuleHooks` for the summary store (workspace.py), under its lock,
and what it publishes of them for the editor's analyses (`published`).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.digest_memo import DigestMemo
from bastion.analyzers.taint.module_level import module_statements
from bastion.analyzers.taint.modules import ModuleGraph, package_inits
from bastion.analyzers.taint.scoped import scoped_stores
from bastion.analyzers.taint.workspace_names import split_name
from bastion.deferred_patterns import deferred

if TYPE_CHECKING:
    from bastion.analyzers.taint.specs import Models
    from bastion.analyzers.taint.workspace_entries import Imports

_HOOKS = frozenset({"before_request", "before_app_request"})
_VIEWS = frozenset({"route", "get", "post", "put", "delete", "patch", "add_url_rule"})
_APPS = frozenset({"flask.Flask", "flask.app.Flask"})
# a module whose text names neither a hook nor a Flask app has neither (most modules: not
# parsed for this)
_MAY_HOOK = deferred(r"\bbefore_(?:app_)?request\b|\bFlask\b")
EVERY_VIEW = ("", "")  # the registrar identity of a hook that runs for every request of the app

Identity = tuple[str, str]  # (defining file, name there)


@attrs_classes.frozen
class ModuleHooks:
    """One module's `before_request` stores into `g` from request data, by the identity of the
    object each hook is registered on, and the names it binds to a `Flask(...)` app."""

    stores: dict[Identity, dict[str, int]]
    apps: frozenset[str]


NO_HOOKS = ModuleHooks({}, frozenset())


class HookIndex:
    """The workspace modules' `ModuleHooks`, each kept by its text's digest; `parsed` gives a
    module's tree and import table (`tree`, `table`: the store's entry), None when unparsable."""

    def __init__(self, graph: ModuleGraph, parsed: Callable[[str], Any], models: Models) -> None:
        self.graph = graph
        self.parsed = parsed
        self.models = models
        self._memo = DigestMemo(graph, self._made, NO_HOOKS)  # each module's hooks
        # a file (as the analysis names it) -> what hooks of modules it does not import store
        # in Flask's `g` for its views (`stores`), for the editor's analyses: set by `publish`,
        # read without the store's lock (one dict read)
        self.published: dict[str, dict[str, tuple[str, int]]] = {}

    def publish(self, path: str | None, imports: Imports, table: dict[str, str]) -> None:
        """What `stores` finds for the file's views, when it reads `g` (the editor's `prepare`)."""
        if imports.flask_g and imports.registrars and table:
            self.published[path or ""] = self.stores(path, imports.registrars, table)
        else:
            self.published.pop(path or "", None)

    def stores(self, path: str | None, registrars: tuple[str, ...] | None,
               table: dict[str, str]) -> dict[str, tuple[str, int]]:
        """What the hooks of the modules the file's imports and its packages load in turn store
        in `g` for its views; the modules it imports directly count whole (`scoped_stores`)."""
        real = os.path.realpath(path) if path else ""
        direct = set(table.values())
        loaded = direct | package_inits([real, *direct] if real else direct, self.graph.resolver)
        closure = set().union(*(self.graph.closure(t) for t in loaded)) - direct - {real}
        return closure_hooks(real, registrars, table, sorted(closure), self.of)

    def of(self, path: str) -> ModuleHooks:
        return self._memo.of(path)

    def _made(self, path: str, text: str) -> ModuleHooks:
        module = self.parsed(path) if _MAY_HOOK().search(text) is not None else None
        return NO_HOOKS if module is None else module_hooks(module.tree, path, module.table, self.models)


def module_hooks(tree: ast.Module, path: str, table: dict[str, str], models: Models) -> ModuleHooks:
    env = import_env(tree)
    hooks: dict[str, list[ast.stmt]] = {}  # registrar qualname ("" for the app's every request)
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for function in functions.values():
        for decorator in function.decorator_list:
            registrar = _registrar(decorator, _HOOKS, env)
            if registrar is not None:
                hooks.setdefault(registrar, []).append(function)
    for node in tree.body:  # `app.before_request(load_user)`
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and node.value.args:
            registrar = _registrar(node.value.func, _HOOKS, env)
            handed = node.value.args[0]
            if registrar is not None and isinstance(handed, ast.Name) and handed.id in functions:
                hooks.setdefault(registrar, []).append(functions[handed.id])
    stores = {}
    for registrar, hooked in hooks.items():
        found = scoped_stores(hooked, env, models)
        if found:
            key = EVERY_VIEW if not registrar else identity(registrar, path, table)
            if key is not None:
                stores.setdefault(key, {}).update(found)
    apps = frozenset(t.id for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
                     and env.qualname(n.value.func) in _APPS for t in n.targets if isinstance(t, ast.Name))
    return ModuleHooks(stores, apps)


def view_registrars(tree: ast.Module) -> tuple[str, ...]:
    """The objects (qualified names) the module's top-level functions are registered on as views
    (`@app.route`, `@bp.get`, `bp.add_url_rule(...)`), sorted."""
    env = import_env(tree)
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call):
                    found.add(_registrar(decorator.func, _VIEWS, env) or "")
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            found.add(_registrar(node.value.func, _VIEWS, env) or "")
    return tuple(sorted(found - {""}))


def identity(name: str, path: str, table: dict[str, str]) -> Identity | None:
    """The file that defines the object `name` (a module's qualified name for it) and its name
    there: its own module's for a plain name."""
    if "." not in name:
        return path, name
    target, inside = split_name(name, table)
    return (target, inside) if target is not None and "." not in inside else None


def closure_hooks(path: str, registrars: Iterable[str] | None, table: dict[str, str],
                  closure: Iterable[str], hooks_of: Callable[[str], ModuleHooks]
                  ) -> dict[str, tuple[str, int]]:
    """Attribute of `g` -> (file, 0-based line) of the first store of request data into it by a
    hook of a module of `closure` (sorted; the view's module's own and its direct imports are
    counted elsewhere) that runs for the views registered on `registrars` (None: any)."""
    wanted = None if registrars is None else {identity(r, path, table) for r in registrars} - {None}
    if wanted == set():
        return {}
    found: dict[str, tuple[str, int]] = {}
    for module in closure:
        for (file, name), stores in hooks_of(module).stores.items():
            if wanted is None or (file, name) == EVERY_VIEW or (file, name) in wanted \
                    or name in hooks_of(file).apps:
                for attribute, line in stores.items():
                    found.setdefault(attribute, (module, line))
    return found


def _registrar(node: ast.expr, methods: frozenset[str], env: Env) -> str | None:
    """`app` of `app.before_request` ("" for `before_app_request`: every request of the app)."""
    if not isinstance(node, ast.Attribute) or node.attr not in methods:
        return None
    if node.attr == "before_app_request":
        return ""
    return env.qualname(node.value)


def import_env(tree: ast.Module) -> Env:
    """The names the module's top-level imports bind, all a hook or a route needs resolved."""
    env = Env({}, set())
    for node in module_statements(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            env.add_import(node)
    return env
