"""Django's URL patterns, declared in a `urls.py` the view's module does not import (the
`urls.py` imports the views): what each route's converter lets into a view's parameter.
`path("items/<int:pk>/", views.item)` hands `item` a `pk` of digits, `re_path(r"^(?P<year>[0-9]{4})/$",
views.archive)` a `year` of digits; `str`, `path` and `[-\\w]+` hand text. A converter is read as
the pattern Django matches it with, whole, and cleans the sink classes that pattern's characters
cannot break (patterns.cleaned_by, as a `re.fullmatch` test in the view would): `int` every
class, `uuid` all but a program's argument and code, `slug` (and `[-\\w]+`) those its letters,
digits, `-` and `_` cannot break, a path, a shell line, a quoted SQL string, not an argument (an
option: `-rf`); `str` and `path` none that matter; an unknown converter (`register_converter`)
none. A view's parameter is cleaned by what every route naming the view and the parameter
cleans (a view routed with `int` and `str` keeps `str`'s); a route that does not name the
parameter says nothing of it. A route `include(...)`s others under it: what it
captures goes to each of their views too (`path("<str:pk>/", include("shop.urls"))`: the views
of shop/urls.py get a `pk` of text, theirs winning a name both capture), when the including
`urls.py` is one read for the view, also through includes in included ones (the project's
urls.py including shop/urls.py, which includes shop/catalog/urls.py).

DRF routers' registrations are read with them (drf_routers.py): a viewset's lookup captures what
its `lookup_value_regex` matches.

The `urls.py` files read for a view module are those near it (urls_files.py), each kept by its
text's digest. `RouteIndex` is the summary store's (workspace.py), under its lock; `published`
is what the editor's analyses read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from bastion import attrs_classes
from bastion.analyzers.taint.digest_memo import DigestMemo
from bastion.analyzers.taint.drf_routers import Params, Registration, router_registrations, viewset_lookup
from bastion.analyzers.taint.modules import ModuleGraph
from bastion.analyzers.taint.patterns import cleaned_by
from bastion.analyzers.taint.scoped_hooks import import_env
from bastion.analyzers.taint.urls_files import UrlsFiles
from bastion.analyzers.taint.workspace_names import split_name
from bastion.deferred_patterns import deferred

# the view's name in its module ("ItemView" for `ItemView.as_view()`) -> parameter -> the
# sink classes every route naming both cleans
Routes = dict[str, Params]

_ROUTES = {"django.urls.path": False, "django.urls.re_path": True, "django.conf.urls.url": True}
_INCLUDES = frozenset({"django.urls.include", "django.conf.urls.include"})
# Django's own converters, by the pattern it matches their text with (django/urls/converters.py)
_CONVERTERS = {
    "str": r"[^/]+", "int": r"[0-9]+", "slug": r"[-a-zA-Z0-9_]+", "path": r".+",
    "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
}
_PATH_PARAMETER = deferred(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")  # Django's
_GROUP = deferred(r"\(\?P<([A-Za-z_]\w*)>")
# a route is short; a longer regex proves nothing (a hostile urls.py: compiling a 2 MB one takes
# seconds, and each edit of the file reads its routes again)
_MAX_ROUTE = 4096

# the chains of includes read for a view module's routes (`RouteIndex._chains`)
_MAX_CHAINS = 64

# a view's file -> (the view's name there, its parameters) of each route naming one of its views
FileRoutes = dict[str, tuple[tuple[str, Params], ...]]


class RouteIndex:
    """The routes of the workspace's `urls.py` files, each kept by its text's digest; `parsed`
    gives a module's tree and import table (the store's entry), None when unparsable."""

    def __init__(self, graph: ModuleGraph, parsed: Callable[[str], Any]) -> None:
        self.graph = graph
        self.parsed = parsed
        self.files = UrlsFiles(graph)
        self._routes = DigestMemo(graph, self._made, NO_URLS).of  # a urls.py's routes
        # a file (as the analysis names it) -> its views' routed parameters, for the editor's
        # analyses: set by `publish` (the store's `prepare`), read without the lock
        self.published: dict[str, Routes] = {}

    def publish(self, path: str | None, django: bool) -> None:
        routes = self.of(path) if django and path else {}
        if routes:
            self.published[path or ""] = routes
        else:
            self.published.pop(path or "", None)

    def of(self, path: str) -> Routes:
        """What the routes of the `urls.py` files near `path` declare of its views' parameters."""
        real = self.graph.resolver.real(path)
        near = self.files.near(real)
        found: dict[str, Params] = {}
        lookups: dict[str, Params] = {}  # a viewset a router registers -> its lookup's capture
        for urls, prefix in self._chains(near):
            module = self._routes(urls)
            for view in {view for target, view, _ in module.registered if target == real} - lookups.keys():
                lookups[view] = self._lookup(real, view)
            registered = [(view, {**own, **lookups[view]}) for target, view, own in module.registered
                          if target == real]
            for view, own in [*module.routes.get(real, ()), *registered]:
                known = found.setdefault(view, {})
                for name, cleans in {**prefix, **own}.items():
                    known[name] = known[name] & cleans if name in known else cleans
        return {view: params for view, params in found.items() if params}

    def _lookup(self, path: str, view: str) -> Params:
        module = self.parsed(path)
        return {} if module is None else viewset_lookup(
            module.tree, view, import_env(module.tree),
            lambda regex: cleaned_by(regex, 0, "fullmatch") if len(regex) <= _MAX_ROUTE else frozenset())

    def _chains(self, near: list[str]) -> list[tuple[str, Params]]:
        """Each `urls.py` of `near` with what each chain of includes reaching it from another
        one captures (`path("<int:shop>/", include("shop.urls"))` in the project's, whose
        `path("catalog/", include("shop.catalog.urls"))` reaches the catalog's views with `shop`),
        and with nothing (a root URLconf itself), deduplicated; `_MAX_CHAINS` walked from each
        at most: a hostile web of includes costs no more."""
        included: dict[str, list[tuple[str, Params]]] = {}  # a urls.py -> (its includer, captures)
        for urls in near:
            for target, params in self._routes(urls).includes:
                if target in near:
                    included.setdefault(target, []).append((urls, params))
        chains: dict[tuple, tuple[str, Params]] = {}
        for urls in near:
            # (the urls.py reached, walking out from `urls`, what the includes walked capture)
            pending: list[tuple[str, Params, frozenset[str]]] = [(urls, {}, frozenset({urls}))]
            walked = 0
            while pending and walked < _MAX_CHAINS:
                inner, prefix, through = pending.pop()
                walked += 1
                key = (urls, tuple(sorted((n, tuple(sorted(c))) for n, c in prefix.items())))
                chains.setdefault(key, (urls, prefix))
                pending += [(outer, {**params, **prefix}, through | {outer})
                            for outer, params in included.get(inner, ()) if outer not in through]
        return list(chains.values())

    def _made(self, path: str, text: str) -> UrlsModule:
        module = self.parsed(path) if "urlpatterns" in text else None
        return NO_URLS if module is None else url_routes(
            module.tree, module.table, lambda name: self.graph.resolver.resolve(name, path))


