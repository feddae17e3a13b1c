"""Functions defined inside the function being walked: `def load(name): ...`, `sh = lambda c:
os.system(c)`, `run = functools.partial(subprocess.run, shell=True)`. A call of one runs its
body in place, on the arguments and on the enclosing function's names as they are at the call
(what a closure sees), so that `load(request.args["f"])` reports the `open` inside `load`.

The helper's value is a constant `LocalFunction` (it flows through assignments and joins like
one: a name bound to two helpers calls neither). The run's hits join the caller's, and so do
its "tainted" verdicts; no other verdict of it retracts a finding (a helper may also be called
from where this walk cannot see), and of its bindings only the changes to the caller's
containers and the names it declares `nonlocal` come back (joined). A partial's sink is reported
at the call of it, its path through the partial. Depth and size are bounded: past them the call
is an unknown call.

A helper a function returns (a factory's `def run(x): os.system(prefix + x); return run`, or
`return lambda: os.system(q)`) is a closure: the returned value holds, as slots keyed by
`Captured`, what the factory's names it reads held at the `return`, so that a summary puts the
caller's arguments in them (`maker(request.args["q"])()`). Called, it runs on those names and the
module's, not on the caller's locals. Handed to another call (`sorted(rows, key=by(field))`), it
is code, not data: calls.py leaves it out of what the call's result may hold.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import attrs

from bastion import attrs_classes
from bastion.analyzers.taint.domain import ANY, CLEAN, EVERY_CLASS, NONE, Value, all_known, join, join_all
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.results import Hit
from bastion.analyzers.taint.signatures import default_values, named, packed, positional
from bastion.analyzers.taint.summaries import bind_arguments
from bastion.analyzers.taint.verdicts import see_helper
from bastion.analyzers.taint.wrappers import as_function, partial_call

if TYPE_CHECKING:
    from bastion.analyzers.taint.statements import Interpreter

MAX_DEPTH = 2  # a helper calling a helper; a recursive one stops there
MAX_STATEMENTS = 60


@attrs_classes.define
class Budget:
    """Statements helpers may still run in place in one function's walk (shared by the walks
    of the helpers it calls): past it a call of one is an unknown call."""
    left: int = 2000


@attrs_classes.frozen
class LocalFunction:
    name: str
    line: int
    col: int
    node: ast.FunctionDef = attrs.field(eq=False, repr=False)

    @classmethod
    def of(cls, node: ast.FunctionDef) -> LocalFunction:
        """Named by where it is defined: two definitions are the same function only at one place."""
        return cls(node.name, node.lineno, node.col_offset, node)


@attrs_classes.frozen
class Captured:
    """The slot of a closure's value holding a name of the function that made it."""
    name: str


def local_function(node: ast.FunctionDef) -> Value:
    """The value a nested definition (or a wrapper made into one) binds to its name."""
    return Value(clean=EVERY_CLASS, const=LocalFunction.of(node))


def closure(ev: Interpreter, node: ast.expr, value: Value) -> Value:
    """What `return node` gives back when it is a helper defined here (`value` its value): the
    helper with the names it reads of this function's, as they are now (see the header)."""
    if type(node) is ast.Lambda:
        helper = as_function("<lambda>", node, ev.names)
        value = local_function(helper) if helper is not None else value
    local = value.const
    if not isinstance(local, LocalFunction) or ev.env is None:
        return value
    env = ev.env
    own = {p.arg for p in named(local.node.args)} | {p.arg for p in packed(local.node.args)}
    read = {n.id for n in nodes(local.node) if type(n) is ast.Name}
    captured = {Captured(name): env[name] for name in sorted(read - own) if name in env}
    return value.evolve(items={**(value.items or {}), **captured}) if captured else value


