"""Containers and objects that something else may change: one passed to a call that may keep
or fill it (`load_overrides(config)`), bound to a second name or stored in another container
(`alias = config`, `holder = [config]`: a change through one is not seen through the other), or
used by a nested function or lambda.

Such a name *escapes*; from then on, in that run of the function, its slots and attributes read
as not known (their taint as far as seen, no constant), so that no pattern finding is retracted
on a value the function does not see whole (verdicts.py), and no branch is pruned on a constant
that may have changed. A string or number bound to a name cannot be changed through another
reference: reading such a name whole is unaffected.

The escaped names are the evaluator's (`Evaluator.escaped`), reset per run; the set only grows.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint import configs
from bastion.analyzers.taint.domain import ANY, CLEAN, UNKNOWN, Value, join
from bastion.analyzers.taint.forms import validates
from bastion.analyzers.taint.readers import READING_METHODS
from bastion.analyzers.taint.sequences import EDITS, MUTATORS

if TYPE_CHECKING:
    from bastion.analyzers.taint.call_entries import CallEntry
    from bastion.analyzers.taint.expressions import Evaluator

# Methods that leave their receiver as it was, or whose change calls.py follows exactly (not
# `set`, which it follows only on a ConfigParser: on another object it may change any attribute).
_KEEPING = READING_METHODS | EDITS | (MUTATORS - {"set"})
# Those changing a container held in a slot of a followed dict (`groups[k].append(v)`)
SLOT_MUTATORS = MUTATORS - {"set"}
_DISPLAYS = frozenset({ast.List, ast.Tuple, ast.Set})  # by the node's type, not isinstance
_HOLDERS = frozenset({*_DISPLAYS, ast.Dict})  # the displays an assignment's names are stored in
# Calls that make a container (their values' kind is the name with "()"), which calls may fill
CONTAINER_TYPES = frozenset({"dict", "list", "set", "collections.OrderedDict",
                             "collections.defaultdict", "collections.deque"})
_CONTAINER_KINDS = frozenset(name + "()" for name in CONTAINER_TYPES)


def escape_call(ev: Evaluator, node: ast.Call, name: str | None, entry: CallEntry | None = None) -> None:
    """The call may keep or fill the containers it is given, and a method not known to leave
    its receiver alone may change it. `entry`: the callee's (call_entries.py: whether it reads
    or keeps its receiver, or keeps none of its arguments), looked up here when not given."""
    func = node.func
    method, owner = (func.attr, func.value) if type(func) is ast.Attribute else (None, None)
    if entry is None:
        entry = ev.models.call_entries[name, method]
    if method is not None and type(owner) is ast.Subscript and not entry.reads_receiver \
            and not (method in SLOT_MUTATORS and followed_slot(ev, owner)):
        _escape_element(ev, owner)  # calls.py follows the methods of names (and slots)
    elif method is not None and not entry.keeps_receiver and not (
            type(owner) is ast.Name and (owner.id in ("self", "cls") or (
                validates(ev.module.forms, (ev.env or {}).get(owner.id), method)))):
        _escape(ev, owner)  # what `self.reload()` stores, calls.py follows
    if entry.keeps_arguments or entry.reads_receiver:
        return
    for argument in node.args:
        _escape_element(ev, argument.value if type(argument) is ast.Starred else argument)
    for keyword in node.keywords:  # a keyword's value is never starred
        _escape_element(ev, keyword.value)


def followed_slot(ev: Evaluator, node: ast.Subscript) -> bool:
    """`groups[key]` of a local dict whose slots are followed, the slot (by a constant key or a
    local holding one; else any) a container whose elements are too: `groups[key].append(v)`
    changes that slot, as method_calls._slot_mutated stores it."""
    if not isinstance(node.value, ast.Name) or (held := (ev.env or {}).get(node.value.id)) is None \
            or held.items is None or held.taint:
        return False
    key = node.slice.value if isinstance(node.slice, ast.Constant) else ev.env[node.slice.id].const \
        if isinstance(node.slice, ast.Name) and node.slice.id in ev.env else UNKNOWN
    slot = held.item(key if isinstance(key, (str, int)) and key is not True and key is not False else ANY)
    return slot.items is not None


def keeps(method: str, name: str | None) -> bool:
    """Whether the method leaves its receiver as calls.py sees it: on a ConfigParser, one that
    configs.py follows (its `read` fills options from files, unlike a file's `read`)."""
    if name is not None and name[:-len(method) - 1] in configs.KINDS:
        return method in configs.FOLLOWED
    return method in _KEEPING


def escape_assignment(ev: Evaluator, targets: list[ast.expr], value: ast.expr) -> None:
    """`alias = config` (both names), `holder = [config]`, `obj.config = config`."""
    if type(value) is ast.Name:
        _escape(ev, value)
        for target in targets:
            _escape(ev, target)
    elif type(value) in _HOLDERS:
        _escape(ev, value)


def capture(ev: Evaluator, node: ast.AST) -> None:
    """A nested function, lambda or class sees the names it uses as they are when it runs, and
    may change the containers they hold (`cmds.append(c)` in a helper the view calls): they
    escape. Those it declares `nonlocal` a call of it may rebind."""
    env = ev.env or {}
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and inner.id in env:
            ev.escaped.add(inner.id)
        elif isinstance(inner, ast.Nonlocal):  # a nested class's methods may declare it too
            ev.rebound_inside.update(inner.names)


def changeable(value: Value) -> bool:
    """Whether a value may be changed in place: a container (not a string or number)."""
    return value.items is not None or value.kind in _CONTAINER_KINDS


def seen_through(value: Value) -> Value:
    """An escaped container as read: any slot, at any depth, may hold anything else too."""
    if value.items is None:
        return value.evolve(const=UNKNOWN, known=False)
    items = {key: seen_through(slot) for key, slot in value.items.items()}
    items[ANY] = join(items[ANY], CLEAN) if ANY in items else CLEAN
    return value.evolve(items=items, const=UNKNOWN, known=False)


def _escape_element(ev: Evaluator, node: ast.expr) -> None:
    """An element handed to a call or a method of its own (`d["s"].update(...)`, `f(d["s"])`):
    its container may change through it, unless it is a string or a number (looked up when
    that has no effect: no call in the subscript). Anything else as `_escape`."""
    if not isinstance(node, ast.Subscript):
        _escape(ev, node)
        return
    root = node
    while isinstance(root, (ast.Subscript, ast.Attribute)):
        root = root.value
    if not isinstance(root, ast.Name) or root.id in ("self", "cls"):
        return
    held = ev.env.get(root.id) if ev.env is not None else None
    if held is not None and held.kind not in configs.KINDS \
            and not any(isinstance(n, ast.Call) for n in ast.walk(node)) \
            and not changeable(ev.eval(node)):
        return
    ev.escaped.add(root.id)


def _escape(ev: Evaluator, node: ast.expr) -> None:
    kind = type(node)  # read once: no isinstance call a test (every argument of a call)
    if kind is ast.Name:
        ev.escaped.add(node.id)
    elif kind in _DISPLAYS:
        for element in node.elts:
            _escape(ev, element.value if type(element) is ast.Starred else element)
    elif kind is ast.Dict:
        for element in node.values:
            _escape(ev, element)
