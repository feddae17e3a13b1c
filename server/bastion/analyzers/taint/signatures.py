"""A function's parameters (the `ast.arguments` of a `def` or a `lambda`) in the subsets the
taint analysis reads, so that no module lists `posonlyargs`, `args` and `kwonlyargs` by hand.
Each list keeps the source order; none drops a method's `self` or `cls`: the caller slices off
its `Function.implicit_params` (entries.py), which only it knows."""

from __future__ import annotations

import ast


def positional(args: ast.arguments) -> list[ast.arg]:
    """What a call's positional arguments fill: `a, /, b` of `def f(a, /, b, *rest, c, **kw)`."""
    return [*args.posonlyargs, *args.args]


def named(args: ast.arguments) -> list[ast.arg]:
    """Each parameter that takes one value: the positional ones and the keyword-only ones
    (`a, b, c`), not `*rest` nor `**kw`."""
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def by_keyword(args: ast.arguments) -> list[ast.arg]:
    """What a call's keyword arguments may name: `b, c`, not the positional-only `a`."""
    return [*args.args, *args.kwonlyargs]


def packed(args: ast.arguments) -> list[ast.arg]:
    """`*rest` and `**kw`, those the function declares: what no other parameter takes."""
    return [p for p in (args.vararg, args.kwarg) if p is not None]


def every(args: ast.arguments) -> list[ast.arg]:
    """Every parameter in the order summaries number them (`a, b, *rest, c, **kw`)."""
    return [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []),
            *args.kwonlyargs, *([args.kwarg] if args.kwarg else [])]


def numbered(args: ast.arguments, implicit: int) -> list[str]:
    """The names of `every` parameter but the `implicit` leading ones (`self`), `*rest` and
    `**kw` spelled so: what `summaries.bind_arguments` binds a call's arguments to."""
    names = [p.arg for p in positional(args)[implicit:]]
    names += [f"*{args.vararg.arg}"] if args.vararg else []
    names += [p.arg for p in args.kwonlyargs]
    return names + ([f"**{args.kwarg.arg}"] if args.kwarg else [])


def default_values(args: ast.arguments) -> dict[ast.arg, ast.expr]:
    """Each parameter's default value, of those declaring one: the last positional ones
    (`args.defaults` is right-aligned) and the keyword-only ones (`kw_defaults` holds None for
    those without)."""
    listed = positional(args)
    found = dict(zip(listed[len(listed) - len(args.defaults):], args.defaults, strict=True))
    found.update((p, d) for p, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None)
    return found


def written_for(node: ast.Call, params: tuple[str, ...], param: int) -> ast.expr | None:
    """The expression a call writes for the callee's parameter number `param` (of `params`,
    as `numbered` names them), by position or by keyword; None when not written, or past a
    `*list` (where each lands is not known)."""
    for index, given in enumerate(node.args):
        if isinstance(given, ast.Starred):
            return None
        if index == param:
            return given
    name = params[param] if param < len(params) else None
    return next((k.value for k in node.keywords if k.arg == name and name is not None), None)
