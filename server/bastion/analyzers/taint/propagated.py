"""What a propagator's call returns (propagators.toml): its arguments' data, only the picked ones
when the model says (`args` / `keywords`), decoded when it `decodes` (what an encoding made safe
is unsafe again: `b64decode(b64encode(name))`), and a request object handed whole to a reader of
files (`reads_file`) read as its body (`json.load(request)`, handed_requests.read_as_file).

`json.loads` of `json.dumps` of a dict or list display written in place is that container
again: `json.loads(json.dumps({"name": "x", "q": q}))["name"]` is the constant, its `["q"]` the
request's. The document's text itself stays the container's data flattened (a view returning it
is an HTML body, not a dict Flask sends as JSON). A text `json.dumps` made of a container of
known items holding request data, bound to a name (`doc = json.dumps({...})`), parses back to
that container while the name holds that text (`json.loads(doc)["n"]`): the evaluator's
`documents` holds the last text each `json.dumps` call of the function being run made of
request data, with the container it serialized (None: not one of known items). A text is known
by its data, not its steps (binding it adds one); a name rebound to another value (joined with
the request's body at a branch) has other data, and a text two documents may be is read
whole."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import EVERY_CLASS, Value
from bastion.analyzers.taint.handed_requests import read_as_file
from bastion.analyzers.taint.method_calls import joined

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.specs import PropagatorModel

DUMPS = frozenset({"json.dumps", "simplejson.dumps"})
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
            and ev.qualname(dumped.func) in DUMPS:
        document = ev.eval(dumped.args[0]).items  # the display read again (the walk read it once)
        if document is not None:
            return _parsed(document)
    if name in _LOADS and len(node.args) == 1 and args and ev.documents \
            and (document := _document_of(ev, args[0])) is not None:
        return _parsed(document)
    result = joined(carried, name)
    # `b64decode(b64encode(name))` is `name` again: the encoding's cleans undone
    return result.evolve(clean=frozenset()) if result.taint and model.decodes else result


def _parsed(document: dict) -> Value:
    """The container a JSON document of these items parses back to."""
    return Value(clean=EVERY_CLASS, items=dict(document), known=all(v.known for v in document.values()))


def serialized(ev: Evaluator, node: ast.Call, args: list[Value], text: Value) -> Value:
    """`text`, what `json.dumps` (one of DUMPS, a sanitizer for log lines) returned for
    `node`, held in `ev.documents` with the container it serialized when it holds request data
    (read whole, an untainted text is clean anyway)."""
    if text.taint:
        items = args[0].items if len(node.args) == 1 and args else None
        ev.documents[node] = (text, dict(items) if items is not None else None)
    return text


def _document_of(ev: Evaluator, given: Value) -> dict | None:
    """The container the text `given` serialized: the one every text of `ev.documents` with
    its data serialized (None: none, or two differing)."""
    found = [items for text, items in ev.documents.values()
             if text.taint == given.taint and text.clean == given.clean and text.kind == given.kind
             and text.const == given.const and given.items is None]
    return found[0] if found and all(items is not None and items == found[0] for items in found) else None
