"""Views defined inside a function: Flask's application factory (`def create_app(): app =
Flask(__name__); @app.route(...) def index(): ...`) and registration functions (`def init(app):
@app.route(...) ...`). Each decorated function in a module-level function's body is classified
like a module-level one, with the names that function binds: `app = Flask(__name__)` in its body,
a parameter annotated with a framework's class, and a parameter named as these functions name
the application or a blueprint (`app`, `bp`) in a module that imports that framework.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from bastion.analyzers.matchers import Env

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# A parameter so named holds the application (or a blueprint) in a module importing the module.
_NAMED = {"app": (("flask", "flask.Flask()"), ("fastapi", "fastapi.FastAPI()")),
          "application": (("flask", "flask.Flask()"), ("fastapi", "fastapi.FastAPI()")),
          "bp": (("flask", "flask.Blueprint()"),), "blueprint": (("flask", "flask.Blueprint()"),),
          "router": (("fastapi", "fastapi.APIRouter()"),)}


def nested_views(definitions: list[ast.stmt], env: Env,
                 kinds: dict[str, str]) -> Iterator[tuple[ast.FunctionDef, str, dict[str, str]]]:
    """(decorated nested function, its qualified name, the kinds of the names it sees)."""
    for outer in definitions:
        if not isinstance(outer, FUNCTIONS):
            continue
        local = dict(kinds)
        args = outer.args
        for param in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            kind = _parameter_kind(param, env)
            if kind is not None:
                local[param.arg] = kind
        nested = []
        for node in _statements(outer.body):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call):
                called = env.qualname(node.value.func)
                if called is not None:
                    local[node.targets[0].id] = called + "()"
            elif isinstance(node, FUNCTIONS) and node.decorator_list:
                nested.append(node)
        for node in nested:
            yield node, f"{outer.name}.<locals>.{node.name}", local


def _parameter_kind(param: ast.arg, env: Env) -> str | None:
    if param.annotation is not None:
        annotated = env.qualname(param.annotation)
        return annotated + "()" if annotated is not None else None
    return next((kind for module, kind in _NAMED.get(param.arg, ()) if env.imported((module,))),
                None)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The function's statements, inside `if`, `with` and `try` blocks, not nested functions."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.With, ast.AsyncWith)):
            yield from _statements(node.body)
            yield from _statements(getattr(node, "orelse", []))
        elif isinstance(node, ast.Try):
            yield from _statements(node.body)
            for handler in node.handlers:
                yield from _statements(handler.body)
            yield from _statements(node.finalbody)
