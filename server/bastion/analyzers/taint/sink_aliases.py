"""Names bound to a sink itself, not to what it returns: `run = os.system` at module level,
`fn = eval` or `loader = pickle.loads` in a function; a call of the name is a call of the sink
(`run(cmd)` is `os.system(cmd)`), as `from os import system as run` makes it.

Only a name or an attribute chain the models name as a sink is taken: `x = os.environ` or
`fn = len` bind what they did before. A module-level name counts when the module binds it once
(`Bindings.once`): a later `run = other` or `def run` leaves the call unknown."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import Value

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.specs import Models

_NAMING = (ast.Name, ast.Attribute)


def module_sink_aliases(named: Mapping[str, str], once: Callable[[str], bool], models: Models
                        ) -> dict[str, str]:
    """The module's names bound once to a sink (`named`: each module-level `name = dotted`,
    by its qualified name under the imports before it), name -> the sink's name."""
    return {name: dotted for name, dotted in named.items()
            if dotted in models.sinks.exact and once(name)}


def named_sink(ev: Evaluator, node: ast.expr, value: Value) -> Value:
    """`value`, read from `node` to bind a name, with the sink it names as its kind when `node`
    names one (`fn = eval`): the evaluator's `qualname` of the name is then the sink's."""
    if type(node) not in _NAMING or value.taint or value.kind is not None:
        return value
    name = ev.qualname(node)
    return value.evolve(kind=name) if name in ev.models.sinks.exact else value
