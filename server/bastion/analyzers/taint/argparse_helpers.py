"""argparse helpers of other workspace modules (issue 12): `from .common import add_common`,
then `add_common(parser)` declares arguments on the parser it is handed. Its summary says
what (`Summary.adds`, `declarations`): the destinations it declares validated (`type=int`,
constant `choices`) and those it declares otherwise (or gives by `set_defaults`); None when it
is no such helper or the analysis cannot tell (a destination not written as a constant, the
parser handed on to a function its module does not define). A module handing its parser only
to such helpers then proves clean what it and they validate and none declares otherwise
(`helped_clean`, from what the module's one walk found: `handed_to_helpers`); one handed to
any other function still proves nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.argparse_choices import declared
from bastion.analyzers.taint.argparse_walk import ArgparseCalls, argparse_calls, handed_out
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.signatures import named

if TYPE_CHECKING:
    from bastion.analyzers.taint.context_record import ModuleContext

Declarations = tuple[frozenset[str], frozenset[str | None]]
Helped = tuple[frozenset[str], frozenset[str | None], tuple[str | None, ...]]


def declarations(node: ast.FunctionDef | ast.AsyncFunctionDef,
                 module: ModuleContext) -> Declarations | None:
    """What a function declares on the parser a parameter of it holds (all of its `add_argument`
    calls, in doubt), or None: it declares none on a parameter, a destination it declares is
    unknown, it hands the parser to a function it does not define (its module's too: in doubt),
    or it rebinds `int` / `float`. Asked only of a module that may declare arguments."""
    params = {a.arg for a in named(node.args)}
    if not module.argparse_declares or not params:
        return None  # no parameter to be handed a parser: its body is not walked (most views)
    calls = argparse_calls(ast.Module(body=[node], type_ignores=[]), None, False)
    if calls.conversion_rebound or params.isdisjoint(calls.parsers) or handed_out(calls):
        return None
    validated, other = declared(calls)
    return None if None in other else (validated, other)


def handed_to_helpers(calls: ArgparseCalls, env: Env, out: list[ast.Call]) -> Helped | None:
    """What `helped_clean` reads of a module's one walk (argparse_handlers.py): the
    destinations it declares validated and otherwise, and the qualified names of the functions
    it hands a parser to that it does not define (None where the call names none); None when it
    declares nothing, hands no parser out (`out`: `handed_out(calls)`), or rebinds `int` /
    `float`."""
    if not calls.add_argument or calls.conversion_rebound:
        return None
    return (*declared(calls), tuple(env.qualname(call.func) for call in out)) if out else None


def helped_clean(helped: Helped, external: Callable[[str, bool], object]) -> frozenset[str]:
    """The module's clean destinations, its parser handed to helpers of other modules: those it
    and the helpers declare validated, declared otherwise by none; nothing when a call hands it
    to a function without such a summary, or a destination declared is not a constant."""
    validated, other, names = helped
    for name in names:
        summary = external(name, True) if name is not None else None  # a module reading no source too
        adds = summary.adds if isinstance(summary, Summary) else None
        if adds is None:
            return frozenset()
        validated, other = validated | adds[0], other | adds[1]
    return frozenset() if None in other else frozenset(validated - other)
