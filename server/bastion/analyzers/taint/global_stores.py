"""Module state a view writes request data into and another function reads (TAINT.md 11): a
global a function declares `global LAST` and assigns (`LAST = request.args["q"]`), and an
attribute of one of the module's classes assigned on the class (`Config.target = q`), and one a
method assigns on `self` in a class the module makes a global instance of (`RUNNER = Runner()`,
whose `configure` stores `self.cmd = request.args["c"]`): an object every request shares, a
global in disguise. Another function reading it (`os.system(LAST)`, `redirect(Config.target)`,
a method's `self.cmd`) reads request data, at
medium confidence: the order of requests is not followed, and another write may store a
constant. A global only ever assigned constants stays what it was (clean).

A write counts when its value names a source as the module spells it, or a name the same
definition bound to such a value (`q = request.args["q"]; LAST = q`), as queues.py's puts, but
for a conversion into plain data (`LAST = int(request.args["n"])`, `str(len(q))`).
Each definition's writes are kept by its node (the block parser reuses an unedited one's) in
the memo its owner passes.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.bindings import statements_in
from bastion.analyzers.taint.domain import EVERY_CLASS, Origin, Value, source
from bastion.analyzers.taint.nodes import LastCall
from bastion.analyzers.taint.scoped import names_source
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.specs import Models

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEFINITIONS = (*_FUNCTIONS, ast.ClassDef)
_ASSIGNS = (ast.Assign, ast.AugAssign, ast.AnnAssign)


def global_stores(definitions: list[ast.stmt], env: Env, models: Models, kinds: dict[str, str],
                  memo: LRU | None = None) -> dict[str, int]:
    """Global name, or `Class.attribute` of a module's class -> the 0-based line of the first
    write of request data into it by a function or method of the module. `kinds`: the
    module's globals bound once, by the kind of their value (`RUNNER`: `Runner()`).
    A class's writes are read member by member: a keystroke in one method of a class of 125
    (`_pydecimal.Decimal`) makes the class anew but hands back its other members' nodes."""
    classes = frozenset(node.name for node in definitions if isinstance(node, ast.ClassDef))
    shared = frozenset(kind[:-2] for kind in kinds.values() if kind[:-2] in classes and kind[-2:] == "()")
    tag = b"global stores %d" % hash((tuple(sorted(env.aliases.items())), classes, shared))
    plain = LastCall(memo, tag)
    owned: dict[str, LastCall] = {}  # a shared class's members, by the class: `self.x` is its field
    found: dict[str, int] = {}
    for node in definitions:
        if isinstance(node, _FUNCTIONS):
            writes = plain.get(node, lambda n: _writes(n, classes, env, models, None))
        elif isinstance(node, ast.ClassDef):
            owner = node.name if node.name in shared else None
            if owner is not None and owner not in owned:
                owned[owner] = LastCall(memo, tag + b" of " + owner.encode())
            members = plain if owner is None else owned[owner]
            writes = [write for each in members.each(node.body, lambda n, owner=owner: _writes(
                n, classes, env, models, _request_owner(n, owner))) for write in each]
        else:
            continue
        for name, line in writes:
            found[name] = min(line, found.get(name, line))
    return found


def _request_owner(member: ast.AST, owner: str | None) -> str | None:
    """`owner`, but for `__init__`: it runs where the module makes the shared instance, not in
    a request."""
    return None if type(member) in _FUNCTIONS and member.name == "__init__" else owner


