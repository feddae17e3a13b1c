"""What a response declares itself to be: its constant media type (given as a keyword, in a
headers dict, set on it after it is built, or by its handler class's `set_header`), and the
`Location` its headers carry. The sinks of responses (sinks.py, responses.py) ask these."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import ANY, UNKNOWN, Value, join
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.read_ahead import whole_function
from bastion.analyzers.taint.response_writes import renders_as_page

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

MEDIA_TYPE_KEYWORDS = ("mimetype", "content_type", "media_type")
# A framework's names for the media types a browser renders as a page (Falcon's constants,
# Powertools for AWS Lambda's `content_types.TEXT_HTML`).
_NAMED_PAGE_TYPES = frozenset({"falcon.MEDIA_HTML", "falcon.MEDIA_XML", "falcon.constants.MEDIA_HTML",
                               "falcon.constants.MEDIA_XML",
                               "aws_lambda_powertools.event_handler.content_types.TEXT_HTML"})

# A framework's names for the Content-Type header (aiohttp's `hdrs.CONTENT_TYPE`)
_CONTENT_TYPE_NAMES = frozenset({"aiohttp.hdrs.CONTENT_TYPE"})


def location_header(headers: Value | None) -> Value | None:
    """A `Location` in a response's headers dict (`Response(status=302, headers={"Location":
    url})`, or third: `make_response(body, 302, {...})`): the keys compared without case, as
    HTTP does; a key not known may be it."""
    if headers is None or not headers.items:
        return None
    found = [value for key, value in headers.items.items()
             if key is ANY or isinstance(key, str) and key.lower() == "location"]
    return together([v.flat() for v in found])


def names_location(ev: Evaluator, node: ast.Call) -> bool:
    """`set_header("Location", url)`, `headers.add("Location", url)`: the header the call sets
    is the Location, named by a constant compared without case (the `location_argument` sink
    model; `ev` unused, as every call condition takes it)."""
    name = node.args[0] if node.args else None
    return isinstance(name, ast.Constant) and isinstance(name.value, str) \
        and name.value.lower() == "location"


def together(values: list[Value]) -> Value | None:
    """The values' data as one (none for no value), each container flattened."""
    if not values:
        return None
    out = values[0].flat()
    for value in values[1:]:
        out = join(out, value.flat())
    return out


def declared_not_html(args: list[Value], keywords: dict[str | None, Value]) -> bool:
    """A response whose constant media type is not HTML (`mimetype="text/plain"`, or the
    `Content-Type` of its headers dict, third or `headers=`: `make_response(body, 200, {...})`):
    a browser does not render it as a page."""
    declared = [keywords[k].const for k in MEDIA_TYPE_KEYWORDS if k in keywords]
    headers = keywords.get("headers") or (args[2] if len(args) > 2 else None)
    if headers is not None and headers.items:  # a key not known may be it
        declared += [UNKNOWN if key is ANY else value.const for key, value in headers.items.items()
                     if key is ANY or isinstance(key, str) and key.lower() == "content-type"]
    return bool(declared) and all(isinstance(d, str) and not renders_as_page(d)
                                  for d in declared)


def typed_later(ev: Evaluator, node: ast.Call) -> bool:
    """`resp = make_response(body)`, then `resp.mimetype = "text/plain"` (or `content_type`, or
    `resp.headers["Content-Type"]`) in the function: a type that is not HTML, set before the
    response is sent."""
    statement, function = ev.statement, whole_function(ev)
    if function is None or not isinstance(statement, ast.Assign) or statement.value is not node \
            or len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
        return False
    name = statement.targets[0].id
    declared = [item.value.value for item in ast.walk(function.node)
                if isinstance(item, ast.Assign) and len(item.targets) == 1
                and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str)
                and _names_type_of(item.targets[0], name)]
    return bool(declared) and not any(renders_as_page(d) for d in declared)


def _names_type_of(target: ast.expr, name: str) -> bool:
    """`name.mimetype`, `name.content_type` or `name.headers["Content-Type"]`."""
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
            and str(target.slice.value).lower() == "content-type":
        target = target.value
        return isinstance(target, ast.Attribute) and target.attr == "headers" \
            and isinstance(target.value, ast.Name) and target.value.id == name
    return isinstance(target, ast.Attribute) and target.attr in ("mimetype", "content_type") \
        and isinstance(target.value, ast.Name) and target.value.id == name


def declared_html(ev: Evaluator, node: ast.Call, keywords: dict[str | None, Value]) -> bool:
    """A response whose constant media type, given as a keyword (also by a framework's name for
    it) or as a `headers` dict's Content-Type, is HTML or XML (SVG runs scripts too): one whose
    type defaults to plain text is not rendered as a page."""
    if any(k.arg in MEDIA_TYPE_KEYWORDS and isinstance(k.value, (ast.Name, ast.Attribute))
           and ev.qualname(k.value) in _NAMED_PAGE_TYPES for k in node.keywords):
        return True
    declared = [keywords[k].const for k in MEDIA_TYPE_KEYWORDS if k in keywords]
    headers = keywords.get("headers")
    if headers is not None and headers.items:
        declared += [v.const for k, v in headers.items.items()
                     if isinstance(k, str) and k.lower() == "content-type"]
    return any(isinstance(d, str) and renders_as_page(d) for d in declared)


def tuple_location(response: Value) -> Value | None:
    """The `Location` a view's `(body, status, headers)` tuple sets: `return "", 302,
    {"Location": url}` redirects as `redirect(url)` does."""
    found = [location_header(response.items.get(index)) for index in (1, 2)] \
        if response.items else []
    return together([v for v in found if v is not None])


def headers_declare_not_html(response: Value) -> bool:
    """A view's `(body, status, headers)` or `(body, headers)` tuple whose headers dict sets a
    constant Content-Type that is not HTML."""
    for index in (1, 2):
        headers = response.items.get(index) if response.items else None
        if headers is None or not headers.items:
            continue
        declared = [v.const for k, v in headers.items.items()
                    if isinstance(k, str) and k.lower() == "content-type"]
        if declared and all(isinstance(d, str) and not renders_as_page(d) for d in declared):
            return True
    return False


def written_as_json_or_declared(ev: Evaluator, args: list[Value],
                                 keywords: dict[str | None, Value]) -> bool:
    """A handler's `write(chunk)`: a dict goes out as JSON (any other container is refused),
    and a handler whose class sets a Content-Type (Tornado's `set_header`, also in
    `set_default_headers`; http.server's `send_header`) other than a constant HTML one decides
    what a browser sees."""
    chunk = args[0] if args else keywords.get("chunk")
    if chunk is not None and chunk.items is not None:
        return True
    function = whole_function(ev)
    if function is None:
        return False
    scope = function.class_node or function.node
    declared = ev.declared_types.get(id(scope))
    if declared is None:
        declared = ev.declared_types[id(scope)] = sets_content_type(scope)
    return declared


def sets_content_type(scope: ast.AST) -> bool:
    for node in nodes(scope):  # the method a keystroke edits, at each key in a class
        if (node.__class__ is ast.Call and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("set_header", "add_header", "send_header")
                and len(node.args) == 2
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).lower() == "content-type"):
            value = node.args[1]
            if not (isinstance(value, ast.Constant) and "html" in str(value.value).lower()):
                return True
    return False


# What a route types the response it returns through, not the value it returns: the response a
# framework keeps for the request being served as a module global (Bottle's `response`), or the
# request itself, whose headers are the response's (Twisted's, which Klein hands its routes too:
# `request.setHeader(b"content-type", b"application/json")`).
TYPED_THROUGH = frozenset({"bottle.response", "cherrypy.response", "cherrypy.serving.response",
                           "twisted.web.server.Request"})


def typed_globally(ev: Evaluator) -> bool:
    """A route that sets the type of the response it returns (`response.content_type =
    "text/plain"`, `response.set_header("Content-Type", ...)`, `response.headers["Content-Type"]
    = ...`, Twisted's `request.setHeader(...)`), each time to a constant a browser does not
    render as a page: what it returns is no markup."""
    function = whole_function(ev)
    return function is not None and _no_page(_declared(
        function.node, lambda owner: ev.qualname(owner) in TYPED_THROUGH))


def typed_not_html(ev: Evaluator, response: ast.expr) -> bool:
    """A response (`resp`, `request.response`) the function types, where it builds it
    (`Response(content_type="text/plain")`) or after (`resp.content_type = ...`), each time
    with a constant a browser does not render as a page: the body stored into it is no markup."""
    function = whole_function(ev)
    if function is None:
        return False
    same = ast.unparse(response)
    declared = _declared(function.node, lambda owner: ast.unparse(owner) == same)
    for node in ast.walk(function.node):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call) \
                and ast.unparse(node.targets[0]) == same:
            declared += [k.value.value if isinstance(k.value, ast.Constant) else None
                         for k in node.value.keywords if k.arg in MEDIA_TYPE_KEYWORDS]
    return _no_page(declared)


def typed_html(ev: Evaluator, response: ast.expr) -> bool:
    """A response the function types as a page somewhere (`resp.content_type =
    falcon.MEDIA_HTML`, a constant HTML type, a `headers["Content-Type"]` one, or one set by
    name, `resp.set_header("Content-Type", "text/html")`), or where it builds it (aiohttp's
    `resp = web.StreamResponse(headers={"Content-Type": "text/html"})`, `web.Response(
    content_type="text/html")`): a framework whose responses default to another type (Falcon's
    JSON, aiohttp's plain text or octet stream) renders its body as markup only then (the
    `typed_html` sink model)."""
    function = whole_function(ev)
    if function is None:
        return False
    same = ast.unparse(response)
    typings = [value for owner, value in _typings(function.node) if ast.unparse(owner) == same]
    for node in ast.walk(function.node):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call) \
                and ast.unparse(node.targets[0]) == same:
            typings += _built_types(ev, node.value)
    return any(isinstance(value, ast.Constant) and isinstance(value.value, str)
               and renders_as_page(value.value)
               or isinstance(value, (ast.Name, ast.Attribute)) and ev.qualname(value) in _NAMED_PAGE_TYPES
               for value in typings)


def _built_types(ev: Evaluator, built: ast.Call) -> list[ast.expr]:
    """The media types a response's construction gives: its keywords' (`content_type=`), and
    the Content-Type of a `headers` dict display (named, or aiohttp's `hdrs.CONTENT_TYPE`)."""
    found = [k.value for k in built.keywords if k.arg in MEDIA_TYPE_KEYWORDS]
    for keyword in built.keywords:
        if keyword.arg == "headers" and isinstance(keyword.value, ast.Dict):
            found += [value for key, value in zip(keyword.value.keys, keyword.value.values, strict=True)
                      if key is not None and (str(_text(key)).lower() == "content-type"
                                              or ev.qualname(key) in _CONTENT_TYPE_NAMES)]
    return found


def _no_page(declared: list[object]) -> bool:
    return bool(declared) and all(isinstance(d, str) and not renders_as_page(d) for d in declared)


def _declared(function: ast.AST, owns: Callable[[ast.expr], bool]) -> list[object]:
    """The media types `function` sets on an object `owns` accepts (None for one not constant)."""
    return [_text(value) for owner, value in _typings(function) if owns(owner)]


def _typings(function: ast.AST) -> Iterator[tuple[ast.expr, ast.expr]]:
    """Each object `function` gives a media type and the type's expression: stored
    (`x.content_type = t`, `x.headers["Content-Type"] = t`) or set by name (`x.set_header(...)`)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            if (owner := _typed(node.targets[0])) is not None:
                yield owner, node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("set_header", "add_header", "setHeader") and len(node.args) == 2 \
                and str(_text(node.args[0])).lower() == "content-type":
            yield node.func.value, node.args[1]


def _text(node: ast.expr) -> object:
    """A constant header name or value as text (Twisted's are bytes), else None."""
    if not isinstance(node, ast.Constant):
        return None
    return node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value


def _typed(target: ast.expr) -> ast.expr | None:
    """The object whose type `target` sets: `x` of `x.content_type` or `x.headers["Content-Type"]`."""
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
            and str(target.slice.value).lower() == "content-type" \
            and isinstance(target.value, ast.Attribute) and target.value.attr == "headers":
        return target.value.value
    return target.value if isinstance(target, ast.Attribute) and target.attr == "content_type" else None
