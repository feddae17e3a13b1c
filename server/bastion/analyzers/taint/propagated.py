"""What a propagator's call returns (propagators.toml): its arguments' data, only the picked ones
when the model says (`args` / `keywords`), decoded when it `decodes` (what an encoding made safe
is unsafe again: `b64decode(b64encode(name))`), and a request object handed whole to a reader of
files (`reads_file`) read as its body (`json.load(request)`, handed_requests.read_as_file).

A JSON document `json.dumps` made of a container of known keys keeps them (`dumped`), and
`json.loads` of it is that container again: `json.loads(json.dumps({"name": "x", "q": q}))["name"]`
is the constant, its `["q"]` the request's. The document's text is the container's data
flattened, as before, so any other use of it (a sink given the text) reads all of it. No state."""

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
_DUMPED = "json.dumps()"  # the kind joined() gives what json.dumps returns of untrusted data


def propagated(ev: Evaluator, node: ast.Call, model: PropagatorModel, name: str | None, inputs: list[Value],
               args: list[Value], keywords: dict[str | None, Value]) -> Value:
    carried = inputs if model.args is None else [
        *(args[i] for i in model.args if i < len(args)),
        *(keywords[k] for k in model.keywords if k in keywords)]
    if model.reads_file:
        carried = [read_as_file(ev, value, node) for value in carried]
    if name in _LOADS and len(args) == 1 and args[0].items is not None and args[0].kind == _DUMPED:
        document = args[0].items  # the container json.dumps was handed, its keys known
        return Value(clean=EVERY_CLASS, items=dict(document), known=all(v.known for v in document.values()))
    result = joined(carried, name)
    # `b64decode(b64encode(name))` is `name` again: the encoding's cleans undone
    return result.evolve(clean=frozenset()) if result.taint and model.decodes else result


def dumped(name: str | None, args: list[Value], text: Value) -> Value:
    """What `json.dumps(container)` returns (`text`, the container's data as its sanitizer
    makes it), with the container's keys kept for a `json.loads` of it."""
    if name not in _DUMPS or not args or args[0].items is None or text.kind != _DUMPED:
        return text
    return text.evolve(items=args[0].items)