@attrs_classes.frozen
class UrlsModule:
    """A `urls.py`'s routes by the file of their views, and the modules its `include(...)`
    routes name, each with what the include's own route captures (every view there gets it)."""

    routes: FileRoutes
    includes: tuple[tuple[str, Params], ...] = ()
    registered: tuple[Registration, ...] = ()  # the viewsets its DRF routers register


NO_URLS = UrlsModule({})


def url_routes(tree: ast.Module, table: dict[str, str], resolve: Callable[[str], str | None]
               ) -> UrlsModule:
    """Each `path(...)` / `re_path(...)` call of a module assigning `urlpatterns` whose view is a
    function or a class's `as_view()` of a workspace module it imports, with what the routes it
    is included under (`include([...])`) capture; `resolve` finds the file of a module named
    by `include("shop.urls")`."""
    if not any(isinstance(t, ast.Name) and t.id == "urlpatterns" for node in tree.body
               if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
               for t in (node.targets if isinstance(node, ast.Assign) else [node.target])):
        return NO_URLS
    env = import_env(tree)
    found: dict[str, list[tuple[str, Params]]] = {}
    includes: list[tuple[str, Params]] = []

    def visit(node: ast.AST, prefix: Params) -> None:
        made = env.qualname(node.func) if isinstance(node, ast.Call) and len(node.args) >= 2 else None
        if made not in _ROUTES:
            for child in ast.iter_child_nodes(node):
                visit(child, prefix)
            return
        rule, view = node.args[0], node.args[1]
        params = {**prefix, **_params(rule, _ROUTES[made])}  # a view's own route's, last (Django's)
        if isinstance(view, ast.Call) and env.qualname(view.func) in _INCLUDES and view.args:
            included = view.args[0]
            if isinstance(included, ast.Tuple) and included.elts:  # `include((patterns, "app"))`
                included = included.elts[0]
            file = resolve(included.value) if isinstance(included, ast.Constant) \
                and isinstance(included.value, str) else table.get(env.qualname(included) or "")
            if file is not None:
                includes.append((file, params))
            else:  # `include([path(...), ...])`: each route there under this one
                visit(included, params)
            return
        if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) \
                and view.func.attr == "as_view":  # a class's view: its methods take the parameters
            view = view.func.value
        name = env.qualname(view)
        target, inside = split_name(name, table) if name is not None else (None, "")
        if target is not None and "." not in inside:
            found.setdefault(target, []).append((inside, params))

    try:
        visit(tree, {})
    except RecursionError:  # a hostile nesting: no route is read
        return NO_URLS
    registered = router_registrations(tree, env, lambda name: split_name(name, table),
                                      lambda rule: _params(rule, True))
    return UrlsModule({target: tuple(routes) for target, routes in found.items()}, tuple(includes),
                      registered)


