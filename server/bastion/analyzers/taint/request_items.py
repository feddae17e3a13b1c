"""Items read straight from an immutable request mapping (`request.args["n"]`,
`request.GET.get("n", "")`): a re-read under the same constant key gives the same value, so a
guard on one read narrows the next. Werkzeug's `args` / `form` / `values` / `cookies` /
`headers` are immutable MultiDicts (`[k]` and `.get(k)` both give the first value); Django's
`GET` / `POST` are QueryDicts, immutable unless made mutable (`_mutable`) or replaced by a copy.
Django's `META` and `COOKIES` are plain dicts a view may change, so they are read afresh.
DRF's `query_params` is the request's `GET`. Starlette's `query_params` and `headers` are
immutable multi-dicts (its `path_params` and `cookies` plain dicts); aiohttp's `query` and
`headers` are read-only multidict proxies (its `match_info` a dict subclass); Quart's `args` is
Werkzeug's ImmutableMultiDict (its `headers` a mutable Headers). `(await request.form())[k]`
reads no mapping the request holds, so two awaits are never taken for one value.

A read keeps its value in the environment under `[path]['key']` (a key no name or attribute
path has, so `summaries.attributes` never sees it as a field), where `narrow` (item_guards.py)
refines it as it refines a name; a read finds that value while it knows more than a fresh read.
A state that lacks the key (a branch that never read it) drops it at a join (environments.py),
and the value is not used once the mapping, or the request holding it, is assigned or made
mutable in the function. A name holding the request rebound to another holds a value of
another kind (`other.request`, a parameter), whose mapping is not one of these.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import Value, join

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

IMMUTABLE = frozenset({
    "flask.request.args", "flask.request.form", "flask.request.values", "flask.request.cookies",
    "flask.request.headers",
    "django.http.HttpRequest.GET", "django.http.HttpRequest.POST",
    "django.views.View.request.GET", "django.views.View.request.POST",
    "django.http.HttpRequest.query_params", "django.views.View.request.query_params",
    "starlette.requests.Request.query_params", "starlette.requests.Request.headers",
    "aiohttp.web.Request.query", "aiohttp.web.Request.headers",
    "aiohttp.web.View.request.query", "aiohttp.web.View.request.headers",
    "quart.request.args",
})


def item_key(node: ast.expr) -> tuple[str, ast.Attribute] | None:
    """(the environment key, the mapping) of `mapping[K]`, `mapping.get(K)` or
    `mapping.get(K, default)` with a constant `K`, the mapping an attribute path."""
    if type(node) is ast.Subscript:
        holder, key = node.value, node.slice
    elif type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr == "get" \
            and 1 <= len(node.args) <= 2 and not node.keywords:
        holder, key = node.func.value, node.args[0]
    else:
        return None
    if type(holder) is not ast.Attribute or type(key) is not ast.Constant \
            or type(key.value) not in (str, int):
        return None
    names = [holder.attr]
    root = holder.value
    while type(root) is ast.Attribute and len(names) < 3:  # as deep as `path_of` keeps paths
        names.append(root.attr)
        root = root.value
    if type(root) is not ast.Name:
        return None
    return f"[{root.id}.{'.'.join(reversed(names))}][{key.value!r}]", holder


def item_read(ev: Evaluator, node: ast.Subscript | ast.Call, fresh: Value,
              default: Value | None) -> Value:
    """What the read `node` gives, `fresh` what a read anew does (for `.get`, joined with its
    `default`): the kept value when a guard narrowed it, `fresh` otherwise (kept for later)."""
    found = item_key(node)
    env = ev.env
    if found is None or env is None:
        return fresh
    key, holder = found
    path = key[1:key.index("]")]
    if ev.qualname(holder) not in IMMUTABLE or _replaced(env, path):
        return fresh
    stored = env.get(key)
    if stored is None:
        env[key] = fresh
        return fresh
    if stored.taint and not stored.clean - fresh.clean and stored.const is fresh.const:
        return fresh  # nothing learnt: this read's own origin
    return stored if default is None else join(stored, default)


def _replaced(env: dict, path: str) -> bool:
    """Whether the function assigned the mapping (`request.GET = q`), the object holding it
    (`self.request = ...`) or made it mutable (`request.GET._mutable = True`)."""
    if path in env or path + "._mutable" in env:
        return True
    parts = path.split(".")
    for end in range(2, len(parts)):  # a loop: no generator's frame a read
        if ".".join(parts[:end]) in env:
            return True
    return False
