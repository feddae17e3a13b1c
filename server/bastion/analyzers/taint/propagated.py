"""What a propagator's call returns (propagators.toml): its arguments' data, only the picked ones
when the model says (`args` / `keywords`), decoded when it `decodes` (what an encoding made safe
is unsafe again: `b64decode(b64encode(name))`), and a request object handed whole to a reader of
files (`reads_file`) read as its body (`json.load(request)`, handed_requests.read_as_file).

`json.loads` of `json.dumps` of a dict or list display written in place is that container
again: `json.loads(json.dumps({"name": "x", "q": q}))["name"]` is the constant, its `["q"]` the
request's. The document's text itself stays the container's data flattened (a view returning it
is an HTML body, not a dict Flask sends as JSON), so a document bound to a name and parsed later
is read whole. No state."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS, Value
from bastion.analyzers.taint.handed_requests import read_as_file
from bastion.analyzers.taint.method_calls import joined

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.specs import PropagatorModel

_DUMPS = frozenset({"json.dumps", "simplejson.dumps"})
_LOADS = frozenset({"json.loads", "simplejson.loads"})
_DISPLAYS = (ast.Dict, ast.List)


def propagated(ev: Evaluator, node: ast.Call, model: PropagatorModel, name: str | None, inputs: list[Value],
               args: list[Value], keywords: dict[str | None, Value]) -> Value:
    carried = inputs if model.args is None else [
        *(args[i] for i in model.args if i < len(args)),
        *(keywords[k] for k in model.keywords if k in keywords)]
    if model.reads_file:
        carried = [read_as_file(ev, value, node) for value in carried]
    if name in _LOADS and len(node.args) == 1 and type(dumped := node.args[0]) is ast.Call \
            and len(dumped.args) == 1 and type(dumped.args[0]) in _DISPLAYS \
            and ev.qualname(dumped.func) in _DUMPS:
        document = ev.eval(dumped.args[0]).items  # the display read again (the walk read it once)
        if document is not None:
            return Value(clean=EVERY_CLASS, items=dict(document),
                         known=all(v.known for v in document.values()))
    result = joined(carried, name)
    # `b64decode(b64encode(name))` is `name` again: the encoding's cleans undone
    return result.evolve(clean=frozenset()) if result.taint and model.decodes else result