def _params(rule: ast.expr, regex: bool) -> Params:
    """What a route's rule captures (nothing known of a rule not written as a constant)."""
    if not isinstance(rule, ast.Constant) or not isinstance(rule.value, str):
        return {}
    return _regex_params(rule.value) if regex else _path_params(rule.value)


def _path_params(route: str) -> Params:
    params: Params = {}
    for converter, name in _PATH_PARAMETER().findall(route):
        pattern = _CONVERTERS.get(converter or "str")
        params[name] = cleaned_by(pattern, 0, "fullmatch") if pattern is not None else frozenset()
    return params


def _regex_params(route: str) -> Params:
    """Each named group's pattern, matched whole by it (with the route's flags)."""
    if len(route) > _MAX_ROUTE:
        return {}
    try:
        flags = re.compile(route).flags & ~re.UNICODE
    except (re.error, RecursionError, OverflowError, ValueError):
        return {}
    params: Params = {}
    for match in _GROUP().finditer(route):
        inner = _group_text(route, match.end())
        params[match.group(1)] = cleaned_by(inner, flags, "fullmatch") if inner is not None else frozenset()
    return params


def _group_text(route: str, start: int) -> str | None:
    """The pattern of the group whose text starts at `start`, up to its closing parenthesis."""
    depth, at, in_class = 0, start, False
    while at < len(route):
        char = route[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if route.startswith("^", at + 1):
                at += 1
            if route.startswith("]", at + 1):
                at += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return route[start:at]
            depth -= 1
        at += 1
    return None


def routes_key(routes: Routes) -> bytes:
    """`routes` as part of a digest (the External's: an edit of a urls.py changes it)."""
    return repr(sorted((view, sorted((p, sorted(c)) for p, c in params.items()))
                       for view, params in routes.items())).encode()
