"""The arguments of a program run without a shell (the `argv_arguments` and `exec_arguments`
sink models, class `argument`): what an attacker turns into options (`--upload-pack=...`,
`-oProxyCommand=...`), argument injection (CWE-88), not command injection. The program and the
code a shell or an interpreter runs are argv.py's (the `shell` class): a call where they are
request data is command injection, its arguments not reported again. An argument whose text
starts with a constant other than `-` (`f"uploads/{name}"`) cannot be an option, nor can one
after a constant `--` past the program (the end of its options, `["git", "log", "--", path]`)."""

from __future__ import annotations

import ast

from bastion.analyzers.taint.argv import (
    after_wrappers,
    exec_argv_value,
    in_order,
    leading_text,
    program_name,
    run_code,
    subprocess_value,
)
from bastion.analyzers.taint.domain import ANY, SAFE, UNKNOWN, Value, join_all

ARGV_MODELS = frozenset({"exec_argv", "argv_arguments", "exec_arguments"})
ARGUMENT = "argument"


def argv_model(model: str, node: ast.Call, args: list[Value], keywords: dict[str | None, Value],
               start: int, valued: dict[str, frozenset[str]]) -> Value | None:
    """The value a sink model of ARGV_MODELS reads (`start`: where an exec vector starts;
    `valued`: the options each program takes a value with, the `program` models)."""
    if model == "argv_arguments":
        return subprocess_arguments(node, args, keywords, valued)
    if model == "exec_arguments":
        return exec_arguments(node, args, start, valued)
    return exec_argv_value(args, start)


def subprocess_arguments(node: ast.Call, args: list[Value], keywords: dict[str | None, Value],
                         valued: dict[str, frozenset[str]]) -> Value | None:
    """The arguments a program run without a shell is given: the vector's items other than the
    program and the code a shell or an interpreter runs, and pexpect's `spawn(program, [args])`
    list. SAFE when none is known to be one (a command string, a `shell=` not known false): the
    call is still seen, so bandit's B603 there is judged. None with `shell=True`, where every
    word is the shell's."""
    command = args[0] if args else keywords.get("command", keywords.get("args"))
    if command is None:
        return None
    shell = keywords.get("shell")
    if shell is not None and (shell.const is UNKNOWN or shell.const):
        return None if shell.const is not UNKNOWN else SAFE
    if _commands(subprocess_value(args, keywords)):
        return SAFE
    given = {k.arg: k.value for k in node.keywords if k.arg}
    lists = [(args[1], node.args[1] if len(node.args) > 1 else None)] if len(args) > 1 else []
    if (args or "command" in keywords) and "args" in keywords:
        lists.append((keywords["args"], given.get("args")))
    parts: list[Value] = []
    for vector, written in lists:  # pexpect's `spawn(program, [args])`: each one an argument
        if vector.items is not None:
            ordered = in_order(vector)
            parts += _cleaned(ordered, _elements(written), -1) if ordered else [vector.flat()]
    if command.items is not None:
        argv = in_order(command)
        if argv is not None:
            start = after_wrappers(argv)
            skip = {id(run_code(argv, start)), id(argv[start]) if start < len(argv) else None}
            elements = _elements(node.args[0] if node.args else given.get("args", given.get("command")))
            parts += [v for i, v in enumerate(_cleaned(argv, elements, start, valued))
                      if id(argv[i]) not in skip]
        else:
            known = [command.items.get(0, command.item(ANY)),
                     command.items.get(1, command.item(ANY)), command.items.get(2, command.item(ANY))]
            code = run_code(known, 0)
            ended = _options_ended(command)
            parts += [_operand(v.flat()) if ended is not None and (key is ANY or key > ended) else v.flat()
                      for key, v in command.items.items() if key != 0 and v is not code]
    return join_all(parts) if parts else SAFE


def exec_arguments(node: ast.Call, args: list[Value], start: int,
                   valued: dict[str, frozenset[str]]) -> Value:
    """The arguments of an `os.exec*` / `os.spawn*` vector starting at `start` (or of
    `create_subprocess_exec(program, *args)`), other than its first item (the name the program
    sees itself by, or the program) and the code a shell runs (argv.py's `exec_argv_value`)."""
    if start >= len(args) or _commands(args[start - 1] if start else args[0]) \
            or _commands(exec_argv_value(args, start)):
        return SAFE  # no argument, or command injection (BST202): the call is still seen
    if args[start].items is None:
        argv: list[Value] | None = args[start:]
        elements = None if any(isinstance(a, ast.Starred) for a in node.args) else node.args[start:]
    else:
        argv = in_order(args[start])
        elements = _elements(node.args[start]) if start < len(node.args) else None
    if argv is None:  # a vector of unknown length: every item may be an argument
        return args[start].item(ANY).flat()
    program = after_wrappers(argv)
    code = run_code(argv, program) if argv else None
    parts = [v for i, v in enumerate(_cleaned(argv, elements, program, valued))
             if i > 0 and argv[i] is not code]
    return join_all(parts) if parts else SAFE


def _commands(value: Value | None) -> bool:
    """Whether the program or the code is request data: command injection, BST202's flow
    (its arguments are not reported again)."""
    return value is not None and bool(value.taint) and "shell" not in value.clean


def _elements(node: ast.expr | None) -> list[ast.expr] | None:
    """The elements of a list or tuple written in the call, when each is one item."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    for element in node.elts:  # a loop: no generator's frame a subprocess call
        if isinstance(element, ast.Starred):
            return None
    return node.elts


def _options_ended(command: Value) -> int | None:
    """Where a constant `--` past the program ends the options of a vector whose known slots
    lead an unknown tail (`["tar", "czf", "-", "--"] + names`: the tail lands after them)."""
    slots = [key for key in command.items if key is not ANY]
    if set(slots) != set(range(len(slots))):
        return None
    argv = [command.items[i] for i in range(len(slots))]
    return next((i for i in range(after_wrappers(argv) + 1, len(argv)) if argv[i].const == "--"), None)


def _operand(value: Value) -> Value:
    """`value` as an operand, past the end of the options: no option it may spell is read."""
    return value.evolve(clean=value.clean | {ARGUMENT}) if value.taint else value


def _cleaned(argv: list[Value] | None, elements: list[ast.expr] | None,
             program: int = 0, valued: dict[str, frozenset[str]] | None = None) -> list[Value]:
    """The items flattened, those written as text starting with a constant other than `-`
    (`f"uploads/{name}"`, `"--output=" + name` is not one) made clean for the class, those
    after a constant `--` past the `program` (a wrapper's own `--`, `sudo -- git`, ends only
    the wrapper's options), and the one after a constant option the program takes a value with
    (`["grep", "-e", pattern]`: getopt reads it as the value, whatever its first character)."""
    if argv is None:
        return []
    out = [v.flat() for v in argv]
    ended = next((i for i in range(program + 1, len(argv)) if argv[i].const == "--"), None)
    if ended is not None:
        out[ended + 1:] = [_operand(v) for v in out[ended + 1:]]
    options = valued.get(program_name(argv[program]) or "") if valued and program < len(argv) else None
    for index in range(program + 1, len(argv) - 1 if ended is None else ended) if options else ():
        if argv[index].const in options and argv[index - 1].const not in options:  # `-e -e q`: not q
            out[index + 1] = _operand(out[index + 1])
    if elements is None or len(elements) != len(argv):
        return out
    for index, element in enumerate(elements):
        text = leading_text(element)
        if out[index].taint and text and not text.startswith("-"):
            out[index] = out[index].evolve(clean=out[index].clean | {ARGUMENT})
    return out
