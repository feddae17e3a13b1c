"""Functions the module's text stands for without a `def`: module-level functions written as
expressions, `sh = lambda cmd: os.system(cmd)`, `run_shell = functools.partial(subprocess.run,
shell=True)` and `first = operator.itemgetter(0)`, each a function definition the analysis treats
like any other (a summary: parameter -> sink), located at the expression, so that
`run_shell(request.args["c"])` reports where the wrapper reaches `subprocess.run`; and the
module's own top-level code (`module_body`), which a script runs as a function without parameters.

A partial's call gets `PARTIAL_PARAMS` positional parameters after the arguments the partial
fixed (a call passing more is rare; those past them are not followed).
"""

from __future__ import annotations

import ast
import operator

from bastion.analyzers.matchers import Env

PARTIALS = frozenset({"functools.partial"})
ITEM_GETTERS = frozenset({"operator.itemgetter"})
PARTIAL_PARAMS = 4
MODULE_BODY = "<module>"
# A module with more top-level statements is data or generated code, not a script: its body is
# not analysed (each keystroke would join and search its text).
MAX_BODY_STATEMENTS = 400
# A top-level statement longer than this is data (a generated table, a deeply nested literal that
# would exhaust the interpreter's stack), not a script's code: left out of the body.
MAX_STATEMENT_LINES = 1000
MAX_STATEMENT_COLUMNS = 20_000
# told by `node.__class__` (no call a statement: each keystroke reads every top-level one)
_NOT_CODE = frozenset({ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})


def as_function(name: str, value: ast.expr, env: Env, last: ast.FunctionDef | None = None
                ) -> ast.FunctionDef | None:
    """The definition `name = value` stands for, or None when `value` is neither a lambda, a
    partial of a named callable nor an `itemgetter` of one constant key. `last`: the definition
    made for the same `name = value` at the same place (context_reuse.py), handed back when
    `value` still stands for one: the caches by node then find it."""
    shape = type(value)
    # the callee's name is read only for a call whose first argument a partial or an
    # itemgetter may have (most calls' is neither: no name read a call assignment)
    first = type(value.args[0]) if shape is ast.Call and value.args else None
    if shape is ast.Lambda:
        body: ast.expr = value.body
        args = value.args
    elif (first is ast.Name or first is ast.Attribute) and env.qualname(value.func) in PARTIALS \
            and not any(isinstance(a, ast.Starred) for a in value.args) \
            and all(k.arg is not None for k in value.keywords):
        params = [f"_arg{index}" for index in range(PARTIAL_PARAMS)]
        args = ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], vararg=None,
                             kwonlyargs=[], kw_defaults=[], kwarg=None,
                             defaults=[ast.Constant(None) for _ in params])
        body = ast.Call(value.args[0], [*value.args[1:], *(ast.Name(p, ast.Load()) for p in params)],
                        value.keywords)
    elif first is ast.Constant and len(value.args) == 1 and not value.keywords \
            and env.qualname(value.func) in ITEM_GETTERS:
        # `operator.itemgetter(0)`: `lambda _arg0: _arg0[0]`, so it picks the element it names
        args = ast.arguments(posonlyargs=[], args=[ast.arg("_arg0")], vararg=None, kwonlyargs=[],
                             kw_defaults=[], kwarg=None, defaults=[])
        body = ast.Subscript(ast.Name("_arg0", ast.Load()), value.args[0], ast.Load())
    else:
        return None
    if last is not None:
        return last
    function = _definition(name, args, [ast.Return(body)])
    ast.copy_location(function, value)  # located at the expression: steps point there
    return ast.fix_missing_locations(function)


def partial_call(definition: ast.FunctionDef) -> ast.Call | None:
    """The call the definition `as_function` made for a partial runs (`os.system(cmd, ...)`), None
    for a lambda's or a `def`'s: made, not written, it has no place of its own but the partial's,
    where the definition is (a written call starts past its `def` / `lambda`)."""
    body = definition.body
    if len(body) != 1 or type(body[0]) is not ast.Return or type(body[0].value) is not ast.Call:
        return None
    call = body[0].value
    return call if (call.lineno, call.col_offset) == (definition.lineno, definition.col_offset) else None


def module_body(tree: ast.Module, last: ast.FunctionDef | None = None) -> ast.FunctionDef | None:
    """The module's top-level statements but its imports, definitions and docstring, as one
    function without parameters (`name = sys.argv[1]; os.system("ping " + name)` in a script),
    spanning them; None when there are none, or more than `MAX_BODY_STATEMENTS`. `last`, the
    function of an earlier tree of the document: itself when it holds the same statements (the
    nodes the block parser kept), which the caches by node then find."""
    body = [node for node in tree.body if node.__class__ not in _NOT_CODE and not _data(node)]
    if body and isinstance(body[0], ast.Expr) and body[0] is tree.body[0] \
            and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if not body or len(body) > MAX_BODY_STATEMENTS:
        return None
    if last is not None and len(last.body) == len(body) and all(map(operator.is_, last.body, body)):
        return last
    function = _definition(MODULE_BODY, ast.arguments(posonlyargs=[], args=[], vararg=None,
                                                      kwonlyargs=[], kw_defaults=[], kwarg=None,
                                                      defaults=[]), body)
    function.lineno, function.col_offset = body[0].lineno, body[0].col_offset
    function.end_lineno, function.end_col_offset = body[-1].end_lineno, body[-1].end_col_offset
    return function


def _data(node: ast.stmt) -> bool:
    lines = (node.end_lineno or node.lineno) - node.lineno
    return lines > MAX_STATEMENT_LINES or (node.end_col_offset or 0) > MAX_STATEMENT_COLUMNS


def _definition(name: str, args: ast.arguments, body: list[ast.stmt]) -> ast.FunctionDef:
    function = ast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                               type_comment=None)
    if hasattr(ast, "TypeAlias"):  # Python 3.12+: definitions carry their type parameters
        function.type_params = []
    return function
