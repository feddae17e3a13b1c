"""Module state a view writes request data into and another function reads (TAINT.md 11): a
global a function declares `global LAST` and assigns (`LAST = request.args["q"]`), and an
attribute of one of the module's classes assigned on the class (`Config.target = q`), and one a
method assigns on `self` in a class the module makes a global instance of (`RUNNER = Runner()`,
whose `configure` stores `self.cmd = request.args["c"]`): an object every request shares, a
global in disguise. Another function reading it (`os.system(LAST)`, `redirect(Config.target)`,
a method's `self.cmd`) reads request data, at
medium confidence: the order of requests is not followed, and another write may store a
constant. A global only ever assigned constants stays what it was (clean). A module's container
(a list, dict or set display, a `deque()`...) a function fills without rebinding it
(`PENDING[token] = request.form["cmd"]`, `HISTORY.append(q)`) counts too: every read of it is
request data, unless the function binds that name itself; a slot named by a constant
(`CACHE["next"] = q`) is that slot alone (`slot_name`): a read of it in another function
(`redirect(CACHE["next"])`) is request data, one of another constant key is not. So does a
global a module-level function sets to one of its parameters (`def remember(host): global
TARGET; TARGET = host`) when a call of it by name in the module passes request data there.

A write counts when its value names a source as the module spells it, or a name the same
definition bound to such a value (`q = request.args["q"]; LAST = q`), as queues.py's puts, but
for a conversion into plain data (`LAST = int(request.args["n"])`, `str(len(q))`).
Each definition's writes are kept by its node (the block parser reuses an unedited one's) in
the memo its owner passes, and the last text's by position (context_parts.py): a keystroke asks
the definition it made anew alone.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.bindings import statements_in
from bastion.analyzers.taint.context_parts import kept_parts
from bastion.analyzers.taint.domain import EVERY_CLASS, Origin, Value, source
from bastion.analyzers.taint.nodes import LastCall, nodes
from bastion.analyzers.taint.scoped import names_source
from bastion.analyzers.taint.signatures import named, positional
from bastion.engine.cache import LRU

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.specs import Models

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_FUNCTION_TYPES = frozenset(_FUNCTIONS)
_DEFINITIONS = (*_FUNCTIONS, ast.ClassDef)
_ASSIGNS = (ast.Assign, ast.AugAssign, ast.AnnAssign)
# the methods that put what they are given into a list, set, dict or deque
_FILLS = frozenset({"append", "appendleft", "extend", "insert", "add", "update", "setdefault"})
_NUMBERS = frozenset({bool, float, complex})  # keys a whole number may be equal to (`slot_name`)
_CONTAINER_KINDS = frozenset({"dict()", "list()", "set()", "collections.defaultdict()", "collections.deque()",
                              "collections.OrderedDict()", "collections.Counter()"})


def global_stores(definitions: list[ast.stmt], env: Env, models: Models, kinds: dict[str, str],
                  containers: set[str], memo: LRU | None = None) -> dict[str, int]:
    """Global name, or `Class.attribute` of a module's class -> the 0-based line of the first
    write of request data into it by a function or method of the module. `kinds`: the
    module's globals bound once, by the kind of their value (`RUNNER`: `Runner()`);
    `containers`: those bound to a list, dict or set display.
    A class's writes are read member by member: a keystroke in one method of a class of 125
    (`_pydecimal.Decimal`) makes the class anew but hands back its other members' nodes."""
    # comprehensions, not generators: a generator's step is a call, asked of every definition
    classes = frozenset([node.name for node in definitions if type(node) is ast.ClassDef])
    shared = frozenset([kind[:-2] for kind in kinds.values() if kind[:-2] in classes and kind[-2:] == "()"])
    filled = frozenset(containers).union([k for k, kind in kinds.items() if kind in _CONTAINER_KINDS])
    around = (tuple(sorted(env.aliases.items())), classes, shared, filled)
    tag = b"global stores %d" % hash(around)
    plain = LastCall(memo, tag)
    owned: dict[str, LastCall] = {}  # a shared class's members, by the class: `self.x` is its field

    def writes(node: ast.stmt) -> tuple[tuple[str, int, str | None], ...] | list[tuple[str, int, str | None]]:
        if isinstance(node, _FUNCTIONS):
            return plain.get(node, lambda n: _writes(n, classes, env, models, None, filled))
        if not isinstance(node, ast.ClassDef):
            return ()
        owner = node.name if node.name in shared else None
        if owner is not None and owner not in owned:
            owned[owner] = LastCall(memo, tag + b" of " + owner.encode())
        members = plain if owner is None else owned[owner]
        return [write for each in members.each(node.body, lambda n, owner=owner: _writes(
            n, classes, env, models, _request_owner(n, owner), filled)) for write in each]
    found: dict[str, int] = {}
    # a function's writes of a parameter into a global, by the function's name: (global, line,
    # parameter)
    handed: dict[str, list[tuple[str, int, str]]] = {}
    functions: dict[str, ast.arguments] = {}
    parts = kept_parts(memo, b"global stores", (around, models), definitions, writes)
    for node, each in zip(definitions, parts, strict=True):
        function = node.__class__ in _FUNCTION_TYPES  # a read, not a call: each definition
        if function:
            functions[node.name] = node.args
            handed.pop(node.name, None)  # a redefinition wins
        for name, line, param in each:
            if param is None:
                found[name] = min(line, found.get(name, line))
            elif function:
                handed.setdefault(node.name, []).append((name, line, param))
    if handed:
        _handed_sources(definitions, handed, functions, env, models, LastCall(memo, tag + b" calls"), found)
    return found


