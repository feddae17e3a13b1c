"""The one walk of an argparse module's tree (issue 12): the `set_defaults(...)` calls (with the
module-level class each is in), the `add_argument(...)` calls, the calls of an item of a table
(`COMMANDS[args.cmd](args)`, `COMMANDS.get(name)(args)`) and whether a builtin conversion
(`int`, `float`) is rebound, which argparse_handlers.py and argparse_choices.py read. Each kind
is looked for only where the text can hold it, so a module without any walks nothing.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

CONVERSIONS = frozenset({"int", "float"})
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class ArgparseCalls(NamedTuple):
    set_defaults: list[tuple[str | None, ast.Call]]
    add_argument: list[ast.Call]
    item_calls: list[ast.Call]
    conversion_rebound: bool


def argparse_calls(tree: ast.Module, text: str | None, tables: bool) -> ArgparseCalls:
    """What one walk finds; `tables`: the module holds a table of handlers whose calls matter."""
    defaults = text is None or "set_defaults" in text
    arguments = text is None or "add_argument" in text
    found = ArgparseCalls([], [], [], False)
    if not (defaults or arguments or tables):
        return found
    rebound = False
    for top in tree.body:
        owner = top.name if isinstance(top, ast.ClassDef) else None
        for node in ast.walk(top):
            if isinstance(node, _DEFINITIONS) and node.name in CONVERSIONS \
                    or isinstance(node, ast.Name) and node.id in CONVERSIONS \
                    and not isinstance(node.ctx, ast.Load):
                rebound = True
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute):
                if defaults and func.attr == "set_defaults":
                    found.set_defaults.append((owner, node))
                elif arguments and func.attr == "add_argument":
                    found.add_argument.append(node)
            elif tables and node.args and (
                    isinstance(func, ast.Subscript) or isinstance(func, ast.Call)
                    and isinstance(func.func, ast.Attribute) and func.func.attr == "get"):
                found.item_calls.append(node)
    return found._replace(conversion_rebound=rebound)
