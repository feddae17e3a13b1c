"""A command vector a function runs without knowing its shape: a helper handed the argument
vector it runs (`def run_command(argv): subprocess.run(argv, check=True)`). Its summary's hit
says so (`Hit.vector`); a caller handing it a list (`run_command(["git", "log", rev])`) is
judged as the call in place would be, the program (and the code a shell or an interpreter of
the list runs) apart from the other arguments (argv.py, arguments.py): request data as the
program is command injection, as an argument argument injection (CWE-88), after `--` neither.
A caller handing it a string or a value of no known items keeps the hit as it is (the program),
which its own callers judge in turn.

Owner: pure functions of the call and the values bound to the callee's parameters.
"""

from __future__ import annotations

import ast

from bastion.analyzers.taint.arguments import ARGUMENT, subprocess_arguments
from bastion.analyzers.taint.argv import subprocess_value
from bastion.analyzers.taint.domain import UNKNOWN, Value
from bastion.analyzers.taint.signatures import written_for


def handed_vector(args: list[Value], keywords: dict[str | None, Value]) -> bool:
    """Whether a `subprocess` sink call runs, with no shell, a command of no known items (the
    program, as subprocess_value reads it, is the whole value)."""
    command = args[0] if args else keywords.get("command", keywords.get("args"))
    shell = keywords.get("shell")
    return command is not None and command.items is None \
        and (shell is None or shell.const is not UNKNOWN and not shell.const)


def vector_parts(node: ast.Call, params: tuple[str, ...], bound: dict[int, Value], origin,
                 valued: dict[str, frozenset[str]]) -> list[tuple[str, Value]] | None:
    """The (sink class, value) pairs a vector hit of the callee gives at the call `node`, where
    its parameter of `origin` is bound to a list: the program's ("shell") and the arguments'
    ("argument"). None when the parameter's argument has no known items: the hit stands as it is."""
    if origin.kind != "param" or origin.key is not None:
        return None
    vector = bound.get(origin.param)
    if vector is None or not vector.items:
        return None
    written = written_for(node, params, origin.param)
    in_place = ast.Call(node.func, [written] if written is not None else [], [])
    program = subprocess_value([vector], {})
    arguments = subprocess_arguments(in_place, [vector], {}, valued)
    return [(sink_class, value.flat()) for sink_class, value in (("shell", program), (ARGUMENT, arguments))
            if value is not None]