def _handed_sources(definitions: list[ast.stmt], handed: dict[str, list[tuple[str, int, str]]],
                    functions: dict[str, ast.arguments], env: Env, models: Models, calls: LastCall,
                    found: dict[str, int]) -> None:
    """Add to `found` the globals a function sets to a parameter (`def remember(v): global LAST;
    LAST = v`) that a call of it in the module passes request data (`remember(request.args["q"])`)."""
    for node in definitions:
        if not isinstance(node, _DEFINITIONS):
            continue
        for callee, key in calls.get(node, lambda n: _sourced_calls(n, env, models)):
            if callee not in handed:
                continue
            listed = positional(functions[callee])
            param = key if isinstance(key, str) else listed[key].arg if key < len(listed) else None
            for name, line, written in handed[callee]:
                if written == param:
                    found[name] = min(line, found.get(name, line))


def _sourced_calls(definition: ast.AST, env: Env, models: Models) -> tuple[tuple[str, int | str], ...]:
    """The calls of a function by its bare name passing request data: (name, the argument's
    position or keyword)."""
    return tuple((call.func.id, key) for call in nodes(definition)
                 if type(call) is ast.Call and type(call.func) is ast.Name
                 for key, argument in [*enumerate(call.args), *((k.arg, k.value) for k in call.keywords
                                                                if k.arg is not None)]
                 if type(argument) is not ast.Starred and names_source(argument, env, models))


def _request_owner(member: ast.AST, owner: str | None) -> str | None:
    """`owner`, but for `__init__`: it runs where the module makes the shared instance, not in
    a request."""
    return None if type(member) in _FUNCTIONS and member.name == "__init__" else owner


def _writes(definition: ast.AST, classes: frozenset[str], env: Env, models: Models,
            owner: str | None, containers: frozenset[str]) -> tuple[tuple[str, int, str | None], ...]:
    """(global, line, None) for each write of request data; (global, line, parameter) for a
    global declared and set to a parameter of a function (`_handed_sources`)."""
    declared: set[str] = set()
    assigns: list[ast.Assign | ast.AugAssign | ast.AnnAssign] = []
    filled: list[tuple[str, ast.stmt, list[ast.expr]]] = []  # a module container's slot or element
    for statement in statements_in(definition):
        kind = type(statement)
        if kind is ast.Global:
            declared.update(statement.names)
        elif kind in _ASSIGNS and statement.value is not None:
            assigns.append(statement)
            # a slot named by a constant (`CACHE["next"] = q`) is not the whole container: that
            # slot alone, as the element-sensitive walk keeps it apart (`CACHE["home"]` stays)
            filled.extend((t.value.id if type(t.slice) is not ast.Constant else slot_name(
                t.value.id, t.slice.value), statement, [statement.value]) for t in (
                statement.targets if kind is ast.Assign else [statement.target])
                if type(t) is ast.Subscript and type(t.value) is ast.Name and t.value.id in containers)
        elif kind is ast.Expr and type(call := statement.value) is ast.Call \
                and type(call.func) is ast.Attribute and call.func.attr in _FILLS \
                and type(call.func.value) is ast.Name and call.func.value.id in containers:
            filled.append((call.func.value.id, statement, [*call.args, *(k.value for k in call.keywords)]))
    written = [(_stored(target, declared, classes, owner), n, [n.value]) for n in assigns
               for target in (n.targets if type(n) is ast.Assign else [n.target])]
    written = [(name, n, values) for name, n, values in written if name is not None]
    if filled:  # a name the definition binds itself is its own container, not the module's
        own = _bound_here(definition) - declared
        written += [(name, n, values) for name, n, values in filled if name.partition("[")[0] not in own]
    if not written:
        return ()
    plain = {n: all(_plain(v, env, models) for v in values) for _, n, values in written}
    sourced = {n for n in assigns if not _plain(n.value, env, models) and names_source(n.value, env, models)}
    sourced.update(n for _, n, values in written if not plain[n]
                   and any(names_source(v, env, models) for v in values))
    # names bound to request data in the definition, whatever the order (as queues.py)
    bound = {t.id for n in sourced if type(n) is ast.Assign for t in n.targets if type(t) is ast.Name}
    out = [(name, n.lineno - 1, None) for name, n, values in written if n in sourced or not plain[n]
           and any(type(v) is ast.Name and v.id in bound for value in values for v in ast.walk(value))]
    args = definition.args if owner is None and type(definition) in _FUNCTIONS else None
    params = {a.arg for a in named(args)} if args is not None else ()
    out += [(name, n.lineno - 1, n.value.id) for name, n, _ in written if type(n) is ast.Assign
            and type(n.value) is ast.Name and n.value.id in params and name in declared]
    return tuple(out)


def _bound_here(definition: ast.AST) -> set[str]:
    """The names a definition binds: its parameters and the names it stores."""
    found = {a.arg for a in ast.walk(definition.args) if type(a) is ast.arg} \
        if type(definition) in _FUNCTIONS else set()
    return found | {n.id for n in ast.walk(definition) if type(n) is ast.Name and type(n.ctx) is ast.Store}


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


def slot_name(container: str, key: object) -> str:
    """How `global_stores` names a module container's slot of a constant key: `CACHE['next']`;
    keys Python finds equal name one slot (`CACHE[1]`, `CACHE[True]`, `CACHE[1.0]`: a dict
    holds them under one key), by the int a whole number is."""
    if key.__class__ in _NUMBERS:
        if key.__class__ is complex and key.imag == 0:
            key = key.real
        if key.__class__ is bool or key.__class__ is float and key.is_integer():
            key = int(key)
    return f"{container}[{key!r}]"


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
