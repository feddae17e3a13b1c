"""What a reader of a path or a URL is given (pandas' `read_csv`, `read_json`, ...: the
`path_or_url` sink model). Request data as the name is path traversal: one finding, BST201,
whether the value then names a local file, a `file://` URL or another host: a name the request
chooses whole can be any of them. Not data written after a constant URL of a fixed host
(`pd.read_csv(f"https://api.example.com/export.csv?id={item}")`: a document of that host, not
a file of the server nor another host), nor an uploaded file object, whose content is read
(`pd.read_csv(request.files["data"])`, its `.stream`, FastAPI's `upload.file`, each of
`request.files.getlist("rows")`), as the code writes them at the call or in every binding of
the name it passes."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import leading_text
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.read_ahead import whole_function
from bastion.analyzers.taint.signatures import named, packed

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# a scheme and a host, then the path, query or fragment: the host cannot change after it
_FIXED_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\]+[/?#]")
_UPLOADS = (".files", ".FILES")  # a request's uploaded files by field name (Flask, Django, Quart)
_STREAMS = frozenset({"stream", "file"})  # an upload's file object: Werkzeug's, Starlette's
_LOOPS = (ast.For, ast.AsyncFor, ast.comprehension)


def not_a_name(ev: Evaluator, node: ast.Call, keywords: tuple[str, ...]) -> bool:
    """Whether the reader's first argument (or one of `keywords`) is a URL of a fixed host or an
    uploaded file, written so at the call or in every assignment in the function of the name
    passed (`url = f"https://host/{name}.csv"`, `upload = request.files["data"]`)."""
    given = node.args[0] if node.args else next(
        (k.value for k in node.keywords if k.arg in keywords), None)
    if not isinstance(given, ast.Name):
        return given is not None and _read_not_named(ev, given)
    function = whole_function(ev)
    if function is None or given.id in _parameters(function.node):
        return False  # a parameter holds the caller's value until it is bound again
    walked = nodes(function.node)
    bound = [n for n in walked if isinstance(n, ast.Name)
             and n.id == given.id and isinstance(n.ctx, ast.Store)]
    found = [_read_not_named(ev, n.value) for n in walked if isinstance(n, ast.Assign)
             and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
             and n.targets[0].id == given.id]
    # `for upload in request.files.getlist("rows")` / `.values()`: each an uploaded file
    found += [_uploads(ev, n.iter) for n in walked if isinstance(n, _LOOPS)
              and isinstance(n.target, ast.Name) and n.target.id == given.id]
    return bool(found) and len(found) == len(bound) and all(found)


def _read_not_named(ev: Evaluator, node: ast.expr) -> bool:
    return _FIXED_HOST.match(leading_text(node)) is not None or _upload(ev, node)


def _upload(ev: Evaluator, node: ast.expr) -> bool:
    """`request.files["data"]`, `request.files.get("data")`, their `.stream`, and the `.file`
    of a parameter typed `UploadFile`."""
    if isinstance(node, ast.Attribute) and node.attr in _STREAMS:
        if isinstance(node.value, ast.Name) and node.attr == "file":
            return _typed_upload(ev, node.value.id)
        node = node.value
    if isinstance(node, ast.Subscript):
        container = node.value
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        container = node.func.value
    else:
        return False
    return _container(ev, container)


def _uploads(ev: Evaluator, node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in ("getlist", "values") and _container(ev, node.func.value)


def _container(ev: Evaluator, node: ast.expr) -> bool:
    name = ev.qualname(node)
    return name is not None and name.endswith(_UPLOADS)


def _typed_upload(ev: Evaluator, name: str) -> bool:
    function = whole_function(ev)
    annotation = _parameters(function.node).get(name) if function is not None else None
    spelled = annotation.attr if isinstance(annotation, ast.Attribute) else \
        annotation.id if isinstance(annotation, ast.Name) else None
    return spelled == "UploadFile"


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr | None]:
    """The function's parameters by name, with their annotations."""
    arguments = node.args
    return {a.arg: a.annotation for a in (*named(arguments), *packed(arguments))}