def call_local(ev: Interpreter, local: LocalFunction, node: ast.Call, args: list[Value],
               keywords: dict[str | None, Value], held: Value | None = None) -> Value | None:
    """What the call returns, its sinks reported; None when it is not run (an unknown call).
    `held`: the helper's value, a closure's names in its slots."""
    definition = local.node
    size = _statements(definition)
    if ev.depth >= MAX_DEPTH or size > MAX_STATEMENTS or size > ev.budget.left \
            or ev.env is None:
        return None
    ev.budget.left -= size
    params = definition.args
    taken = len(positional(params))
    every = named(params)
    bound = bind_arguments(tuple(p.arg for p in every), node, args[:taken], keywords)
    defaults = default_values(params)
    step = ev.step(node, f"passed to `{local.name}`")
    captured = {key.name: value for key, value in (held.items or {}).items()
                if type(key) is Captured} if held is not None and held.items else None
    # the names the helper sees, as they are now; a closure's, as its factory left them
    env = captured if captured is not None else dict(ev.env)
    for index, param in enumerate(every):
        value = bound.get(index)
        if value is None:
            value = ev.eval(defaults[param]) if param in defaults else CLEAN
        env[param.arg] = value.with_step(step) if value.taint else value
    rest = [*args[taken:], *(v for k, v in keywords.items()
                             if k is None or k not in {p.arg for p in every})]
    for left in packed(params):  # `*args`, `**kwargs`: what was left over
        env[left.arg] = _left_over(node, left is params.vararg, args[taken:], {
            k: v for k, v in keywords.items() if k not in {p.arg for p in every}}, rest)
    inner = type(ev)(ev.module, ev.models, ev.summaries, ev.class_name, ev.fields)
    inner.share(ev)
    inner.env = env
    inner.block(definition.body)
    made = partial_call(definition)
    ev.hits.extend(inner.hits if made is None
                   else [_at_call(ev, local, hit, made, node) for hit in inner.hits])
    see_helper(ev, inner.seen)
    if inner.env is not None and captured is None:
        # containers of the caller the helper filled (`cmds.append(c)`)
        # and the names it rebinds, declared `nonlocal` (`nonlocal total; total = q`)
        rebound = {name for n in nodes(definition) if isinstance(n, ast.Nonlocal) for name in n.names}
        own = {p.arg for p in every} | {n.id for n in nodes(definition) if isinstance(n, ast.Name)
                                        and isinstance(n.ctx, ast.Store) and n.id not in rebound}
        for name, before in list(ev.env.items()):
            after = inner.env.get(name)
            if after is not None and after is not before and name not in own:
                ev.env[name] = join(before, after)
    if inner.yielded is not None:
        # a generator: its body runs when it is iterated, by a response streaming it or a
        # loop; run here, on the names as they are at the call (they rarely change after)
        return Value(clean=EVERY_CLASS, items={ANY: inner.yielded})
    return inner.returns if inner.returned else NONE


def _at_call(ev: Interpreter, local: LocalFunction, hit: Hit, made: ast.Call, node: ast.Call) -> Hit:
    """A partial's sink runs where the partial is called (`run()`), not where it is made
    (`run = partial(os.system, cmd)`): reported at the call, its path through the partial."""
    if hit.node is not made:
        return hit
    moved = Hit(hit.sink_class, hit.sink, node, ev.statement, hit.value)
    return attrs.evolve(moved, via=(ev.step(made, f"through the partial `{local.name}`"), moved.sink_step()))


def _left_over(node: ast.Call, positional: bool, extra: list[Value], named: dict, rest: list[Value]
               ) -> Value:
    """`*args` a tuple of the extra positional arguments, `**kwargs` a dict of the extra keywords,
    slots known (as summaries.bind_arguments binds them); any of the extras when a `*list` or a
    `**mapping` of the call spreads over them."""
    if positional and not any(isinstance(a, ast.Starred) for a in node.args):
        return Value(clean=EVERY_CLASS, items=dict(enumerate(extra)), known=all_known(extra))
    if not positional and None not in named:
        return Value(clean=EVERY_CLASS, items=named, known=all_known(named.values()))
    return Value(clean=EVERY_CLASS, items={ANY: join_all([v.flat() for v in rest]) if rest else CLEAN})


def generates(node: ast.AsyncFunctionDef) -> bool:
    """Whether an `async def` is an async generator (its call an iterator, not a coroutine)."""
    return any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in nodes(node))


def _statements(node: ast.AST) -> int:
    return sum(isinstance(child, ast.stmt) for child in nodes(node))
