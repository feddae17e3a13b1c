"""Tests written as a function of the module: `if not is_safe_url(target): abort(400)`. A
module-level function whose body assigns locals and returns one expression is run on the
call's arguments (as closures.py runs a nested helper) and its returned expression refined as
true, as an `if` would refine it (guards.py): what that proves of a parameter holds of the
argument the call was given, on the branch where the call's result is true.

Only such small bodies are read (a return that is a test, not a path through branches); their
hits and verdicts are not kept, the function being analysed on its own as well.

A function of another workspace module is not run at the call: its summary says what its result
being true proves of each parameter (`Proof`, found when the summary is made, with the
parameters' values of a summary), and the call applies it to the arguments it passes.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.closures import MAX_DEPTH
from bastion.analyzers.taint.domain import CLEAN
from bastion.analyzers.taint.results import Proof
from bastion.analyzers.taint.summaries import bind_arguments

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator

Env = dict
MAX_ASSIGNMENTS = 8


def helper_test(ev: Evaluator, name: str | None, test: ast.Call, env: Env,
                refine: Callable[..., Env | None]) -> Env:
    """`env` refined by `test`, a call of the module's function `name`, being true."""
    function = ev.module.function_named(name) if name else None
    if function is None or function.class_name is not None or ev.depth >= MAX_DEPTH:
        return env
    body = _test_body(function.node)
    if body is None:
        return env
    params = [*function.node.args.posonlyargs, *function.node.args.args]
    with ev.evaluating_in(env):
        args = [ev.eval(a) for a in test.args]
        keywords = {k.arg: ev.eval(k.value) for k in test.keywords}
    bound = bind_arguments(tuple(p.arg for p in params), test, args, keywords)
    defaults = dict(zip(params[len(params) - len(function.node.args.defaults):],
                        function.node.args.defaults, strict=True))
    inner = type(ev)(ev.module, ev.models, ev.summaries, None, {})
    inner.share(ev)
    inner.env = {}
    for index, param in enumerate(params):
        value = bound.get(index)
        inner.env[param.arg] = value if value is not None else \
            inner.eval(defaults[param]) if param in defaults else CLEAN
    return apply_proofs(test, _proofs(inner, body, params, refine), env)


def imported_test(ev: Evaluator, name: str | None, test: ast.Call, env: Env) -> Env:
    """`env` refined by `test`, a call of a function of another workspace module (`from
    .safety import is_safe_url`, `safety.is_safe_url(nxt)`), being true: what its summary
    proves (`Summary.proves`)."""
    external, root = ev.module.external, test.func
    while isinstance(root, ast.Attribute):
        root = root.value
    if name is None or external is None or not isinstance(root, ast.Name) or root.id in env:
        return env  # a local value's method, not a module's function
    if not any(isinstance(a, ast.Name) and a.id in env and env[a.id].tainted
               for a in [*test.args, *(k.value for k in test.keywords)]):
        return env  # nothing to prove: no summary computed for it
    summary = external(name, True)
    return env if summary is None else apply_proofs(test, summary.proves, env)


def proofs_of(function: Function, start: Callable[[], Evaluator],
              refine: Callable[..., Env | None]) -> tuple[Proof, ...]:
    """For the function's summary, read by calls from other modules (guards.py): what its
    result being true proves of each parameter. `start()` makes the walk, its `env` holding the
    parameters' values (origins of kind "param") the summary is made with."""
    body = _test_body(function.node) if function.class_name is None else None
    if body is None:
        return ()
    return _proofs(start(), body, [*function.node.args.posonlyargs, *function.node.args.args],
                   refine)


def apply_proofs(test: ast.Call, proofs: tuple[Proof, ...], env: Env) -> Env:
    """`env` where the call `test` of the function whose `proofs` they are returned true."""
    for proof in proofs:
        argument = _argument(test, proof.param, proof.name)
        if argument is None or argument.id not in env or not env[argument.id].tainted:
            continue
        value = env[argument.id]
        env = {**env, argument.id: proof.value if proof.value is not None
               else value.evolve(clean=value.clean | proof.clean)}
    return env


def _proofs(inner: Evaluator, body: tuple[list[ast.stmt], ast.expr], params: list[ast.arg],
            refine: Callable[..., Env | None]) -> tuple[Proof, ...]:
    """What the returned expression being true proves of each parameter, `inner.env` holding
    their values, after the body's assignments."""
    assignments, returned = body
    inner.block(assignments)
    if inner.env is None:
        return ()
    proved = refine(inner, returned, inner.env, True)
    if proved is None:
        return ()
    found = []
    for index, param in enumerate(params):
        before, after = inner.env[param.arg], proved.get(param.arg)
        if after is None or after is before or not before.tainted:
            continue
        # a constant, or what it proved
        found.append(Proof(index, param.arg, None if after.tainted else after,
                           after.clean - before.clean if after.tainted else frozenset()))
    return tuple(found)


def _test_body(node: ast.FunctionDef | ast.AsyncFunctionDef
               ) -> tuple[list[ast.stmt], ast.expr] | None:
    """(the assignments, the returned expression) of a body that is only those: a docstring,
    at most MAX_ASSIGNMENTS assignments to names, one `return EXPR` last."""
    if isinstance(node, ast.AsyncFunctionDef) or node.args.vararg or node.args.kwarg:
        return None
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None \
            or len(body) - 1 > MAX_ASSIGNMENTS:
        return None
    if not all(isinstance(s, ast.Assign) and all(isinstance(t, ast.Name) for t in s.targets)
               for s in body[:-1]):
        return None
    return body[:-1], body[-1].value


def _argument(test: ast.Call, index: int, name: str) -> ast.Name | None:
    """The local name the call passes as parameter `index` (`name`), if it passes one."""
    if index < len(test.args) and not any(isinstance(a, ast.Starred) for a in test.args[:index + 1]):
        given = test.args[index]
    else:
        given = next((k.value for k in test.keywords if k.arg == name), None)
    return given if isinstance(given, ast.Name) else None
