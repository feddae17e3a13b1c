"""Keyword arguments a decorator of the module injects into the function it wraps: a wrapper
that stores an item of its `**kwargs` before calling the function, the everyday form of
webargs' `@use_args` or a login decorator handing the view its user:

    def with_user(f):
        @wraps(f)
        def inner(*args, **kwargs):
            kwargs["name"] = request.args["n"]
            return f(*args, **kwargs)
        return inner

The wrapped function's parameter `name` holds what the stored expression evaluates to
(parameters.py evaluates it in the module, without the wrapper's locals). The libraries'
own decorators inject what they parse from the request (`parsed`): webargs' and flask-apispec's
`@use_args({...}, location="query")` / `@use_kwargs(...)`."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.analyzers.taint.context_record import ModuleContext
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def decorators_of(function: Function, module: ModuleContext) -> list[Function]:
    """The module-level functions of the module `function` is decorated with by name."""
    # asked of each decorated function at every keystroke (outcome_reuse.py): a decorator that
    # is a call (`@app.route(...)`, 60 views' in views.py) is passed over without a call
    names = [d.id for d in function.node.decorator_list if d.__class__ is ast.Name]
    if not names:
        return []
    found = [module.function_named(name) for name in names]
    return [f for f in found if f is not None and f.class_name is None]


def injected(function: Function, module: ModuleContext) -> dict[str, ast.expr]:
    """Keyword -> the expression the decorators of the module wrapping `function` store for it
    (the innermost decorator's last store wins, as it runs last before the call)."""
    found: dict[str, ast.expr] = {}
    for decorator in decorators_of(function, module):
        inner = _wrapper(decorator.node)
        if inner is None:
            continue
        kwargs = inner.args.kwarg.arg
        for node in ast.walk(inner):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                        and target.value.id == kwargs and isinstance(target.slice, ast.Constant) \
                        and isinstance(target.slice.value, str):
                    found[target.slice.value] = node.value
    return found


def _wrapper(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The nested function a decorator of one parameter returns, when it takes `**kwargs` and
    calls the decorated function with them."""
    if len(node.args.args) != 1 or not node.body or not isinstance(node.body[-1], ast.Return):
        return None
    returned, wrapped = node.body[-1].value, node.args.args[0].arg
    inner = next((s for s in node.body if isinstance(s, _FUNCTIONS) and isinstance(returned, ast.Name)
                  and s.name == returned.id), None)
    if inner is None or inner.args.kwarg is None:
        return None
    kwargs = inner.args.kwarg.arg
    calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == wrapped
                and any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwargs
                        for k in n.keywords)
                for n in ast.walk(inner))
    return inner if calls else None


# The packages whose `use_args` / `use_kwargs` decorators (a parser module's functions, or a
# parser's methods: `parser.use_args`) call the view with the request data they parse
_PARSING_PACKAGES = ("webargs.", "flask_apispec.")


def parsed(ev: Evaluator, function: Function, free: list[str]) -> frozenset[str]:
    """The parameters among `free` (those the framework does not fill) that a request parsing
    decorator fills: webargs' `use_args` appends its parsed data to the positional arguments the
    view is called with, so each takes the next free parameter (or the one its `arg_name`
    names); `use_kwargs` passes the schema's fields as keywords: a dict display's keys, or, for
    a schema declared elsewhere, every free parameter."""
    found: set[str] = set()
    positional = iter(free)
    for decorator in function.node.decorator_list:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, (ast.Name, ast.Attribute)):
            continue
        name = ev.qualname(decorator.func) or ""
        if not name.startswith(_PARSING_PACKAGES):
            continue
        named = next((k.value.value for k in decorator.keywords if k.arg == "arg_name"
                      and isinstance(k.value, ast.Constant)), None)
        if name.endswith(".use_args"):
            found.add(named if isinstance(named, str) else next(positional, ""))
        elif name.endswith(".use_kwargs"):
            schema = decorator.args[0] if decorator.args else None
            found.update(free if not isinstance(schema, ast.Dict) else
                         (k.value for k in schema.keys if isinstance(k, ast.Constant)))
    return frozenset(found.intersection(free))
