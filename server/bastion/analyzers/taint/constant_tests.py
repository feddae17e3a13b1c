"""A test run over each of a few constants: `any(url.startswith(p) for p in ALLOWED)` holds when
one of the tests does (what each alternative proves, joined), and is false when every one is
(each refines in turn); `all(...)` the other way round. A generator's tests have no effect on
what each other reads, so a set's elements are as good as a tuple's here (unlike a `for` whose
paths helper_paths.py unrolls in order). Anything but a constant of at most MAX_ELEMENTS
scalars iterated, or another form of generator, and the call proves nothing here (guards.py
reads `all(c in SAFE for c in name)` of a string itself). A copy of the constant (`sorted`,
`tuple`, `list` of it) has its elements.

A generator's one `if` keeps some elements: `any(...)` holding proves what one kept element's
test proves (each element's, the filter holding, joined: a subset of the constant, never more);
every kept test failing (`not any`, or `all` holding the other way round) proves, of each
element, what its test failing proves joined with what the filter failing does (an element the
filter may drop proves nothing). A filter whose value is known for the element decides alone.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import UNKNOWN, constant
from bastion.analyzers.taint.environments import join_env
from bastion.analyzers.taint.helper_paths import ELEMENTS, MAX_ELEMENTS

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.analyzers.taint.expressions import Evaluator

Env = dict
_ANY = frozenset({"any", "builtins.any"})
_ALL = frozenset({"all", "builtins.all"})
_COPIES = frozenset({"sorted", "builtins.sorted", "tuple", "builtins.tuple", "list", "builtins.list"})


def over_constants(ev: Evaluator, test: ast.Call, env: Env, truth: bool,
                   refine: Callable[..., Env | None]) -> Env | None:
    """`env` where `test`, `any` or `all` of a generator over constants, is `truth`; None when
    it is not such a call."""
    generator = test.args[0] if len(test.args) == 1 and not test.keywords else None
    if not isinstance(generator, ast.GeneratorExp) or len(generator.generators) != 1:
        return None
    loop = generator.generators[0]
    if len(loop.ifs) > 1 or loop.is_async or not isinstance(loop.target, ast.Name):
        return None
    with ev.evaluating_in(env):
        name = ev.qualname(test.func)
        elements = _elements(ev, loop.iter) if name in _ANY | _ALL else None
    if not isinstance(elements, (tuple, frozenset)) or not 0 < len(elements) <= MAX_ELEMENTS \
            or not all(isinstance(e, ELEMENTS) for e in elements):
        return None
    target = loop.target.id
    exists = (name in _ANY) == truth

    def each(element: object, env: Env | None) -> Env | None:
        bound = {**env, target: constant(element)}
        kept, dropped = _filtered(ev, loop.ifs, bound, refine)
        refined = refine(ev, generator.elt, kept, truth)
        if not exists:  # every element's test is `truth`, or the filter dropped it
            refined = join_env(dropped, refined)
        if refined is None:
            return None
        # the generator's name is its own: the caller's of that name is left as it was
        refined = dict(refined)
        if target in env:
            refined[target] = env[target]
        else:
            refined.pop(target, None)
        return refined
    ordered = sorted(elements, key=repr)  # a set's: the same results whatever the order
    if exists:  # one of them holds: what each proves, joined
        return join_env(*(each(e, env) for e in ordered))
    for element in ordered:  # every one holds
        env = each(element, env)
        if env is None:
            return None
    return env


def _elements(ev: Evaluator, iterated: ast.expr) -> object:
    """The constant iterated, through a copy of it (`sorted(ALLOWED)`: its elements, whatever
    their order)."""
    if isinstance(iterated, ast.Call) and len(iterated.args) == 1 and not iterated.keywords \
            and ev.qualname(iterated.func) in _COPIES and not _bound(ev, iterated.func):
        iterated = iterated.args[0]
    return ev.eval(iterated).const


def _bound(ev: Evaluator, called: ast.expr) -> bool:
    """Whether the function or its module binds the builtin's name (`def sorted(...)`)."""
    return isinstance(called, ast.Name) and (called.id in (ev.env or {}) or called.id in ev.module.shadowed)


def _filtered(ev: Evaluator, ifs: list[ast.expr], env: Env,
              refine: Callable[..., Env | None]) -> tuple[Env | None, Env | None]:
    """`env` where the generator's filter keeps the element, and where it drops it (None:
    it cannot)."""
    if not ifs:
        return env, None
    with ev.evaluating_in(env):
        known = ev.eval(ifs[0]).const
    if known is not UNKNOWN:
        return (env, None) if known else (None, env)
    return refine(ev, ifs[0], env, True), refine(ev, ifs[0], env, False)
