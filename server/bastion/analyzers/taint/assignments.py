"""Assignment in the flow-sensitive walk: binding a value to a target (a name, a tuple or list
unpacked by position, an attribute path, a subscript's slot), with the step that says where it was
bound, and what a new binding of a name makes stale (the URL parses and host reads, the regex
match, the attribute paths it held).

Separate from statements.py because what a target of each shape does with a value is its own
concern. `bind` is the `Interpreter`'s method itself, assigned in its class body, as loops.py's are.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, Value
from bastion.analyzers.taint.expressions import path_of
from bastion.analyzers.taint.held_calls import hold_store
from bastion.analyzers.taint.property_stores import run_setter
from bastion.analyzers.taint.stores import store_hits, store_nested, with_slot

if TYPE_CHECKING:
    from bastion.analyzers.taint.statements import Interpreter


def _forget_url(self: Interpreter, name: str) -> None:
    """`name` is bound anew: it no longer holds a parse or a host, and a URL it held is no
    longer the one a parse or host came from."""
    self.parsed_from.pop(name, None)
    self.host_from.pop(name, None)
    for held, url_of in ((self.parsed_from, lambda v: v), (self.host_from, lambda v: v[0])):
        for stale in [k for k, v in held.items()
                      if isinstance(url_of(v), ast.Name) and url_of(v).id == name]:
            del held[stale]


def bind(self: Interpreter, target: ast.expr, value: Value, note: str | None) -> None:
    if type(target) is ast.Name:  # most targets: no isinstance call, no pop of a missing key
        name = target.id  # read once: an AST node's attribute is a generic (dict) read
        if value.taint and note:
            value = value.with_step(self.step(target, f"{note} `{name}`"))
        self.env[name] = value
        if self.parsed_from or self.host_from:
            _forget_url(self, name)
        if name in self.matched_from:
            del self.matched_from[name]
        if name in self.attributed:
            prefix = name + "."
            for key in [k for k in self.env if k.startswith(prefix)]:
                del self.env[key]
    elif isinstance(target, (ast.Tuple, ast.List)):
        elts = target.elts  # `first, *rest, last = ["ls", q, "x"]`: past a star, from the end
        star = next((i for i, e in enumerate(elts) if isinstance(e, ast.Starred)), len(elts))
        slots = value.items if value.items and (star == len(elts) or ANY not in value.items) else {}
        for index, element in enumerate(elts):
            key = index if index < star else index - len(elts) + len(slots)
            if isinstance(element, ast.Starred):
                bind(self, element.value, Value(clean=EVERY_CLASS, items={ANY: value.item(ANY)}), note)
            elif key in slots:
                bind(self, element, slots[key], note)
            else:
                bind(self, element, value.item(ANY), note)
    elif isinstance(target, ast.Attribute):
        sinks = self.models.attribute_sinks.by_name(self.qualname(target))
        if sinks:  # `resp.location = url`
            store_hits(self, sinks, target, ast.unparse(target), None, value)
        path = path_of(target)
        if path is not None and not (type(target.value) is ast.Name and target.value.id != "self"
                                     and run_setter(self, target, value)):
            self.env[path] = value
            self.attributed.add(path.partition(".")[0])
        else:
            self.eval(target.value)
    elif isinstance(target, ast.Subscript):
        _store_item(self, target, value)
    elif isinstance(target, ast.Starred):
        bind(self, target.value, value, note)


def _store_item(self: Interpreter, target: ast.Subscript, value: Value) -> None:
    key = self.eval(target.slice)
    name = self.qualname(target.value)
    sinks = self.models.subscript_sinks.by_name(name)
    if sinks:
        store_hits(self, sinks, target, f"{ast.unparse(target.value)}[...]", key, value)
    else:
        hold_store(self, target, key, value)  # `store[k] = v` on a parameter: a caller's session
    holder = target.value.id if isinstance(target.value, ast.Name) else path_of(target.value)
    if holder is None:
        store_nested(self, target, key, value)
        return
    if holder not in self.env:
        if not isinstance(target.value, ast.Name) or not value.tainted:
            return
        # A module-level dict (`CACHE["last"] = ...`): what this function stores in it is
        # there when it reads it back. An imported one (`flask.session`) keeps the name it
        # resolves to, for the sinks of its next store and call.
        held = self.eval(target.value)
        if held.kind is None and name is not None and name != holder:
            held = held.evolve(kind=name)
        self.env[holder] = held
    self.env[holder] = with_slot(self.env[holder], key, value)
