"""Tests written as a function of the module: `if not is_safe_url(target): abort(400)`. A
module-level function whose body assigns locals and returns one expression is run on the
call's arguments (as closures.py runs a nested helper) and its returned expression refined as
true, as an `if` would refine it (guards.py): what that proves of a parameter holds of the
argument the call was given, on the branch where the call's result is true.

Only such small bodies are read (a return that is a test, not a path through branches); their
hits and verdicts are not kept, the function being analysed on its own as well.

A function of another workspace module is not run at the call: its summary says what its result
being true proves of each parameter (`Proof`, found when the summary is made, with the
parameters' values of a summary, and again with them as normalized paths), and the call applies
it to the arguments it passes. Either way, a local holding a parameter's real path
(`real = os.path.realpath(path)`) proved inside a folder proves the parameter inside it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import attrs

from bastion.analyzers.taint.closures import MAX_DEPTH
from bastion.analyzers.taint.domain import CLEAN, NORMALIZERS
from bastion.analyzers.taint.results import Proof
from bastion.analyzers.taint.summaries import bind_arguments

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator

Env = dict
MAX_ASSIGNMENTS = 8
# What a parameter holds when run as a normalized path (`proofs_of`)
_NORMALIZED = "os.path.realpath()"
# Calls that return the same path as another type: `Path(name)`, `str(p)`, `os.fspath(p)`
_SAME_PATH = frozenset({"Path", "PurePath", "str", "fspath"})


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
    parameters' values (origins of kind "param") the summary is made with. Run again with the
    parameters as normalized paths: a containment test (`os.path.commonpath([BASE, path]) ==
    BASE`) proves something only of those, which the caller may pass (`Proof.normalized`)."""
    body = _test_body(function.node) if function.class_name is None else None
    if body is None:
        return ()
    params = [*function.node.args.posonlyargs, *function.node.args.args]
    proofs = _proofs(start(), body, params, refine)
    walk = start()
    walk.env = {name: value.evolve(kind=_NORMALIZED) if value.tainted else value
                for name, value in walk.env.items()}
    plain = {p.param: p for p in proofs}
    more = []
    for proof in _proofs(walk, body, params, refine):
        known = plain.get(proof.param)
        if known is None or known.value is None and proof.value is None \
                and not proof.clean <= known.clean:
            more.append(attrs.evolve(proof, normalized=True,
                                     clean=proof.clean - known.clean if known else proof.clean))
    return proofs + tuple(more)


def apply_proofs(test: ast.Call, proofs: tuple[Proof, ...], env: Env) -> Env:
    """`env` where the call `test` of the function whose `proofs` they are returned true."""
    for proof in proofs:
        argument = _argument(test, proof.param, proof.name)
        if argument is None or argument.id not in env or not env[argument.id].tainted:
            continue
        value = env[argument.id]
        if proof.normalized and not (value.kind or "").endswith(NORMALIZERS):
            continue
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
    resolved = _resolved(assignments, inner.env, proved, {p.arg for p in params})
    found = []
    for index, param in enumerate(params):
        before, after = inner.env[param.arg], proved.get(param.arg)
        if after is None or not before.tainted or (after is before and param.arg not in resolved):
            continue
        # a constant, or what it proved
        found.append(Proof(index, param.arg, None if after.tainted else after,
                           (after.clean - before.clean) | resolved.get(param.arg, frozenset())
                           if after.tainted else frozenset()))
    return tuple(found)


def _resolved(assignments: list[ast.stmt], before: Env, proved: Env,
              params: set[str]) -> dict[str, frozenset[str]]:
    """`real = os.path.realpath(path)` proved inside a folder (`real.startswith(BASE)`): so is
    `path`, which names the file its real path names (`path` and `real` not bound again)."""
    assigned = [t.id for s in assignments for t in s.targets]
    found: dict[str, frozenset[str]] = {}
    for statement in assignments:
        target, param = statement.targets[0].id, _real_path_of(statement.value)
        if param not in params or param in assigned or assigned.count(target) != 1:
            continue
        value, was = proved.get(target), before.get(target)
        if value is not None and was is not None and (value.kind or "").endswith(NORMALIZERS) \
                and "path" in value.clean - was.clean:
            found[param] = frozenset({"path"})
    return found


def _real_path_of(node: ast.expr) -> str | None:
    """`path` of `os.path.realpath(path)`, `Path(path).resolve()`, `os.path.realpath(str(path))`:
    the symbolic links resolved, and nothing else done to the name (not `abspath`, `normpath`:
    `link/..` is not the folder holding the link)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.keywords \
            and (node.func.attr == "resolve" and not node.args
                 or node.func.attr == "realpath" and len(node.args) == 1):
        node = node.args[0] if node.args else node.func.value
        while isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords \
                and _name_of(node.func) in _SAME_PATH:
            node = node.args[0]
        return node.id if isinstance(node, ast.Name) else None
    return None


def _name_of(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) \
        else None


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
