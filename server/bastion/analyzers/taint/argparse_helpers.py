"""argparse helpers of other workspace modules (issue 12): `from .common import add_common`,
then `add_common(parser)` declares arguments on the parser it is handed. Its summary says
what (`Summary.adds`, `declarations`): the destinations it declares validated (`type=int`,
constant `choices`) and those it declares otherwise (or gives by `set_defaults`); None when it
is no such helper or the analysis cannot tell (a destination not written as a constant, the
parser handed on to a function its module does not define). A module handing its parser only
to such helpers then proves clean what it and they validate and none declares otherwise
(`helped_clean`); one handed to any other function still proves nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argparse_choices import declared
from bastion.analyzers.taint.argparse_walk import argparse_calls, handed_out
from bastion.analyzers.taint.results import Summary

if TYPE_CHECKING:
    from bastion.analyzers.taint.context import ModuleContext

Declarations = tuple[frozenset[str], frozenset[str | None]]


def declarations(node: ast.FunctionDef | ast.AsyncFunctionDef,
                 module: ModuleContext) -> Declarations | None:
    """What a function declares on the parser a parameter of it holds (all of its `add_argument`
    calls, in doubt), or None: it declares none on a parameter, a destination it declares is
    unknown, it hands the parser to a function it does not define (its module's too: in doubt),
    or it rebinds `int` / `float`. Asked only of a module that may declare arguments."""
    if not module.argparse_declares:
        return None
    calls = argparse_calls(ast.Module(body=[node], type_ignores=[]), None, False)
    params = {a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]}
    if calls.conversion_rebound or params.isdisjoint(calls.parsers) or handed_out(calls):
        return None
    validated, other = declared(calls)
    return None if None in other else (validated, other)


def helped_clean(tree: ast.Module, text: str | None, module: ModuleContext,
                 external: Callable[[str, bool], object]) -> frozenset[str]:
    """The module's clean destinations, its parser handed to helpers of other modules: those it
    and the helpers declare validated, declared otherwise by none; nothing when a call hands it
    to a function without such a summary, or a destination it declares is not a constant.
    Asked of a module that may declare arguments."""
    calls = argparse_calls(tree, text, False)
    out = handed_out(calls)
    if not out or calls.conversion_rebound:
        return module.argparse_clean
    validated, other = declared(calls)
    for call in out:
        name = module.env.qualname(call.func)
        summary = external(name, True) if name is not None else None  # a module reading no source too
        adds = summary.adds if isinstance(summary, Summary) else None
        if adds is None:
            return frozenset()
        validated, other = validated | adds[0], other | adds[1]
    return frozenset() if None in other else frozenset(validated - other)
