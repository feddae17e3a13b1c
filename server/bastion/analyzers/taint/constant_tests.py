"""A test run over each of a few constants: `any(url.startswith(p) for p in ALLOWED)` holds when
one of the tests does (what each alternative proves, joined), and is false when every one is
(each refines in turn); `all(...)` the other way round. A generator's tests have no effect on
what each other reads, so a set's elements are as good as a tuple's here (unlike a `for` whose
paths helper_paths.py unrolls in order). Anything but a constant of at most MAX_ELEMENTS
scalars iterated, or another form of generator, and the call proves nothing here (guards.py
reads `all(c in SAFE for c in name)` of a string itself).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import constant
from bastion.analyzers.taint.environments import join_env
from bastion.analyzers.taint.helper_paths import ELEMENTS, MAX_ELEMENTS

if TYPE_CHECKING:
    from collections.abc import Callable

    from bastion.analyzers.taint.expressions import Evaluator

Env = dict
_ANY = frozenset({"any", "builtins.any"})
_ALL = frozenset({"all", "builtins.all"})


def over_constants(ev: Evaluator, test: ast.Call, env: Env, truth: bool,
                   refine: Callable[..., Env | None]) -> Env | None:
    """`env` where `test`, `any` or `all` of a generator over constants, is `truth`; None when
    it is not such a call."""
    generator = test.args[0] if len(test.args) == 1 and not test.keywords else None
    if not isinstance(generator, ast.GeneratorExp) or len(generator.generators) != 1:
        return None
    loop = generator.generators[0]
    if loop.ifs or loop.is_async or not isinstance(loop.target, ast.Name):
        return None
    with ev.evaluating_in(env):
        name = ev.qualname(test.func)
        elements = ev.eval(loop.iter).const if name in _ANY | _ALL else None
    if not isinstance(elements, (tuple, frozenset)) or not 0 < len(elements) <= MAX_ELEMENTS \
            or not all(isinstance(e, ELEMENTS) for e in elements):
        return None
    target = loop.target.id

    def each(element: object, env: Env | None) -> Env | None:
        # the generator's name is its own: the caller's of that name is left as it was
        refined = refine(ev, generator.elt, {**env, target: constant(element)}, truth)
        if refined is None:
            return None
        refined = dict(refined)
        if target in env:
            refined[target] = env[target]
        else:
            refined.pop(target, None)
        return refined
    ordered = sorted(elements, key=repr)  # a set's: the same results whatever the order
    if (name in _ANY) == truth:  # one of them holds: what each proves, joined
        return join_env(*(each(e, env) for e in ordered))
    for element in ordered:  # every one holds
        env = each(element, env)
        if env is None:
            return None
    return env
