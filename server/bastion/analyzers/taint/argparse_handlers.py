"""argparse subcommand handlers (issue 12): `run = sub.add_parser("run")`,
`run.set_defaults(func=cmd_run)`, then `args = parser.parse_args(); args.func(args)`. The
handler is called with the parsed namespace, so a module-level function named as a
`set_defaults` keyword's value is registered to the `argparse.ArgumentParser.set_defaults`
registrar (cli.toml's entry: its parameters are command-line arguments), wherever the call is:
usually in `main()`, which builds the parser. A lambda given there (`set_defaults(func=lambda
a: run(a.path))`) is a handler of its own, made a definition as wrappers.py makes one (named
`<lambda line N>`, which no function can be). The receiver is not resolved (a subparser is
made by a chain of calls in a function, where no kind is kept); the module must import
argparse, and a keyword's value must be the function's own name.
"""

from __future__ import annotations

import ast

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.factories import Registration
from bastion.analyzers.taint.wrappers import as_function

REGISTRAR = "argparse.ArgumentParser.set_defaults"


def dispatched(tree: ast.Module, text: str | None, env: Env, functions: set[str]
               ) -> tuple[dict[str, tuple[Registration, ...]], list[tuple[ast.FunctionDef, Registration]]]:
    """The module-level functions of `functions` a `set_defaults(...)` call names, with it,
    and the lambdas such calls are given, as definitions."""
    if text is not None and "set_defaults" not in text or not env.imported(("argparse",)):
        return {}, []
    found: dict[str, list[Registration]] = {}
    lambdas: list[tuple[ast.FunctionDef, Registration]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "set_defaults":
            for keyword in node.keywords:
                value = keyword.value
                if isinstance(value, ast.Name) and value.id in functions:
                    found.setdefault(value.id, []).append(Registration(REGISTRAR, node, False))
                elif isinstance(value, ast.Lambda):
                    handler = as_function(f"<lambda line {value.lineno}>", value, env)
                    if handler is not None:
                        lambdas.append((handler, Registration(REGISTRAR, node, False)))
    return {name: tuple(calls) for name, calls in found.items()}, lambdas
