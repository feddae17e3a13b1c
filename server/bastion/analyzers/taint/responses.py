"""A view's return statement checked as its response: the body, when it is text, reaches the
view's sink class (`return_sink`: the page's markup), and a `(body, status, headers)` tuple's
Location header is a redirect. Kept apart from statements.py, whose walk only hands each
`return` of an entry here: what makes a returned value a response is a concern of its own.
A Lambda handler behind API Gateway returns its response as a dict (`proxy_response`); a
redirect hook returns the URL (`return_sink = "redirect"`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import CLEAN, Value
from bastion.analyzers.taint.media_types import (
    headers_declare_not_html,
    location_header,
    tuple_location,
    typed_globally,
)
from bastion.analyzers.taint.response_writes import renders_as_page
from bastion.analyzers.taint.results import Hit
from bastion.analyzers.taint.specs import PROXY_RESPONSE
from bastion.analyzers.taint.templates import UNESCAPED_RENDERS
from bastion.analyzers.taint.upstream import upstream_line

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# A view's return value is its body when it is text; a call's result (a response object made
# by `redirect`, `jsonify`, ...) is not, unless the call only converts to text.
_TEXT_KINDS = frozenset({None, "str()", "repr()", "format()", "textwrap.dedent()", "json.dumps()",
                         *UNESCAPED_RENDERS})


def response_hits(ev: Evaluator, sink: str, node: ast.Return, value: Value) -> None:
    """The hits of `value`, returned by `node` from a view whose response reaches `sink`."""
    if sink == PROXY_RESPONSE:
        _proxy_response_hits(ev, node, value)
        return
    if sink == "redirect":
        # the URL a hook returns for its view to redirect to (Django's RedirectView's
        # `get_redirect_url`): only its start decides the host, as for a `redirect()` call
        if value.taint and value.prefix and "redirect" not in value.clean \
                and upstream_line(value, sink) is None:
            ev.hits.append(Hit(sink, "the view's redirect URL", node.value, node, value))
        return
    if isinstance(node.value, ast.IfExp):
        # `return resp if rows else page`: each branch is a response of its own; joined, a
        # response object and a rendered page would be text of neither kind
        for branch in (node.value.body, node.value.orelse):
            _returned_hits(ev, sink, node, branch, ev.eval(branch))
        return
    _returned_hits(ev, sink, node, node.value, value)


def _returned_hits(ev: Evaluator, sink: str, node: ast.Return, returned: ast.expr, value: Value) -> None:
    """The hits of `value`, the response `returned` (the return's value or one of its branches)."""
    # `(body, status)`, `(body, status, headers)`: written here, or returned by a helper
    # (`return page(q)`) or held by a local; a list is a JSON response
    pair = isinstance(returned, ast.Tuple) or value.items is not None \
        and set(value.items) in ({0, 1}, {0, 1, 2}) and not isinstance(returned, ast.List)
    body = value.items.get(0, CLEAN) if pair and value.items else value
    if (body.taint and sink not in body.clean and body.items is None
            and _is_text(ev, body.kind, sink) and upstream_line(body, sink) is None
            and not (pair and headers_declare_not_html(value)) and not typed_globally(ev)):
        ev.hits.append(Hit(sink, "the view's response", returned, node, body))
    location = tuple_location(value) if pair else None
    if location is not None and location.taint and location.prefix \
            and "redirect" not in location.clean:
        ev.hits.append(Hit("redirect", "the view's Location header", returned, node, location))


def _is_text(ev: Evaluator, kind: str | None, sink: str) -> bool:
    """Whether a returned value of `kind` is text: also the result of a call a sanitizer of the
    sink's class names, which makes that class's text (pandas' `to_html` is a table's markup,
    tainted when told `escape=False`: the sanitizer then does not clean)."""
    return kind in _TEXT_KINDS or kind.endswith("()") and any(
        sink in model.cleans for model in ev.models.sanitizers.by_name(kind[:-2]))


def _proxy_response_hits(ev: Evaluator, node: ast.Return, value: Value) -> None:
    """`{"statusCode": 302, "headers": {"Location": url}}` redirects; the `body` is the page
    only when the headers declare HTML (API Gateway sends it as JSON otherwise)."""
    if not value.items:
        return
    headers = value.items.get("headers")
    location = location_header(headers)
    if location is not None and location.taint and location.prefix \
            and "redirect" not in location.clean:
        ev.hits.append(Hit("redirect", "the response's Location header",
                           _part(node, "headers"), node, location))
    body = value.items.get("body")
    declared = [v.const for k, v in (headers.items or {}).items()
                if isinstance(k, str) and k.lower() == "content-type"] if headers else []
    if (body is not None and body.taint and "html" not in body.clean and body.items is None
            and body.kind in _TEXT_KINDS and upstream_line(body, "html") is None
            and any(isinstance(d, str) and renders_as_page(d) for d in declared)):
        ev.hits.append(Hit("html", "the response's body", _part(node, "body"), node, body))


def _part(node: ast.Return, key: str) -> ast.expr | None:
    """The value written for `key` in a returned dict display, else the whole returned value."""
    if isinstance(node.value, ast.Dict):
        for k, v in zip(node.value.keys, node.value.values, strict=True):
            if isinstance(k, ast.Constant) and k.value == key:
                return v
    return node.value
