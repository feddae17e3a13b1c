"""Module-level functions written as expressions: `sh = lambda cmd: os.system(cmd)` and
`run_shell = functools.partial(subprocess.run, shell=True)`. Each becomes a function definition
the analysis treats like any other (a summary: parameter -> sink), located at the expression,
so that `run_shell(request.args["c"])` reports where the wrapper reaches `subprocess.run`.

A partial's call gets `PARTIAL_PARAMS` positional parameters after the arguments the partial
fixed (a call passing more is rare; those past them are not followed).
"""

from __future__ import annotations

import ast

from bastion.analyzers.matchers import Env

PARTIALS = frozenset({"functools.partial"})
PARTIAL_PARAMS = 4


def as_function(name: str, value: ast.expr, env: Env) -> ast.FunctionDef | None:
    """The definition `name = value` stands for, or None when `value` is neither a lambda nor
    a partial of a named callable."""
    if isinstance(value, ast.Lambda):
        body: ast.expr = value.body
        args = value.args
    elif isinstance(value, ast.Call) and value.args and env.qualname(value.func) in PARTIALS \
            and isinstance(value.args[0], (ast.Name, ast.Attribute)) \
            and not any(isinstance(a, ast.Starred) for a in value.args) \
            and all(k.arg is not None for k in value.keywords):
        params = [f"_arg{index}" for index in range(PARTIAL_PARAMS)]
        args = ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], vararg=None,
                             kwonlyargs=[], kw_defaults=[], kwarg=None,
                             defaults=[ast.Constant(None) for _ in params])
        body = ast.Call(value.args[0], [*value.args[1:], *(ast.Name(p, ast.Load()) for p in params)],
                        value.keywords)
    else:
        return None
    function = ast.FunctionDef(name=name, args=args, body=[ast.Return(body)], decorator_list=[],
                               returns=None, type_comment=None)
    if hasattr(ast, "TypeAlias"):  # Python 3.12+: definitions carry their type parameters
        function.type_params = []
    ast.copy_location(function, value)  # located at the expression: steps point there
    return ast.fix_missing_locations(function)
