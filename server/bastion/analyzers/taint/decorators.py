"""Whether a function of this module still takes its caller's arguments once decorated. Most
decorators forward them (`def timed(func): @wraps(func) def inner(*a, **k): return func(*a,
**k)`), so a call of the decorated name runs its summary; a decorator of this module whose
closure calls the function it wraps with constants alone (`return func("default")`), or not at
all, drops them: the call is no call of that summary (summaries.summary_for); so does a decorator
factory of this module (`@retry(times=2)`) returning such a decorator it defines. A decorator
this module does not define, another factory or a class is taken as forwarding. Pure functions
of the trees; no state."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.signatures import positional

if TYPE_CHECKING:
    from bastion.analyzers.taint.context import ModuleContext
    from bastion.analyzers.taint.entries import Function


def drops_arguments(module: ModuleContext, function: Function) -> bool:
    """Whether a decorator of `function` (one of this module's functions) hands the function it
    wraps none of its caller's arguments."""
    for decorator in function.node.decorator_list:
        named = decorator.func if type(decorator) is ast.Call else decorator
        if type(named) is not ast.Name:
            continue
        found = module.function_named(named.id)
        if found is None or found.class_name is not None:
            continue
        wrapper = found.node if named is decorator else _made(found.node)
        if wrapper is not None and _drops(wrapper):
            return True
    return False


def _made(factory: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.FunctionDef | None:
    """The decorator a factory (`def retry(times): def decorate(func): ...; return decorate`)
    defines in its body and returns by name; None for any other factory."""
    defined = {n.name: n for n in factory.body if type(n) is ast.FunctionDef}
    returned = [n.value.id for n in factory.body if type(n) is ast.Return and type(n.value) is ast.Name]
    return defined.get(returned[-1]) if len(returned) == 1 else None


def _drops(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`node` takes the function to wrap first, and uses it only as `functools.wraps`'s argument,
    to read its attributes (`func.__name__`) or in calls passing constants alone."""
    arguments = positional(node.args)
    if not arguments:
        return False
    wrapped = arguments[0].arg
    allowed: set[int] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            if type(n.func) is ast.Name and n.func.id == wrapped:
                if not all(type(a) is ast.Constant for a in n.args) \
                        or not all(k.arg is not None and type(k.value) is ast.Constant for k in n.keywords):
                    return False
                allowed.add(id(n.func))
            elif _wraps(n.func):
                allowed.update(id(a) for a in n.args)
        elif isinstance(n, ast.Attribute) and type(n.value) is ast.Name:
            allowed.add(id(n.value))
    return not any(type(n) is ast.Name and n.id == wrapped and id(n) not in allowed for n in ast.walk(node))


def _wraps(func: ast.expr) -> bool:
    """`functools.wraps` or `wraps` (its usual import)."""
    return type(func) is ast.Attribute and func.attr == "wraps" \
        or type(func) is ast.Name and func.id == "wraps"
