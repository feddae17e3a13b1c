"""argparse subcommand handlers (issue 12): `run = sub.add_parser("run")`,
`run.set_defaults(func=cmd_run)`, then `args = parser.parse_args(); args.func(args)`. The
handler is called with the parsed namespace, so a module-level function named as a
`set_defaults` keyword's value is registered to the `argparse.ArgumentParser.set_defaults`
registrar (cli.toml's entry: its parameters are command-line arguments), wherever the call is:
usually in `main()`, which builds the parser. A lambda given there (`set_defaults(func=lambda
a: run(a.path))`) is a handler of its own, made a definition as wrappers.py makes one (named
`<lambda line N>`, which no function can be). The receiver is not resolved (a subparser is
made by a chain of calls in a function, where no kind is kept); the module must import
argparse, and a keyword's value must be the function's own name, or `self.<method>` in a
method of a class that defines it (`set_defaults(func=self.clean)`, the handler `Tool.clean`).
A table of handlers is the other way argparse programs dispatch: `COMMANDS = {"run": cmd_run}`
at module level, called as `COMMANDS[args.cmd](args)` (or `COMMANDS.get(...)(...)`) anywhere in
the module; its values are registered as handlers the same way. A module of Flask-RESTful or
Flask-RESTX registers no handler, but its reqparse arguments are proven clean as argparse's.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.argparse_choices import REQPARSE_MODULES, clean_destinations
from bastion.analyzers.taint.argparse_helpers import Helped, handed_to_helpers
from bastion.analyzers.taint.argparse_walk import argparse_calls, handed_out
from bastion.analyzers.taint.factories import FUNCTIONS, Registration
from bastion.analyzers.taint.wrappers import as_function

REGISTRAR = "argparse.ArgumentParser.set_defaults"


def dispatched(tree: ast.Module, text: str | None, env: Env, functions: set[str],
               definitions: Sequence[ast.stmt]
               ) -> tuple[dict[str, tuple[Registration, ...]], list[tuple[ast.FunctionDef, Registration]],
                          frozenset[str], Helped | None]:
    """The module-level functions of `functions` and the methods of the classes of
    `definitions` a `set_defaults(...)` call names or a called table of handlers holds, with
    the call; the lambdas `set_defaults` calls are given, as definitions; and the clean
    destinations (argparse_choices.py) and what helpers of other modules may prove with them
    (argparse_helpers.py). One walk of the tree finds what all four read."""
    argparse = env.imported(("argparse",))
    if not argparse and not env.imported(REQPARSE_MODULES):
        return {}, [], frozenset(), None  # reqparse's arguments are validated as argparse's
    # `Class.name`: asked for only here, past the import gate, so other modules pay nothing
    methods = {f"{d.name}.{item.name}" for d in definitions if isinstance(d, ast.ClassDef)
               for item in d.body if isinstance(item, FUNCTIONS)}
    # a table named once in the text (its assignment) is never called: its calls are not looked for
    tables = {name: held for name, held in _tables(tree, functions).items()
              if argparse and (text is None or text.count(name) > 1)}
    calls = argparse_calls(tree, text, bool(tables))
    found: dict[str, list[Registration]] = {}
    lambdas: list[tuple[ast.FunctionDef, Registration]] = []
    for owner, node in calls.set_defaults if argparse else ():
        for keyword in node.keywords:
            value = keyword.value
            name = value.id if isinstance(value, ast.Name) and value.id in functions else \
                f"{owner}.{value.attr}" if owner is not None and isinstance(value, ast.Attribute) \
                and isinstance(value.value, ast.Name) and value.value.id == "self" else None
            if name is not None and (name in functions or name in methods):
                found.setdefault(name, []).append(Registration(REGISTRAR, node, False))
            elif isinstance(value, ast.Lambda):
                handler = as_function(f"<lambda line {value.lineno}>", value, env)
                if handler is not None:
                    lambdas.append((handler, Registration(REGISTRAR, node, False)))
    for node in calls.item_calls:
        item = node.func
        table = item.value if isinstance(item, ast.Subscript) else item.func.value
        if isinstance(table, ast.Name) and table.id in tables:
            for name in tables[table.id]:
                found.setdefault(name, []).append(Registration(REGISTRAR, node, False))
    out = handed_out(calls) if calls.add_argument else []  # asked once, by both
    return {name: tuple(calls) for name, calls in found.items()}, lambdas, clean_destinations(calls, out), \
        handed_to_helpers(calls, env, out)


def _tables(tree: ast.Module, functions: set[str]) -> dict[str, list[str]]:
    """The module-level dicts of functions (`COMMANDS = {"run": cmd_run}`): their calls of an
    item (`COMMANDS[args.cmd](args)`, `COMMANDS.get(name)(args)`) dispatch to a handler."""
    tables: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) \
                and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            held = [v.id for v in node.value.values if isinstance(v, ast.Name) and v.id in functions]
            if held:
                tables[node.targets[0].id] = held
    return tables
