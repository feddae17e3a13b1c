"""The request object handed to a function whose summary reads it through a parameter: a
function of another workspace module (`get_cmd(request)`, `Job.from_request(request)` of
jobs.py), or a method of an instance, which helpers.py's `request_kinds` (same-module
functions called by name) does not reach. The callee's `req.args` is an origin of that
parameter keyed by the attribute (domain.keyed); at the call, the argument is the request, and
that element of it is the request's source of the same name, read there.

A reading method the models also take as a string or file method (`request.read()`,
`reader.readline()`) keys its result on a parameter by a `MethodResult`, not by a name: a
request handed there reads its source of that name, any other argument gives its data as it is,
modelled (a string's `read()` is no unknown call).

A request object handed whole to a call that reads a file or stream (the models' `reads_file`
sinks and propagators: `pickle.load(request)`, `json.load(request)`, Django's documented
`ET.iterparse(request)`) is read as the file it also is: its kind's `read` source.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.taint.domain import Value

# Reading methods of a request or a connection that are string or file methods too.
READS = frozenset({"read", "readline", "readlines"})


@attrs_classes.frozen
class MethodResult:
    """The key of what a reading method of a parameter returned (`req.read()`)."""

    name: str

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.results import Summary


def bare_param(value: Value) -> bool:
    """Whether the value holds a parameter whole (not one of its elements)."""
    return any(o.kind == "param" and o.key is None for o in value.taint)


def hands_request(ev: Evaluator, node: ast.Call) -> bool:
    """Whether the call passes a request object (a name whose kind holds sources)."""
    return bool(_requests(ev, node))


def with_request_sources(ev: Evaluator, node: ast.Call, summary: Summary,
                         bound: dict[int, Value]) -> dict[int, Value]:
    """`bound` with each request argument holding, in the elements the callee reads of it
    (`req.args`, `req.get_json()`), the request's sources of those names."""
    requests = _requests(ev, node)
    if not requests:
        return bound
    wanted: dict[int, set[str | MethodResult]] = {}
    for origin in _param_origins(summary):
        if isinstance(origin.key, (str, MethodResult)):
            wanted.setdefault(origin.param, set()).add(origin.key)
    out = dict(bound)
    for argument, kind in requests:
        index = _param_index(summary.params, node, argument)
        if index is None or index not in wanted or index not in bound or bound[index].tainted:
            continue
        items = {}
        for attribute in sorted(wanted[index], key=repr):
            # named as the callee reads it (`request.args`, `request.get_json()`: a method's
            # result is keyed `get_json()`, calls.py), placed at the argument
            name = attribute.name if isinstance(attribute, MethodResult) else attribute.removesuffix("()")
            read = ast.copy_location(ast.Attribute(argument, name, ast.Load()), argument)
            if name != attribute:
                read = ast.copy_location(ast.Call(read, [], []), argument)
            found = ev.source_value(f"{kind}.{name}", read)
            if found is not None:
                items[attribute] = found
        if items:
            out[index] = bound[index].evolve(items=items)
    return out


def _requests(ev: Evaluator, node: ast.Call) -> list[tuple[ast.expr, str]]:
    found = []
    arguments = [*node.args]
    for keyword in node.keywords:  # a loop: no generator's frame a call
        if keyword.arg is not None:
            arguments.append(keyword.value)
    for argument in arguments:
        if isinstance(argument, ast.Name):
            kind = ev.qualname(argument)
            if kind is not None and ev.models.holds_sources(kind):
                found.append((argument, kind))
    return found


def _param_index(params: tuple[str, ...], node: ast.Call, argument: ast.expr) -> int | None:
    for index, given in enumerate(node.args):
        if given is argument:
            return index if index < len(params) and not params[index].startswith("*") else None
        if isinstance(given, ast.Starred):
            return None
    name = next(k.arg for k in node.keywords if k.value is argument)
    return params.index(name) if name in params else None


def _param_origins(summary: Summary):
    yield from (o for o in summary.returns.deep_taint() if o.kind == "param")
    for hit in summary.sinks:
        yield from (o for o in hit.value.taint if o.kind == "param")
    for value in summary.fields.values():
        yield from (o for o in value.deep_taint() if o.kind == "param")


def read_as_file(ev: Evaluator, value: Value, node: ast.expr) -> Value:
    """What a reader of files handed `value` (the argument `node`) reads: a request object's
    body, any other value as it is."""
    if value.taint or value.kind is None:
        return value
    return ev.source_value(value.kind + ".read", node) or value
