"""The `called_attribute` sink model: `getattr(target, name)` whose result is called runs the
function or method the name picks (unsafe reflection, CWE-470: any function of a module such as
`os.system`, any method of an object). A read that is not called (`getattr(row, column, None)`)
reads data and is no sink. Called means called in the statement (`getattr(mod, name)(arg)`) or,
bound to a name, that name called anywhere in the function (`handler = getattr(mod, name)`).
A name constant text starts (`"do_" + command`, as `cmd.Cmd` and `http.server` dispatch, or
`"do_{}".format(command)`, `f"do_{command}"`, `"do_%s" % command`: argv.leading_text) picks
one of the functions the developer named so.

The `module_name` sink model: importing the module a name gives runs its code, unless constant
text with a dot starts the name (`import_module("plugins." + name)`, `f"plugins.{name}"`, or
every binding of the local it names: `mod = "plugins." + name; import_module(mod)`): an
absolute name (not starting with `.`, so `package` plays no part) whose package is fixed imports
one of that package's modules, found on its own `__path__` (`..` only fails to name one).

A builtin read by constant name (`getattr(builtins, "eval")`, `getattr(__builtins__, "exec")`)
is that builtin, called as its sinks say."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import leading_text
from bastion.analyzers.taint.local_bindings import bindings
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



def package_fixed(ev: Evaluator, node: ast.Call) -> bool:
    """Whether constant text naming a package starts the module name `node` imports, written
    in the call or in every binding of the local it names (`mod = "plugins." + name`)."""
    if not node.args:
        return False
    if not isinstance(node.args[0], ast.Name):
        return _names_package(node.args[0])
    if whole_function(ev) is None:  # marked read: every binding in the function is read
        return False
    bound = bindings(ev, node.args[0].id)
    return bool(bound) and all(_names_package(value) for value in bound)


def _names_package(node: ast.expr) -> bool:
    text = leading_text(node)
    return "." in text and not text.startswith(".")


def builtin_named(ev: Evaluator, func: ast.expr) -> str | None:
    """`builtins.eval` for the callee `getattr(builtins, "eval")`; None for any other."""
    if not (isinstance(func, ast.Call) and len(func.args) == 2 and not func.keywords
            and ev.qualname(func.func) in ("getattr", "builtins.getattr")):
        return None
    holder, attribute = func.args
    if not (isinstance(attribute, ast.Constant) and isinstance(attribute.value, str)
            and attribute.value.isidentifier()):
        return None
    if isinstance(holder, ast.Name) and holder.id == "__builtins__" or ev.qualname(holder) == "builtins":
        return f"builtins.{attribute.value}"
    return None
