"""The `called_attribute` sink model: `getattr(target, name)` whose result is called runs the
function or method the name picks (unsafe reflection, CWE-470: any function of a module such as
`os.system`, any method of an object). A read that is not called (`getattr(row, column, None)`)
reads data and is no sink. Called means called in the statement (`getattr(mod, name)(arg)`) or,
bound to a name, that name called anywhere in the function (`handler = getattr(mod, name)`).
A name constant text starts (`"do_" + command`, as `cmd.Cmd` and `http.server` dispatch, or
`"do_{}".format(command)`, `f"do_{command}"`, `"do_%s" % command`: argv.leading_text) picks
one of the functions the developer named so."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import leading_text
from bastion.analyzers.taint.read_ahead import whole_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def called_attribute(ev: Evaluator, node: ast.Call) -> bool:
    statement = ev.statement
    if statement is None or len(node.args) > 1 and leading_text(node.args[1]):
        return False
    if any(isinstance(child, ast.Call) and child.func is node for child in ast.walk(statement)):
        return True
    function = whole_function(ev)
    if function is None or not isinstance(statement, (ast.Assign, ast.AnnAssign)) \
            or statement.value is not node:
        return False
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    names = {t.id for t in targets if isinstance(t, ast.Name)}
    return bool(names) and any(isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                               and child.func.id in names for child in ast.walk(function.node))