def _writes(definition: ast.AST, classes: frozenset[str], env: Env, models: Models,
            owner: str | None) -> tuple[tuple[str, int], ...]:
    declared: set[str] = set()
    assigns: list[ast.Assign | ast.AugAssign | ast.AnnAssign] = []
    for statement in statements_in(definition):
        if type(statement) is ast.Global:
            declared.update(statement.names)
        elif type(statement) in _ASSIGNS and statement.value is not None:
            assigns.append(statement)
    written = [(_stored(target, declared, classes, owner), n) for n in assigns
               for target in (n.targets if type(n) is ast.Assign else [n.target])]
    written = [(name, n) for name, n in written if name is not None]
    if not written:
        return ()
    plain = {n: _plain(n.value, env, models) for n in assigns}  # each asked once, a write too
    sourced = {n for n in assigns if not plain[n] and names_source(n.value, env, models)}
    # names bound to request data in the definition, whatever the order (as queues.py)
    bound = {t.id for n in sourced if type(n) is ast.Assign for t in n.targets if type(t) is ast.Name}
    return tuple((name, n.lineno - 1) for name, n in written if n in sourced or not plain[n]
                 and any(type(v) is ast.Name and v.id in bound for v in ast.walk(n.value)))


def _plain(value: ast.expr, env: Env, models: Models) -> bool:
    """`int(request.args["n"])`, `len(q)`: a conversion into data no injection fits in (a
    sanitizer cleaning every class) stores no request text; nor does what a propagator carries
    of such data only (`str(len(q))`, as calls.py reads the model), a formatting or arithmetic
    of it (`f"{len(q)} bytes"`, `len(q) + 1`), or a constant."""
    kind = type(value)
    if kind is ast.Constant:
        return True
    if kind is ast.BinOp:
        return _plain(value.left, env, models) and _plain(value.right, env, models)
    if kind is ast.JoinedStr:
        return all(type(part) is ast.Constant or _plain(part.value, env, models) for part in value.values)
    if kind is not ast.Call:
        return False
    name = env.qualname(value.func)
    if any(EVERY_CLASS <= model.cleans for model in models.sanitizers.by_name(name)):
        return True
    carries = models.propagators.by_name(name)
    if not carries or any(type(a) is ast.Starred for a in value.args) \
            or any(k.arg is None for k in value.keywords):
        return False
    model = carries[0]
    carried = value.args if model.args is None else [value.args[i] for i in model.args if i < len(value.args)]
    carried = [*carried, *(k.value for k in value.keywords if model.args is None or k.arg in model.keywords)]
    return all(_plain(a, env, models) for a in carried)


def _stored(target: ast.expr, declared: set[str], classes: frozenset[str], owner: str | None
            ) -> str | None:
    """`owner`: the class whose methods these are, when the module shares an instance of it."""
    if type(target) is ast.Name:
        return target.id if target.id in declared else None
    if type(target) is ast.Attribute and type(target.value) is ast.Name and target.value.id in classes:
        return f"{target.value.id}.{target.attr}"
    if owner is not None and type(target) is ast.Attribute and type(target.value) is ast.Name \
            and target.value.id == "self":
        return f"{owner}.{target.attr}"  # `self.cmd = q` in a method of `RUNNER = Runner()`'s class
    return None


def stored_name(ev: Evaluator, path: str) -> str | None:
    """The stored global an attribute path reads (`global_stores`): `Config.target`, or
    `self.cmd` in a method of a class whose fields some method stores request data in."""
    stored = ev.module.stored_globals
    if path in stored:
        return path
    if ev.class_name is not None and path.startswith("self.") and path.count(".") == 1:
        path = f"{ev.class_name}.{path[5:]}"
        return path if path in stored else None
    return None


def stored_global(ev: Evaluator, node: ast.expr, name: str) -> Value:
    """What a read of `name` (a global, `Class.attribute`) some function stored request data in
    (`global_stores`) holds: request data at medium confidence."""
    origin = Origin("remote", f"Request data (`{name}`", node.lineno - 1, node.col_offset,
                    (node.end_lineno or node.lineno) - 1, node.end_col_offset or 0)
    step = ev.step(node, f"request data stored in `{name}` on line {ev.module.stored_globals[name] + 1}")
    return source(origin, step).evolve(modelled=False)  # medium: other writes may store constants
