"""The one walk of an argparse module's tree (issue 12): the `set_defaults(...)` calls (with the
module-level class each is in), the `add_argument(...)` calls, the calls of an item of a table
(`COMMANDS[args.cmd](args)`, `COMMANDS.get(name)(args)`) and whether a builtin conversion
(`int`, `float`) is rebound, which argparse_handlers.py and argparse_choices.py read. Each kind
is looked for only where the text can hold it, so a module without any walks nothing.

A parser handed to a function whose body the module does not hold (`add_common(parser)`, a
helper of another module or a library) may get arguments declared there, unvalidated: then the
module proves no destination clean (`handed_out`, asked only of a module proving some),
unless each such function is a helper of another module whose summary says what it declares
(argparse_helpers.py). A
parser is a name bound to `ArgumentParser(...)` (or a subparser, a group), the receiver of an
argparse method, or one made in the call; one handed to a function or method of the module
makes its parameters parsers in turn.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

from bastion.analyzers.taint.helpers import arguments_of, callee_of, held
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.signatures import named

CONVERSIONS = frozenset({"int", "float"})
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_MADE = "<made>"  # a parser made in the call's arguments: `helper(parser.add_argument_group("g"))`
# what makes a parser (or a part of one that declares arguments), and the methods only one has
_MAKERS = frozenset({"ArgumentParser", "add_parser", "add_argument_group", "add_mutually_exclusive_group"})
_METHODS = frozenset({"add_argument", "set_defaults", "parse_args", "parse_known_args",
                      "add_subparsers", "parse_intermixed_args", "parse_known_intermixed_args",
                      "replace_argument"})
# reqparse's `replace_argument(name, ...)` declares its argument anew, as `add_argument` does
_DECLARING = frozenset({"add_argument", "replace_argument"})
# Flask-RESTX's documenting decorators read a parser's arguments and add none: `@ns.expect(parser)`
_DOCUMENTING = frozenset({"expect", "doc"})


class ArgparseCalls(NamedTuple):
    set_defaults: list[tuple[str | None, ast.Call]]
    add_argument: list[ast.Call]
    item_calls: list[ast.Call]
    conversion_rebound: bool
    # what `handed_out` reads: the names known to hold parsers, the parameters of the
    # module's functions and methods by name, and the calls handing something on
    parsers: set[str]
    params: dict[str, set[str]]
    handing: list[ast.Call]
    returned: set[str]  # the names `return` gives back (a parser a factory hands on, maybe)


def argparse_calls(tree: ast.Module, text: str | None, tables: bool) -> ArgparseCalls:
    """What one walk finds; `tables`: the module holds a table of handlers whose calls matter."""
    defaults = text is None or "set_defaults" in text
    arguments = text is None or "add_argument" in text
    found = ArgparseCalls([], [], [], False, {_MADE}, {}, [], set())
    if not (defaults or arguments or tables):
        return found
    rebound = False
    parsers, params, handing = found.parsers, found.params, found.handing
    for top in tree.body:
        owner = top.name if isinstance(top, ast.ClassDef) else None
        for node in nodes(top):
            kind = type(node)
            if kind is ast.Call:
                func = node.func
                if isinstance(func, ast.Attribute):
                    if defaults and func.attr == "set_defaults":
                        found.set_defaults.append((owner, node))
                    elif arguments and func.attr in _DECLARING:
                        found.add_argument.append(node)
                    if arguments and func.attr in _METHODS:  # a parser's own method: its receiver
                        key = _key(func.value)
                        if key is not None:
                            parsers.add(key)
                        continue
                elif tables and node.args and (
                        isinstance(func, ast.Subscript) or isinstance(func, ast.Call)
                        and isinstance(func.func, ast.Attribute) and func.func.attr == "get"):
                    found.item_calls.append(node)
                if arguments and (node.args or node.keywords) and not (
                        isinstance(func, ast.Attribute) and func.attr in _DOCUMENTING):
                    handing.append(node)
            elif kind is ast.Name:
                if node.id in CONVERSIONS and not isinstance(node.ctx, ast.Load):
                    rebound = True
            elif isinstance(node, _DEFINITIONS):
                if node.name in CONVERSIONS:
                    rebound = True
                if arguments and kind is not ast.ClassDef:
                    params.setdefault(node.name, set()).update(a.arg for a in named(node.args))
            elif arguments and kind is ast.Assign and _made(node.value):
                parsers.update(k for t in node.targets if (k := _key(t)) is not None)
            elif arguments and kind is ast.Return and node.value is not None:
                key = _key(node.value)
                if key is not None:
                    found.returned.add(key)
    return found._replace(conversion_rebound=rebound)


def _key(node: ast.expr) -> str | None:
    """A local or global name, or a field of `self`, as a parser is held."""
    how = held(node)
    return None if how is None else how[1] if how[0] == "name" else f"self.{how[1]}"


def _made(value: ast.expr) -> bool:
    func = value.func if isinstance(value, ast.Call) else None
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name in _MAKERS


def handed_out(calls: ArgparseCalls, returned: bool = False) -> list[ast.Call]:
    """The calls handing a parser to a function the module does not define (by name: `helper`,
    `self.helper`); one the module defines gets parsers as its parameters (all of them, in
    doubt), until none is added. `returned`: a name a function returns counts as a parser."""
    parsers = set(calls.parsers) | calls.returned if returned else set(calls.parsers)
    passes = []
    for call in calls.handing:
        handed = {k for _, a in arguments_of(call) if (k := _MADE if _made(a) else _key(a)) is not None}
        if handed:
            # a function of the module by name, or a method of its class (`self.helper`)
            owner, _, callee = (callee_of(call) or "?.").rpartition(".")
            passes.append((call, callee if owner in ("", "self", "cls") else None, handed))
    grown = True
    while grown:
        grown = False
        for _, callee, handed in passes:
            if callee in calls.params and not parsers.isdisjoint(handed):
                added = calls.params[callee] - parsers
                if added:
                    parsers |= added
                    grown = True
    return [call for call, callee, handed in passes if callee not in calls.params
            and not parsers.isdisjoint(handed)]
