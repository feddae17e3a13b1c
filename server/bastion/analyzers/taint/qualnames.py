"""What an expression names and the sources it reads: the qualified name of a name, attribute
chain or call (rooted at a local value's kind, with the module's import aliases), the value a
source model gives for such a name, what a global name read holds (`global_value`, with its
memo `Evaluator.global_reads`), and `g.<attr>` filled from the request by the module.

Separate from expressions.py because naming is one concern every model lookup starts from. The
functions are the `Evaluator`'s methods themselves, assigned in its class body, so that a call
of `ev.qualname` costs what it did when it was defined there.
"""

from __future__ import annotations

import ast
import os
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import CLEAN, EVERY_CLASS, Origin, Value, source
from bastion.analyzers.taint.global_stores import stored_global
from bastion.analyzers.taint.top_level_sources import imported_global, top_level_value

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator


def qualname(ev: Evaluator, node: ast.AST) -> str | None:
    """The qualified name of an expression, rooted at a value's kind for locals: what
    `Env.qualname(node, roots)` returns, without its recursion (the hot path of every call:
    its tables are tested and read by the operators, no call of `get` a look-up, ~700 names a
    long view)."""
    kind = type(node)
    env = ev.env
    if kind is ast.Name:
        name = node.id
        local = env[name] if env is not None and name in env else None
        if local is not None:
            return local.kind
        kinds, aliases = ev.module.kinds, ev.aliases
        return kinds[name] if name in kinds else aliases[name] if name in aliases else name
    if kind is ast.Attribute:
        # `request.args.get` rooted at a name neither local nor `self`, under the module's own
        # imports: what the module's kinds and aliases make of it, the same at every read
        remembered = ev.module_names[node] if node in ev.module_names \
            and ev.aliases is ev.module.env.aliases else None
        if remembered is not None and (env is None or remembered[0] not in env
                                       or env[remembered[0]] is None):
            return remembered[1]
        chain = node
        attrs_ = [node.attr]
        node = node.value
        while type(node) is ast.Attribute:
            attrs_.append(node.attr)
            node = node.value
        root = node.id if type(node) is ast.Name else None  # read once: an AST node's is a dict read
        if root is not None or type(node) is ast.Call:
            base = qualname(ev, node)
        else:
            return None
        if base is None and root == "self":
            # `self.request.params`: rooted at the kind of the field `__init__` stored (a
            # Pyramid class-based view keeps the request there)
            field = ev.env.get("self." + attrs_[-1]) if ev.env is not None else None
            field = field or ev.fields.get(attrs_[-1])
            if field is None or field.kind is None:
                return None
            base = field.kind
            attrs_.pop()
        if base is None:
            return None
        aliases = ev.aliases
        for attr in reversed(attrs_):
            base = f"{base}.{attr}"
            if base in aliases:
                base = aliases[base]
        if root is not None and root != "self" and aliases is ev.module.env.aliases \
                and (env is None or root not in env or env[root] is None):
            ev.module_names[chain] = (root, base)
        return base
    if kind is ast.Call:
        base = qualname(ev, node.func)
        return None if base is None else base + "()"
    return None


def called_as(ev: Evaluator, func: ast.Attribute, name: str) -> None:
    """`qualname(func)` is `name`, which `Evaluator.call` made from the callee's owner: kept in
    qualname's memo where qualname keeps it (rooted at a name neither local nor `self`, under the
    module's own imports), for what the statement asks of the same callee after the call
    (checked, a call statement's no-return test: ~80 chains walked again a long view)."""
    owner = func.value
    names = ev.module_names
    if type(owner) is ast.Name:
        root = owner.id
    elif owner in names:  # qualname(owner) has just kept it
        root = names[owner][0]
    else:
        return
    env = ev.env
    if root != "self" and ev.aliases is ev.module.env.aliases \
            and (env is None or root not in env or env[root] is None):
        names[func] = (root, name)


def global_value(ev: Evaluator, node: ast.Name) -> Value:
    """A read of a name neither a local nor a module constant holds: a global a view stores,
    one bound at top level from a source, a source model's name, an imported global, a
    factory's parser, else a value of the module's kind for it. The last two are the same at
    every read while the module's own imports name things (no import in the function): kept in
    `ev.global_reads`, which e_Name reads first (`os`, `subprocess` at each call of theirs:
    ~5 calls a read)."""
    name, module = node.id, ev.module
    if name in module.stored_globals:  # `global LAST` written by a view
        return stored_global(ev, node, name)
    if name in module.top_sources \
            and (found := top_level_value(ev, node)) is not None:  # `DATA = sys.argv[1]` at top level
        return found
    aliases = ev.aliases
    found = ev.source_value(aliases[name] if name in aliases else name, node)
    if found is not None:
        return found
    if module.external is not None and name in ev.aliases \
            and (found := imported_global(ev, node, ev.aliases[name])) is not None:
        return found  # `from settings import TARGET`
    found = module.factory_parsers[name] if name in module.factory_parsers else None
    if found is None:
        kind = module.kinds[name] if name in module.kinds else None
        found = Value(clean=EVERY_CLASS, kind=kind) if kind else CLEAN
    if ev.aliases is module.env.aliases and name not in module.top_sources \
            and (module.external is None or name not in ev.aliases):
        ev.global_reads[name] = found  # what every step above gives at each read
    return found


def source_value(ev: Evaluator, name: str | None, node: ast.AST) -> Value | None:
    for model in ev.models.sources.by_name(name):
        text = _dotted(node) or ast.unparse(node)
        if len(text) > 60:
            text = text[:57] + "..."
        origin = Origin(model.kind, f"{model.label} (`{text}`", node.lineno - 1,
                        node.col_offset, (node.end_lineno or node.lineno) - 1,
                        node.end_col_offset or 0)
        # `request.url`: its host is the one the browser asked for (the model's cleans)
        return source(origin, ev.step(node, f"{model.label}: `{text}`"), name, model.cleans,
                      not model.low_confidence)
    return None



def _dotted(node: ast.AST) -> str | None:
    """`ast.unparse`'s text of a name or an attribute chain on one (`request.args`, most source
    reads), joined here: unparsing builds a visitor a read (~3 % of a long view's walk)."""
    parts = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def scoped_value(ev: Evaluator, node: ast.Attribute) -> Value:
    """`g.user`, which a function of the module filled from the request (scoped.py)."""
    stored = ev.module.scoped[node.attr]
    where = f"line {stored + 1}" if isinstance(stored, int) \
        else f"{os.path.basename(stored[0])}, line {stored[1] + 1}"
    origin = Origin("remote", f"Request data (`g.{node.attr}`", node.lineno - 1,
                    node.col_offset, (node.end_lineno or node.lineno) - 1,
                    node.end_col_offset or 0)
    return source(origin, ev.step(node, f"request data stored in `g.{node.attr}` on {where}"))
