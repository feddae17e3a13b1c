"""The `shell_session` sink model: a line sent to a pexpect child that runs a shell
(`child = pexpect.spawn("/bin/bash")`, then `child.sendline(cmd)`) is a command line the shell
runs. A line sent to another program (a password to `ssh`, an answer to `ftp`) is its input, not
a command: the child's program is read from the constant its name is bound to in the function."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import is_shell
from bastion.analyzers.taint.read_ahead import whole_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def shell_session(ev: Evaluator, node: ast.Call) -> bool:
    child = node.func.value if isinstance(node.func, ast.Attribute) else None
    function = whole_function(ev)
    if not isinstance(child, ast.Name) or function is None:
        return False
    return any(isinstance(item, ast.Assign) and isinstance(item.value, ast.Call)
               and any(isinstance(t, ast.Name) and t.id == child.id for t in item.targets)
               and _runs_shell(item.value) for item in ast.walk(function.node))


def _runs_shell(spawn: ast.Call) -> bool:
    """`spawn("/bin/bash")`, `spawn("bash --norc")`, `spawn(command="sh")`."""
    command = spawn.args[0] if spawn.args else next(
        (k.value for k in spawn.keywords if k.arg == "command"), None)
    if not isinstance(command, ast.Constant) or not isinstance(command.value, str):
        return False
    words = command.value.split()
    return bool(words) and is_shell(words[0])
