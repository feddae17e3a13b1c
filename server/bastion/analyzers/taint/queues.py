"""Module-level queues a view feeds and a worker drains (`jobs = queue.Queue()`; a view's
`jobs.put(request.json)`, a thread's `item = jobs.get()`): what a worker of the module gets
from a queue some function of the module puts request data into is request data, at medium
confidence (another put may feed it constants only; the order of puts and gets is not followed).
A queue a function makes and uses itself holds what it put, in the value's ANY slot
(`local_queue`).

A put counts when its value names a source as the module spells it (`request.json`), or a name
the same function bound to such a value (`data = request.get_json(); jobs.put(data)`). Each
function's puts are kept by its node (the block parser reuses an unedited function's) in the
memo its owner passes.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.domain import ANY, NONE, Origin, Value, join, source
from bastion.analyzers.taint.nodes import kept_by_node
from bastion.analyzers.taint.scoped import names_source
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.specs import Models

QUEUE_KINDS = frozenset({"queue.Queue()", "queue.SimpleQueue()", "queue.LifoQueue()",
                         "queue.PriorityQueue()", "asyncio.Queue()", "asyncio.LifoQueue()",
                         "asyncio.PriorityQueue()", "multiprocessing.Queue()",
                         "multiprocessing.SimpleQueue()", "multiprocessing.JoinableQueue()"})
PUTS = frozenset({"put", "put_nowait"})
GETS = frozenset({"get", "get_nowait"})


def queue_feeds(definitions: list[ast.stmt], env: Env, kinds: dict[str, str], models: Models,
                memo: LRU | None = None) -> dict[str, int]:
    """Global queue (bound once to one of QUEUE_KINDS) -> the 0-based line of the first put of
    request data into it by a function or method of the module."""
    queues = frozenset(name for name, kind in kinds.items() if kind in QUEUE_KINDS)
    if not queues:
        return {}
    spelled = hash((tuple(sorted(env.aliases.items())), queues))
    found: dict[str, int] = {}
    for node in definitions:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        puts = kept_by_node(memo, b"queue feeds %d" % spelled, node, lambda n: _puts(n, queues, env, models))
        for name, line in puts:
            found.setdefault(name, line)
    return found


def _puts(definition: ast.AST, queues: frozenset[str], env: Env, models: Models
          ) -> tuple[tuple[str, int], ...]:
    calls = [n for n in ast.walk(definition) if type(n) is ast.Call and type(n.func) is ast.Attribute
             and n.func.attr in PUTS and type(n.func.value) is ast.Name and n.func.value.id in queues
             and n.args]
    if not calls:
        return ()
    # names bound to request data in the definition, whatever the order (a put is rarely first)
    bound = {t.id for n in ast.walk(definition)
             if type(n) is ast.Assign and names_source(n.value, env, models)
             for t in n.targets if type(t) is ast.Name}
    return tuple((call.func.value.id, call.lineno - 1) for call in calls
                 if names_source(call.args[0], env, models)
                 or type(call.args[0]) is ast.Name and call.args[0].id in bound)


def local_queue(ev: Evaluator, node: ast.Call, method: str, args: list[Value],
                receiver: Value) -> Value | None:
    """`q.put(x)` / `q.get()` of a queue the function made (`q = queue.Queue()`): what it gets
    is any of what was put into it (the order is not followed); None for another call, or a
    queue whose puts are not known here (a parameter's)."""
    func = node.func
    if receiver.kind not in QUEUE_KINDS or type(func) is not ast.Attribute \
            or type(func.value) is not ast.Name or not ev.env or func.value.id not in ev.env:
        return None
    if method in PUTS and args:
        held = receiver.items or {}
        put = join(held[ANY], args[0]) if ANY in held else args[0]
        ev.env[func.value.id] = receiver.evolve(items={ANY: put})
        return NONE
    return receiver.items[ANY] if method in GETS and receiver.items and ANY in receiver.items else None


def queue_read(ev: Evaluator, node: ast.Call) -> Value | None:
    """`jobs.get()` of a global queue fed request data (`queue_feeds`); None for another call."""
    func = node.func
    if type(func) is not ast.Attribute or func.attr not in GETS or type(func.value) is not ast.Name:
        return None
    name = func.value.id
    if name not in ev.module.queues or ev.env is not None and name in ev.env:
        return None
    origin = Origin("remote", f"Request data (`{name}.{func.attr}()`", node.lineno - 1, node.col_offset,
                    (node.end_lineno or node.lineno) - 1, node.end_col_offset or 0)
    step = ev.step(node, f"request data put in `{name}` on line {ev.module.queues[name] + 1}")
    return source(origin, step).evolve(modelled=False)  # medium: other puts may feed constants
