"""A function's parameter declarations (`name: str = Query()`) are resolved once, for every entry
model with parameter markers (entries._declared): asked by each model, a scan of the standard
library resolved them 384k times. Which functions are entries is unchanged (test_taint_models:
a `Query()` parameter, a function typed `request: Request`)."""

from __future__ import annotations

import ast
from collections import Counter

from bastion.analyzers.taint import entries
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.model_files import load_models

SOURCE = '''from fastapi import Query
from pydantic import Field


def helper(name: str = Field(), count: int = Field(default=3)):
    return name * count


def report(name: str = Query()):
    return open('/srv/' + name).read()
'''


def test_each_declaration_is_resolved_once_whatever_the_entry_models(monkeypatch):
    models = load_models()
    assert len(models.entries) > 1 and any(e.parameter_markers for e in models.entries)
    resolved: Counter = Counter()
    original = entries.resolve

    def counted(node, env, kinds):
        resolved[id(node)] += 1
        return original(node, env, kinds)

    monkeypatch.setattr(entries, "resolve", counted)
    tree = ast.parse(SOURCE)
    module = module_context(tree, models, None, None, SOURCE)
    helper = tree.body[2]
    assert [resolved[id(d)] for d in helper.args.defaults] == [1, 1]
    assert {f.name: f.entry is not None for f in module.functions
            if f.name in ("helper", "report")} == {"helper": False, "report": True}


HELPERS = '''from aiohttp import web
import fastapi


async def current_user(req: web.Request):
    return req.cookies.get("user")


def client_host(request: fastapi.Request):
    return request.client.host
'''


def test_only_a_model_with_markers_takes_a_function_typed_as_its_request_for_an_entry():
    """FastAPI calls a dependency whose every parameter is its `Request` (entries._marker); an
    aiohttp handler is a route's, and a helper typed `web.Request` is not one (models without
    `parameter_markers` took it: NameSet had no `__bool__`)."""
    tree = ast.parse(HELPERS)
    module = module_context(tree, load_models(), None, None, HELPERS)
    assert {f.name: f.entry is not None for f in module.functions} == {
        "current_user": False, "client_host": True}
